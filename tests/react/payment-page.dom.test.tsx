import { StrictMode } from 'react';
import { cleanup, configure, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as RedirectModule from '../../src/core/redirect.ts';
import { Checkout, type CheckoutProps } from '../../src/react/index.ts';
import { API, fakeBackend, payment, session } from './helpers.tsx';

const nav = vi.hoisted(() => ({ assigned: [] as string[] }));
vi.mock('../../src/core/redirect.ts', async (importOriginal) => {
  const mod = await importOriginal<typeof RedirectModule>();
  const location = { assign: (url: string) => void nav.assigned.push(url) };
  return {
    ...mod,
    performRedirect: (data: RedirectModule.RedirectData, opts: RedirectModule.PerformOptions) =>
      mod.performRedirect(data, { ...opts, location }),
  };
});

configure({ defaultIgnore: 'script, style, [data-ecp-live]' });

const PAGE_URL = 'https://paymentpage.example/payment?signature=abc';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  nav.assigned.length = 0;
});
afterEach(() => {
  cleanup();
  server.resetHandlers();
  sessionStorage.clear();
  vi.restoreAllMocks();
});
afterAll(() => server.close());

function setup() {
  const backend = fakeBackend({ session: session() });
  backend.script('pay_pp', [payment({ id: 'pay_pp', status: 'processing' })]);
  server.use(...backend.handlers);
  return backend;
}

function renderCheckout(props: Partial<CheckoutProps>) {
  return render(
    <StrictMode>
      <Checkout
        sessionId="ses_1"
        apiBaseUrl={API}
        mode="payment-page"
        polling={{ intervalMs: 20 }}
        {...props}
      />
    </StrictMode>,
  );
}

describe('Payment Page mode', () => {
  it('redirects to the backend-signed URL', async () => {
    const backend = setup();
    const onRedirect = vi.fn();
    renderCheckout({ paymentPage: 'redirect', onRedirect });
    await userEvent.click(await screen.findByRole('button', { name: 'Pay ₱20.00' }));
    await waitFor(() => expect(nav.assigned).toEqual([PAGE_URL]));
    expect(backend.seen.pages).toEqual([{ method: 'grabpay', currency: 'PHP' }]);
    expect(onRedirect).toHaveBeenCalledWith({ url: PAGE_URL, method: 'GET' });
    expect(sessionStorage.getItem('ecp:payment:ses_1')).toBe('pay_pp');
  });

  it('opens a popup in the click, points it at the URL, and closes it at the result', async () => {
    const backend = setup();
    const popup = { location: { href: '' }, close: vi.fn() };
    const open = vi.spyOn(window, 'open').mockReturnValue(popup as unknown as Window);
    const onComplete = vi.fn();
    renderCheckout({ paymentPage: 'popup', onComplete });
    await userEvent.click(await screen.findByRole('button', { name: 'Pay ₱20.00' }));
    expect(open).toHaveBeenCalledWith('', 'ecp_payment_page', expect.stringContaining('popup'));
    await screen.findByText('Complete the payment in the window that opened.');
    expect(popup.location.href).toBe(PAGE_URL);
    backend.script('pay_pp', [payment({ id: 'pay_pp', status: 'success', next_action: { type: 'result' } })]);
    await screen.findByRole('heading', { name: 'Payment successful' });
    expect(popup.close).toHaveBeenCalled();
    expect(onComplete).toHaveBeenCalledOnce();
  });

  it('offers a button when the popup was blocked', async () => {
    setup();
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    renderCheckout({ paymentPage: 'popup' });
    await userEvent.click(await screen.findByRole('button', { name: 'Pay ₱20.00' }));
    await screen.findByText('Your browser blocked the payment window. Use the button to open it.');
    await userEvent.click(screen.getByRole('button', { name: 'Open the payment page' }));
    expect(open).toHaveBeenLastCalledWith(PAGE_URL, 'ecp_payment_page', expect.any(String));
  });

  it('shows the page in an iframe, then the result', async () => {
    const backend = setup();
    renderCheckout({ paymentPage: 'iframe' });
    await userEvent.click(await screen.findByRole('button', { name: 'Pay ₱20.00' }));
    const frame = await screen.findByTitle('ecommpay payment page');
    expect(frame.tagName).toBe('IFRAME');
    expect(frame).toHaveAttribute('src', PAGE_URL);
    expect(frame).not.toHaveAttribute('style');
    backend.script('pay_pp', [
      payment({ id: 'pay_pp', status: 'decline', code: '20602', next_action: { type: 'result' } }),
    ]);
    await screen.findByRole('heading', { name: 'Payment declined' });
  });
});
