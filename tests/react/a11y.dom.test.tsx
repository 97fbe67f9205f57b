import { StrictMode } from 'react';
import { cleanup, configure, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  Checkout,
  CheckoutProvider,
  PayoutForm,
  VoucherList,
  type CheckoutProps,
} from '../../src/react/index.ts';
import { API, METHODS, fakeBackend, payment, redirectTo, session } from './helpers.tsx';

configure({ defaultIgnore: 'script, style, [data-ecp-live]' });

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  sessionStorage.clear();
  window.history.replaceState(null, '', '/');
});
afterAll(() => server.close());

/** WCAG 2.x A/AA rules; color contrast cannot be computed in jsdom (it is checked in the browser suites). */
async function expectNoViolations(el: Element = document.body) {
  const result = await axe.run(el, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  const summary = result.violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(summary).toEqual([]);
}

function renderCheckout(props: Partial<CheckoutProps> = {}) {
  return render(
    <StrictMode>
      <Checkout sessionId="ses_1" apiBaseUrl={API} polling={{ intervalMs: 5_000 }} {...props} />
    </StrictMode>,
  );
}

describe('axe: no violations in any step', () => {
  it.each([
    ['GrabPay PHP', METHODS.grabpayPhp],
    ['GrabPay MYR', METHODS.grabpayMyr],
    ['ADVCash', METHODS.advcash],
    ['Payco', METHODS.payco],
    ['Jeton', METHODS.jeton],
  ])('method step with the %s form, before and after failed validation', async (_name, method) => {
    server.use(
      ...fakeBackend({
        session: session({
          methods: [method, METHODS.payco],
          customer: {},
          unavailable: [{ method: 'advcash', reason: { code: 'not_enabled', message: 'x' } }],
        }),
      }).handlers,
    );
    renderCheckout({ showUnavailable: true });
    const pay = await screen.findByRole('button', { name: /^Pay / });
    await expectNoViolations();
    await userEvent.click(pay);
    await expectNoViolations();
  });

  it('loading, error and redirect steps', async () => {
    server.use(...fakeBackend({ session: session({ id: 'nope' }) }).handlers);
    const { unmount } = renderCheckout();
    await expectNoViolations();
    await screen.findByText('This checkout link is not valid.');
    await expectNoViolations();
    unmount();
    window.history.replaceState(null, '', '/?ecp_payment=pay_r');
    const backend = fakeBackend({ session: session() });
    backend.script('pay_r', [
      payment({ id: 'pay_r', status: 'awaiting_redirect', next_action: redirectTo() }),
    ]);
    server.use(...backend.handlers);
    renderCheckout();
    await screen.findByRole('button', { name: 'Continue to GrabPay' });
    await expectNoViolations();
  });

  it('clarification and waiting steps', async () => {
    window.history.replaceState(null, '', '/?ecp_payment=pay_c');
    const backend = fakeBackend({ session: session() });
    backend.script('pay_c', [
      payment({
        id: 'pay_c',
        status: 'awaiting_clarification',
        next_action: { type: 'clarification', fields: { customer: ['email', 'first_name', 'last_name'] } },
      }),
    ]);
    server.use(...backend.handlers);
    const { unmount } = renderCheckout();
    await screen.findByRole('heading', { name: 'A few more details' });
    await expectNoViolations();
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await screen.findAllByText('This field is required');
    await expectNoViolations();
    unmount();
    backend.script('pay_c', [payment({ id: 'pay_c', status: 'processing' })]);
    renderCheckout();
    await screen.findByRole('progressbar');
    await expectNoViolations();
  });

  it.each([
    ['success', payment({ id: 'pay_s', status: 'success', next_action: { type: 'result' } })],
    ['decline', payment({ id: 'pay_s', status: 'decline', code: '20101', next_action: { type: 'result' } })],
  ])('result step: %s', async (_name, view) => {
    window.history.replaceState(null, '', '/?ecp_payment=pay_s');
    const backend = fakeBackend({ session: session() });
    backend.script('pay_s', [view]);
    server.use(...backend.handlers);
    renderCheckout({ appearance: { theme: 'dark' } });
    await screen.findByText(/Reference: pay_s/);
    await expectNoViolations();
  });

  it('payout forms and the voucher list', async () => {
    render(
      <CheckoutProvider>
        <PayoutForm method="grabpay" onSubmit={() => {}} />
        <PayoutForm method="advcash" onSubmit={() => {}} />
        <VoucherList
          vouchers={[{ number: '1234567890123456789', security_code: '1234', expiration: '08/2027' }]}
        />
      </CheckoutProvider>,
    );
    await expectNoViolations();
    await userEvent.click(screen.getAllByRole('button', { name: 'Request payout' })[0]!);
    await screen.findAllByText('This field is required');
    await expectNoViolations();
  });
});

describe('theme and live region', () => {
  it('sets appearance variables through the CSSOM and the theme as an attribute', async () => {
    server.use(...fakeBackend({ session: session() }).handlers);
    const setProperty = vi.spyOn(CSSStyleDeclaration.prototype, 'setProperty');
    const { container, rerender } = renderCheckout({
      appearance: { theme: 'dark', variables: { colorPrimary: '#7c3aed', borderRadius: '4px' } },
    });
    const root = container.querySelector<HTMLElement>('.ecp-root')!;
    expect(root).toHaveAttribute('data-theme', 'dark');
    expect(root.style.getPropertyValue('--ecp-color-primary')).toBe('#7c3aed');
    expect(root.style.getPropertyValue('--ecp-border-radius')).toBe('4px');
    expect(setProperty).toHaveBeenCalledWith('--ecp-color-primary', '#7c3aed');
    rerender(
      <StrictMode>
        <Checkout sessionId="ses_1" apiBaseUrl={API} appearance={{ theme: 'auto', variables: {} }} />
      </StrictMode>,
    );
    expect(root).not.toHaveAttribute('data-theme');
    expect(root.style.getPropertyValue('--ecp-color-primary')).toBe('');
  });

  it('has a polite live region from the first render', () => {
    server.use(...fakeBackend({ session: session() }).handlers);
    const { container } = renderCheckout();
    const live = container.querySelector('[data-ecp-live]');
    expect(live).toHaveAttribute('aria-live', 'polite');
    expect(live).toHaveAttribute('role', 'status');
  });
});
