import { StrictMode } from 'react';
import { act, cleanup, configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Checkout, type CheckoutProps } from '../../src/react/index.ts';
import type { SessionView } from '../../src/core/api.ts';
import type * as RedirectModule from '../../src/core/redirect.ts';
import { API, METHODS, fakeBackend, payment, redirectTo, session } from './helpers.tsx';

// The real performRedirect, with a stand-in for `window.location` (jsdom cannot navigate).
const nav = vi.hoisted(() => ({ assigned: [] as string[] }));
vi.mock('../../src/core/redirect.ts', async (importOriginal) => {
  const mod = await importOriginal<typeof RedirectModule>();
  const location = { assign: (url: string) => void nav.assigned.push(url) };
  return {
    ...mod,
    performRedirect: (
      data: Parameters<typeof mod.performRedirect>[0],
      opts: Parameters<typeof mod.performRedirect>[1],
    ) => mod.performRedirect(data, { ...opts, location }),
  };
});

// Texts also said in the live region are looked up in the visible steps only.
configure({ defaultIgnore: 'script, style, [data-ecp-live]' });

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup(); // unmount (stops polling) before the handlers go
  server.resetHandlers();
  document.querySelectorAll('body > form').forEach((f) => f.remove());
  sessionStorage.clear();
  window.history.replaceState(null, '', '/');
  vi.restoreAllMocks();
});
afterAll(() => server.close());
beforeEach(() => {
  nav.assigned.length = 0;
});

function renderCheckout(props: Partial<CheckoutProps> = {}) {
  return render(
    <StrictMode>
      <Checkout sessionId="ses_1" apiBaseUrl={API} polling={{ intervalMs: 20 }} {...props} />
    </StrictMode>,
  );
}

describe('Checkout flow', () => {
  it('pays with GrabPay PHP: prefilled e-mail, one POST, then the GET redirect', async () => {
    const backend = fakeBackend({ session: session() });
    backend.script('pay_1', [payment({ status: 'awaiting_redirect', next_action: redirectTo() })]);
    server.use(...backend.handlers);
    const onSubmit = vi.fn();
    const onRedirect = vi.fn();
    renderCheckout({ onSubmit, onRedirect });
    const email = await screen.findByLabelText(/E-mail/);
    expect(email).toHaveValue('ana@example.com');
    expect(screen.getAllByText('₱20.00').length).toBeGreaterThan(0);
    await userEvent.click(screen.getByRole('button', { name: 'Pay ₱20.00' }));
    await waitFor(() => expect(nav.assigned).toEqual(['https://grabpay.example/pay?tokenid=t1']));
    expect(backend.seen.creates).toHaveLength(1);
    expect(backend.seen.creates[0]?.body).toEqual({
      method: 'grabpay',
      currency: 'PHP',
      fields: { email: 'ana@example.com' },
    });
    expect(backend.seen.creates[0]?.key).toMatch(/^[0-9a-f-]{36}$/);
    // The request waits for the payment's next step; it came with the answer: no status request before leaving.
    expect(backend.seen.creates[0]?.search).toBe('?wait=2');
    expect(onSubmit).toHaveBeenCalledOnce();
    expect(onRedirect).toHaveBeenCalledWith(
      expect.objectContaining({ url: 'https://grabpay.example/pay?tokenid=t1', method: 'GET' }),
    );
    expect(sessionStorage.getItem('ecp:payment:ses_1')).toBe('pay_1');
  });

  it('blocks a double submit: one POST for a double click and a second Enter', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const backend = fakeBackend({ session: session() });
    backend.script('pay_1', [payment({ status: 'processing' })]);
    server.use(...backend.handlers);
    const user = userEvent.setup();
    renderCheckout();
    const email = await screen.findByLabelText(/E-mail/);
    const button = screen.getByRole('button', { name: 'Pay ₱20.00' });
    server.use(
      ...fakeBackend({
        session: session(),
        create: (body, n) => {
          backend.seen.creates.push({ body, key: String(n) });
          return payment({ status: 'processing' });
        },
      }).handlers.slice(1, 2),
    );
    // Hold the POST until both extra submits have been tried.
    const { http, HttpResponse } = await import('msw');
    server.use(
      http.post(`${API}/api/sessions/:id/payments`, async ({ request }) => {
        backend.seen.creates.push({
          body: await request.json(),
          key: request.headers.get('idempotency-key'),
        });
        await gate;
        return HttpResponse.json(payment({ status: 'processing' }), { status: 201 });
      }),
    );
    await user.dblClick(button);
    await user.type(email, '{Enter}');
    await waitFor(() => expect(button).toHaveAttribute('aria-disabled', 'true'));
    expect(button).toHaveTextContent('Processing…');
    await user.click(button);
    release();
    await screen.findByRole('heading', { name: 'Confirming your payment' });
    expect(backend.seen.creates).toHaveLength(1);
  });

  it('submits a POST redirect as a hidden form, to the top window when embedded', async () => {
    const submitted: HTMLFormElement[] = [];
    vi.spyOn(HTMLFormElement.prototype, 'submit').mockImplementation(function (this: HTMLFormElement) {
      submitted.push(this);
    });
    const backend = fakeBackend({
      session: session(),
      create: () =>
        payment({
          status: 'awaiting_redirect',
          next_action: redirectTo('https://grabpay.example/post', 'POST', {
            token: 'abc',
            amount: 2000,
            ok: true,
          }),
        }),
    });
    backend.script('pay_1', [
      payment({
        status: 'awaiting_redirect',
        next_action: redirectTo('https://grabpay.example/post', 'POST', {
          token: 'abc',
          amount: 2000,
          ok: true,
        }),
      }),
    ]);
    server.use(...backend.handlers);
    renderCheckout({ redirectTarget: '_top' });
    await userEvent.click(await screen.findByRole('button', { name: 'Pay ₱20.00' }));
    await waitFor(() => expect(submitted).toHaveLength(1));
    const form = submitted[0]!;
    expect(form.getAttribute('action')).toBe('https://grabpay.example/post');
    expect(form.getAttribute('method')).toBe('post');
    expect(form.getAttribute('target')).toBe('_top');
    const fields = Object.fromEntries(Array.from(form.querySelectorAll('input'), (i) => [i.name, i.value]));
    expect(fields).toEqual({ token: 'abc', amount: '2000', ok: '1' });
    expect(await screen.findByText('Taking you to GrabPay to confirm the payment…')).toBeInTheDocument();
  });

  it('lets beforeRedirect cancel the redirect; the Continue button then goes on', async () => {
    const backend = fakeBackend({
      session: session(),
      create: () => payment({ status: 'awaiting_redirect', next_action: redirectTo() }),
    });
    backend.script('pay_1', [payment({ status: 'awaiting_redirect', next_action: redirectTo() })]);
    server.use(...backend.handlers);
    const beforeRedirect = vi.fn().mockReturnValueOnce(false).mockResolvedValueOnce(true);
    renderCheckout({ beforeRedirect });
    await userEvent.click(await screen.findByRole('button', { name: 'Pay ₱20.00' }));
    const heading = await screen.findByRole('heading', { name: 'Continue to GrabPay' });
    await screen.findByText('Press the button to continue to GrabPay.');
    await waitFor(() => expect(heading).toHaveFocus());
    expect(nav.assigned).toEqual([]);
    expect(beforeRedirect).toHaveBeenCalledWith(
      expect.objectContaining({
        redirect: { url: 'https://grabpay.example/pay?tokenid=t1', method: 'GET', body: {} },
      }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Continue to GrabPay' }));
    await waitFor(() => expect(nav.assigned).toEqual(['https://grabpay.example/pay?tokenid=t1']));
    expect(beforeRedirect).toHaveBeenCalledTimes(2);
  });

  it('waits for a promise from beforeRedirect before leaving', async () => {
    let resolve!: (v: boolean) => void;
    const backend = fakeBackend({
      session: session(),
      create: () => payment({ status: 'awaiting_redirect', next_action: redirectTo() }),
    });
    backend.script('pay_1', [payment({ status: 'awaiting_redirect', next_action: redirectTo() })]);
    server.use(...backend.handlers);
    renderCheckout({ beforeRedirect: () => new Promise<boolean>((r) => (resolve = r)) });
    await userEvent.click(await screen.findByRole('button', { name: 'Pay ₱20.00' }));
    await screen.findByRole('heading', { name: 'Continue to GrabPay' });
    // beforeRedirect is called from an effect, which may run just after the step shows (busy machine).
    await waitFor(() => expect(resolve).toBeTypeOf('function'));
    expect(nav.assigned).toEqual([]);
    await act(async () => resolve(true));
    await waitFor(() => expect(nav.assigned).toHaveLength(1));
  });

  it('refuses an unsafe redirect URL and fails safe', async () => {
    const bad = payment({ status: 'awaiting_redirect', next_action: redirectTo('javascript:alert(1)') });
    const backend = fakeBackend({ session: session(), create: () => bad });
    backend.script('pay_1', [bad]);
    server.use(...backend.handlers);
    const onError = vi.fn();
    renderCheckout({ onError });
    await userEvent.click(await screen.findByRole('button', { name: 'Pay ₱20.00' }));
    await screen.findByText('We could not open GrabPay. Please pick another method.');
    expect(nav.assigned).toEqual([]);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ name: 'RedirectError' }), {
      stage: 'redirect',
    });
    expect(screen.queryByRole('button', { name: 'Continue to GrabPay' })).not.toBeInTheDocument();
  });

  it('asks for the clarification fields, posts them, then shows the result', async () => {
    const asking = payment({
      method: 'grabpay',
      currency: 'MYR',
      amount: 1500,
      status: 'awaiting_clarification',
      next_action: { type: 'clarification', fields: { customer: ['first_name', 'last_name'] } },
    });
    const backend = fakeBackend({
      session: session({
        methods: [METHODS.grabpayMyr],
        prices: [{ currency: 'MYR', amount: 1500 }],
        customer: {},
      }),
      create: () => asking,
      clarify: () => {
        backend.script('pay_1', [
          payment({
            currency: 'MYR',
            amount: 1500,
            status: 'success',
            code: '0',
            next_action: { type: 'result' },
          }),
        ]);
        return payment({ currency: 'MYR', amount: 1500, status: 'processing' });
      },
    });
    backend.script('pay_1', [asking]);
    server.use(...backend.handlers);
    const user = userEvent.setup();
    renderCheckout();
    await user.click(await screen.findByRole('button', { name: /^Pay .*15\.00$/ }));
    const heading = await screen.findByRole('heading', { name: 'A few more details' });
    await waitFor(() => expect(heading).toHaveFocus());
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await screen.findAllByText('This field is required')).toHaveLength(2);
    expect(screen.getByLabelText('First name')).toHaveFocus();
    await user.type(screen.getByLabelText('First name'), 'Siti');
    await user.type(screen.getByLabelText('Last name'), 'Aminah');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    await screen.findByRole('heading', { name: 'Payment successful' });
    expect(backend.seen.clarifications).toEqual([{ customer: { first_name: 'Siti', last_name: 'Aminah' } }]);
    expect(screen.getByText(/^You paid .*15\.00 with GrabPay\.$/)).toBeInTheDocument();
  });

  it('waits with a bounded progress bar, long-polls with the version, and shows the result once final', async () => {
    const created = payment({
      id: 'pay_j',
      method: 'jeton',
      currency: 'EUR',
      amount: 2500,
      status: 'processing',
    });
    const backend = fakeBackend({
      session: session({ methods: [METHODS.jeton], prices: [{ currency: 'EUR', amount: 2500 }] }),
      create: () => created,
    });
    const v1 = payment({ id: 'pay_j', method: 'jeton', currency: 'EUR', amount: 2500, status: 'processing' });
    const v2 = payment({
      id: 'pay_j',
      method: 'jeton',
      currency: 'EUR',
      amount: 2500,
      status: 'success',
      next_action: { type: 'result' },
    });
    backend.script('pay_j', [v1]);
    server.use(...backend.handlers);
    const onComplete = vi.fn();
    const user = userEvent.setup();
    renderCheckout({ onComplete });
    await user.type(await screen.findByLabelText('Voucher number'), '1234567890123456789');
    await user.type(screen.getByLabelText('Expiry date'), '122099');
    await user.type(screen.getByLabelText('Security code'), '1234');
    await user.click(screen.getByRole('button', { name: 'Pay €25.00' }));
    const waiting = await screen.findByRole('heading', { name: 'Confirming your payment' });
    await waitFor(() => expect(waiting).toHaveFocus());
    expect(screen.getByRole('progressbar', { name: 'Waiting for confirmation' })).toBeInTheDocument();
    backend.script('pay_j', [v2]);
    await screen.findByRole('heading', { name: 'Payment successful' });
    expect(screen.getByText('You paid €25.00 with Jeton Voucher.')).toBeInTheDocument();
    expect(backend.seen.creates[0]?.body).toEqual({
      method: 'jeton',
      currency: 'EUR',
      fields: { number: '1234567890123456789', expiration: '12/2099', security_code: '1234' },
    });
    expect(backend.seen.gets[0]).toBe('/api/payments/pay_j');
    expect(backend.seen.gets[1]).toMatch(/^\/api\/payments\/pay_j\?wait=25&version=\d+$/);
    await waitFor(() => expect(onComplete).toHaveBeenCalledTimes(1));
    expect(onComplete).toHaveBeenCalledWith(expect.objectContaining({ id: 'pay_j', status: 'success' }));
    await new Promise((r) => setTimeout(r, 60));
    expect(onComplete).toHaveBeenCalledTimes(1);
    const live = document.querySelector('[data-ecp-live]')!;
    expect(live).toHaveTextContent('Payment successful. You paid €25.00 with Jeton Voucher.');
  });

  it('goes from the first status check straight to the long-poll, without pausing', async () => {
    const view = payment({
      id: 'pay_j',
      method: 'jeton',
      currency: 'EUR',
      amount: 2500,
      status: 'processing',
      next_action: { type: 'wait', retry_after_ms: 1000 },
    });
    const backend = fakeBackend({
      session: session({ methods: [METHODS.jeton], prices: [{ currency: 'EUR', amount: 2500 }] }),
      create: () => view,
    });
    backend.script('pay_j', [view]);
    server.use(...backend.handlers);
    const times: number[] = [];
    const onStart = ({ request }: { request: Request }) => {
      if (request.method === 'GET' && new URL(request.url).pathname === '/api/payments/pay_j')
        times.push(Date.now());
    };
    server.events.on('request:start', onStart);
    try {
      const user = userEvent.setup();
      renderCheckout();
      await user.type(await screen.findByLabelText('Voucher number'), '1234567890123456789');
      await user.type(screen.getByLabelText('Expiry date'), '122099');
      await user.type(screen.getByLabelText('Security code'), '1234');
      await user.click(screen.getByRole('button', { name: 'Pay €25.00' }));
      await waitFor(() => expect(backend.seen.gets.length).toBeGreaterThanOrEqual(2));
      expect(backend.seen.gets[1]).toMatch(/\?wait=25&version=\d+$/);
      // The view says "wait, retry after 1000 ms"; the long-poll must not sit that out first.
      expect(times[1]! - times[0]!).toBeLessThan(500);
    } finally {
      server.events.removeListener('request:start', onStart);
    }
  });

  it('offers "Check again" once the wait passes its bound', async () => {
    const backend = fakeBackend({ session: session(), create: () => payment({ status: 'processing' }) });
    backend.script('pay_1', [payment({ status: 'processing', version: 1 })]);
    server.use(...backend.handlers);
    renderCheckout({ expectedWaitMs: 1, polling: { intervalMs: 20, maxPollMs: 50 } });
    await userEvent.click(await screen.findByRole('button', { name: 'Pay ₱20.00' }));
    await screen.findByText('This is taking longer than usual. You will not be charged twice.');
    const gets = backend.seen.gets.length;
    backend.script('pay_1', [payment({ status: 'success', next_action: { type: 'result' } })]);
    await userEvent.click(await screen.findByRole('button', { name: 'Check again' }));
    await screen.findByRole('heading', { name: 'Payment successful' });
    expect(backend.seen.gets.length).toBeGreaterThan(gets);
  });
});

describe('Checkout with the keyboard alone', () => {
  it('picks a method with the arrow keys, fills the voucher and pays with Enter', async () => {
    const created = payment({
      id: 'pay_k',
      method: 'jeton',
      currency: 'EUR',
      amount: 2500,
      status: 'processing',
    });
    const backend = fakeBackend({
      session: session({
        methods: [METHODS.grabpayPhp, { ...METHODS.jeton, options: [{ ...METHODS.jeton.options[0]! }] }],
      }),
      create: () => created,
    });
    backend.script('pay_k', [created]);
    server.use(...backend.handlers);
    const user = userEvent.setup();
    renderCheckout();
    const grabpay = await screen.findByRole('radio', { name: /GrabPay/ });
    await user.tab();
    expect(grabpay).toHaveFocus();
    expect(grabpay).toBeChecked();
    await user.keyboard('{ArrowDown}');
    const jeton = screen.getByRole('radio', { name: /Jeton Voucher/ });
    expect(jeton).toBeChecked();
    expect(jeton).toHaveFocus();
    await user.tab();
    expect(screen.getByLabelText('Voucher number')).toHaveFocus();
    await user.keyboard('1234567890123456789');
    await user.tab();
    await user.keyboard('122099');
    await user.tab();
    await user.keyboard('1234{Enter}');
    const heading = await screen.findByRole('heading', { name: 'Confirming your payment' });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(backend.seen.creates).toHaveLength(1);
    expect(backend.seen.creates[0]?.body).toMatchObject({ method: 'jeton', currency: 'EUR' });
  });
});

describe('Checkout method choice', () => {
  /** The session answers late, so the forms' chunk is surely there: the radios come with the session. */
  async function slowSession(methods: SessionView['methods']) {
    const { http, HttpResponse, delay } = await import('msw');
    const backend = fakeBackend({
      session: session({ methods }),
      create: () => payment({ method: 'jeton', currency: 'EUR', amount: 2500, status: 'processing' }),
    });
    backend.script('pay_1', [payment({ method: 'jeton', currency: 'EUR', amount: 2500 })]);
    server.use(
      http.get(`${API}/api/sessions/:id`, async () => {
        await delay(150);
        return HttpResponse.json(session({ methods }));
      }),
      ...backend.handlers,
    );
    return backend;
  }

  /** Runs `onRadios` in the same task as the radios are put in the document (before any effect). */
  function whenRadiosAppear(onRadios: () => void) {
    const observer = new MutationObserver(() => {
      if (!document.querySelector('input[type="radio"]')) return;
      observer.disconnect();
      onRadios();
    });
    observer.observe(document.body, { childList: true, subtree: true });
    return observer;
  }

  it('shows the first method checked from the first render with the session, its form right after', async () => {
    await slowSession([METHODS.advcash, METHODS.jeton]);
    let checkedAtFirst: string[] | undefined;
    let formOrPlaceAtFirst: boolean | undefined;
    let busyAtFirst: string | null | undefined;
    const observer = whenRadiosAppear(() => {
      checkedAtFirst = [...document.querySelectorAll<HTMLInputElement>('input[type="radio"]:checked')].map(
        (r) => r.value,
      );
      formOrPlaceAtFirst = document.querySelector('.ecp-form, .ecp-form-placeholder') !== null;
      busyAtFirst = document.querySelector('.ecp-step--select')?.getAttribute('aria-busy');
    });
    const { container } = renderCheckout();
    expect(await screen.findByRole('radio', { name: /ADVCash/ })).toBeChecked();
    observer.disconnect();
    // No render shows the methods with none checked, nor without the form or the space it takes.
    expect(checkedAtFirst).toEqual(['advcash']);
    expect(formOrPlaceAtFirst).toBe(true);
    // The form follows the list's first frame; the step is busy until then.
    expect(busyAtFirst === 'true' || busyAtFirst === null).toBe(true);
    expect(await screen.findByRole('button', { name: /^Pay / })).toBeInTheDocument();
    expect(container.querySelector('.ecp-form-placeholder')).toBeNull();
    expect(container.querySelector('.ecp-step--select')).not.toHaveAttribute('aria-busy');
  });

  it('keeps a method picked the moment the methods appear (no default overwrites it)', async () => {
    const backend = await slowSession([METHODS.advcash, METHODS.jeton]);
    const observer = whenRadiosAppear(() =>
      document.querySelector<HTMLInputElement>('input[type="radio"][value="jeton"]')!.click(),
    );
    renderCheckout();
    const number = await screen.findByLabelText('Voucher number');
    observer.disconnect();
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(screen.getByRole('radio', { name: /Jeton Voucher/ })).toBeChecked();
    expect(screen.getByRole('radio', { name: /ADVCash/ })).not.toBeChecked();
    expect(screen.getByLabelText('Voucher number')).toBe(number);
    const user = userEvent.setup();
    await user.type(number, '1234567890123456789');
    await user.type(screen.getByLabelText('Expiry date'), '122099');
    await user.type(screen.getByLabelText('Security code'), '1234');
    await user.click(screen.getByRole('button', { name: 'Pay €25.00' }));
    await screen.findByRole('heading', { name: 'Confirming your payment' });
    expect(backend.seen.creates).toHaveLength(1);
    expect(backend.seen.creates[0]?.body).toMatchObject({ method: 'jeton', currency: 'EUR' });
  });
});

describe('Checkout status polling', () => {
  it('backs off after a failed status request and recovers', async () => {
    const { http, HttpResponse } = await import('msw');
    const backend = fakeBackend({ session: session(), create: () => payment({ status: 'processing' }) });
    backend.script('pay_1', [payment({ status: 'success', next_action: { type: 'result' } })]);
    server.use(...backend.handlers);
    let failures = 0;
    server.use(
      http.get(`${API}/api/payments/:id`, () => {
        if (failures++ > 0) return undefined; // then the backend's handler answers
        return HttpResponse.json({ error: { code: 'unavailable', message: 'busy' } }, { status: 503 });
      }),
    );
    renderCheckout({ polling: { intervalMs: 20, retryDelayMs: 30 } });
    await userEvent.click(await screen.findByRole('button', { name: 'Pay ₱20.00' }));
    await screen.findByRole('heading', { name: 'Payment successful' });
    expect(failures).toBeGreaterThanOrEqual(2);
  });

  it('stops at a non-retryable error and offers to try again', async () => {
    const backend = fakeBackend({
      session: session(),
      create: () => payment({ id: 'pay_gone', status: 'processing' }),
    });
    server.use(...backend.handlers);
    renderCheckout();
    await userEvent.click(await screen.findByRole('button', { name: 'Pay ₱20.00' }));
    await screen.findByRole('heading', { name: 'Confirming your payment' });
    const gets = backend.seen.gets.length;
    // The 404 stops polling at once: the shopper gets "Check again" without waiting for the bound.
    const again = await screen.findByRole('button', { name: 'Check again' });
    backend.script('pay_gone', [
      payment({ id: 'pay_gone', status: 'success', next_action: { type: 'result' } }),
    ]);
    await userEvent.click(again);
    await screen.findByRole('heading', { name: 'Payment successful' });
    expect(backend.seen.gets.length).toBe(gets + 1);
  });
});

describe('Checkout return trip', () => {
  it('resumes from ecp_payment in the return URL and shows the result', async () => {
    window.history.replaceState(null, '', '/checkout?ecp_payment=pay_7&ecp_result=success');
    const backend = fakeBackend({ session: session() });
    backend.script('pay_7', [payment({ id: 'pay_7', status: 'success', next_action: { type: 'result' } })]);
    server.use(...backend.handlers);
    const onComplete = vi.fn();
    renderCheckout({ onComplete });
    await screen.findByRole('heading', { name: 'Payment successful' });
    expect(backend.seen.creates).toHaveLength(0);
    expect(backend.seen.gets[0]).toBe('/api/payments/pay_7');
    expect(onComplete).toHaveBeenCalledOnce();
  });

  it('on a return without a final status, keeps checking instead of redirecting again', async () => {
    window.history.replaceState(null, '', '/checkout?ecp_payment=pay_7&ecp_result=return');
    const backend = fakeBackend({ session: session() });
    backend.script('pay_7', [
      payment({ id: 'pay_7', status: 'awaiting_redirect', next_action: redirectTo() }),
      payment({ id: 'pay_7', status: 'decline', code: '20000', next_action: { type: 'result' } }),
    ]);
    server.use(...backend.handlers);
    renderCheckout();
    await screen.findByRole('heading', { name: 'Payment declined' });
    expect(nav.assigned).toEqual([]);
  });

  it('re-checks the status when the page comes back from the back/forward cache', async () => {
    const backend = fakeBackend({
      session: session(),
      create: () => payment({ status: 'awaiting_redirect', next_action: redirectTo() }),
    });
    backend.script('pay_1', [payment({ status: 'awaiting_redirect', next_action: redirectTo() })]);
    server.use(...backend.handlers);
    renderCheckout({ polling: { intervalMs: 5_000 } });
    await userEvent.click(await screen.findByRole('button', { name: 'Pay ₱20.00' }));
    await waitFor(() => expect(nav.assigned).toHaveLength(1));
    const before = backend.seen.gets.length;
    backend.script('pay_1', [payment({ status: 'success', next_action: { type: 'result' } })]);
    const event = new Event('pageshow') as PageTransitionEvent;
    Object.defineProperty(event, 'persisted', { value: true });
    act(() => void window.dispatchEvent(event));
    await screen.findByRole('heading', { name: 'Payment successful' });
    expect(backend.seen.gets.length).toBeGreaterThan(before);
    expect(nav.assigned).toHaveLength(1);
  });

  it('after a back/forward-cache restore on a pending redirect, offers to continue instead of spinning', async () => {
    const pending = () => payment({ status: 'awaiting_redirect', next_action: redirectTo() });
    const backend = fakeBackend({ session: session(), create: pending });
    backend.script('pay_1', [pending()]);
    server.use(...backend.handlers);
    renderCheckout({ polling: { intervalMs: 5_000 } });
    await userEvent.click(await screen.findByRole('button', { name: 'Pay ₱20.00' }));
    await waitFor(() => expect(nav.assigned).toHaveLength(1));
    const heading = screen.getByRole('heading', { name: 'Continue to GrabPay' });
    expect(heading.closest('section')).toHaveAttribute('aria-busy', 'true');
    const before = backend.seen.gets.length;
    const event = new Event('pageshow') as PageTransitionEvent;
    Object.defineProperty(event, 'persisted', { value: true });
    act(() => void window.dispatchEvent(event));
    // The shopper came back without paying: no spinner, the choice to go on or to pick another method.
    expect(await screen.findByRole('button', { name: 'Pick another method' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Continue to GrabPay' })).toBeInTheDocument();
    expect(screen.getByText('Press the button to continue to GrabPay.')).toBeInTheDocument();
    expect(screen.queryByText('Taking you to GrabPay to confirm the payment…')).not.toBeInTheDocument();
    const section = screen.getByRole('heading', { name: 'Continue to GrabPay' }).closest('section');
    expect(section).toHaveAttribute('aria-busy', 'false');
    await waitFor(() => expect(backend.seen.gets.length).toBeGreaterThan(before));
    expect(nav.assigned).toHaveLength(1);
    // Continue goes again, by hand.
    await userEvent.click(screen.getByRole('button', { name: 'Continue to GrabPay' }));
    await waitFor(() => expect(nav.assigned).toHaveLength(2));
  });

  it('announces the redirect step that follows the "waiting" step of a resumed payment', async () => {
    const { http, HttpResponse } = await import('msw');
    sessionStorage.setItem('ecp:payment:ses_1', 'pay_9');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const pending = payment({ id: 'pay_9', status: 'awaiting_redirect', next_action: redirectTo() });
    server.use(
      http.get(`${API}/api/payments/pay_9`, async () => {
        await held;
        return HttpResponse.json(pending);
      }),
      ...fakeBackend({ session: session() }).handlers,
    );
    renderCheckout({ polling: { intervalMs: 5_000 } });
    const live = document.querySelector('[data-ecp-live]')!;
    // The status is not known yet: "waiting", announced.
    await screen.findByRole('heading', { name: 'Confirming your payment' });
    await waitFor(() => expect(live).toHaveTextContent('Confirming your payment'));
    release();
    await screen.findByRole('heading', { name: 'Continue to GrabPay' });
    expect(screen.getByRole('button', { name: 'Pick another method' })).toBeInTheDocument();
    // The live region follows the step on screen, not the "waiting" step before it.
    await waitFor(() => expect(live).toHaveTextContent('Press the button to continue to GrabPay.'));
    expect(live).not.toHaveTextContent(/Confirming your payment/);
    expect(nav.assigned).toEqual([]);
    // Pick another method: the methods again, said as well.
    await userEvent.click(screen.getByRole('button', { name: 'Pick another method' }));
    await screen.findByRole('heading', { name: 'Choose a payment method' });
    await waitFor(() => expect(live).toHaveTextContent('Choose a payment method'));
  });

  it('announces the redirect held by beforeRedirect, then going on', async () => {
    const pending = () => payment({ status: 'awaiting_redirect', next_action: redirectTo() });
    const backend = fakeBackend({ session: session(), create: pending });
    backend.script('pay_1', [pending()]);
    server.use(...backend.handlers);
    let proceed = false;
    renderCheckout({ beforeRedirect: () => proceed, polling: { intervalMs: 5_000 } });
    const live = document.querySelector('[data-ecp-live]')!;
    await userEvent.click(await screen.findByRole('button', { name: 'Pay ₱20.00' }));
    await screen.findByRole('button', { name: 'Pick another method' });
    await waitFor(() => expect(live).toHaveTextContent('Press the button to continue to GrabPay.'));
    proceed = true;
    await userEvent.click(screen.getByRole('button', { name: 'Continue to GrabPay' }));
    await waitFor(() => expect(nav.assigned).toHaveLength(1));
    await waitFor(() => expect(live).toHaveTextContent('Redirecting to GrabPay…'));
  });

  it('resumes after a reload from sessionStorage', async () => {
    sessionStorage.setItem('ecp:payment:ses_1', 'pay_9');
    const backend = fakeBackend({ session: session() });
    backend.script('pay_9', [
      payment({ id: 'pay_9', status: 'processing' }),
      payment({ id: 'pay_9', status: 'success', next_action: { type: 'result' } }),
    ]);
    server.use(...backend.handlers);
    renderCheckout();
    await screen.findByRole('heading', { name: 'Payment successful' });
    expect(backend.seen.creates).toHaveLength(0);
  });

  it('reloaded while waiting: the new page resumes from the tab memory and fires onComplete once', async () => {
    // What a reload leaves: the session's current payment in sessionStorage, nothing reported yet.
    sessionStorage.setItem('ecp:payment:ses_1', 'pay_w');
    const backend = fakeBackend({ session: session({ payment: { id: 'pay_w', status: 'processing' } }) });
    backend.script('pay_w', [
      payment({ id: 'pay_w', method: 'jeton', status: 'processing' }),
      payment({ id: 'pay_w', method: 'jeton', status: 'success', next_action: { type: 'result' } }),
    ]);
    server.use(...backend.handlers);
    const onComplete = vi.fn();
    renderCheckout({ onComplete });
    await screen.findByRole('heading', { name: 'Payment successful' });
    await waitFor(() => expect(onComplete).toHaveBeenCalledOnce());
    expect(onComplete).toHaveBeenCalledWith(expect.objectContaining({ id: 'pay_w', status: 'success' }));
    expect(backend.seen.creates).toHaveLength(0);
    expect(sessionStorage.getItem('ecp:completed:pay_w')).toBe('1');
  });

  it('does not fire onComplete again for a payment completed earlier in this tab', async () => {
    sessionStorage.setItem('ecp:payment:ses_1', 'pay_9');
    sessionStorage.setItem('ecp:completed:pay_9', '1');
    const backend = fakeBackend({ session: session() });
    backend.script('pay_9', [payment({ id: 'pay_9', status: 'success', next_action: { type: 'result' } })]);
    server.use(...backend.handlers);
    const onComplete = vi.fn();
    renderCheckout({ onComplete });
    await screen.findByRole('heading', { name: 'Payment successful' });
    expect(onComplete).not.toHaveBeenCalled();
  });
});

describe('Checkout results', () => {
  const cases: [string | undefined, string][] = [
    ['20101', 'The payment exceeds an amount or frequency limit. Try a smaller amount or another method.'],
    ['20000', 'The payment was declined. No money was taken.'],
    ['100', 'The payment was declined. No money was taken.'],
    ['20602', 'The payment timed out. No money was taken; please try again.'],
    ['3028', 'The shop cannot take this payment right now. Please try again later.'],
    ['3041', 'This payment was already submitted. Please start a new one.'],
    ['3061', 'We could not find this payment. Please try again.'],
    ['99999', 'The payment was declined. No money was taken.'],
    [undefined, 'The payment was declined. No money was taken.'],
  ];
  it.each(cases)('explains decline code %s', async (code, text) => {
    window.history.replaceState(null, '', '/?ecp_payment=pay_d');
    const backend = fakeBackend({ session: session() });
    backend.script('pay_d', [
      payment({ id: 'pay_d', status: 'decline', ...(code ? { code } : {}), next_action: { type: 'result' } }),
    ]);
    server.use(...backend.handlers);
    renderCheckout();
    await screen.findByRole('heading', { name: 'Payment declined' });
    expect(screen.getByText(text)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Pick another method' })).toBeInTheDocument();
  });

  it('explains an expired payment', async () => {
    window.history.replaceState(null, '', '/?ecp_payment=pay_e');
    const backend = fakeBackend({ session: session() });
    backend.script('pay_e', [payment({ id: 'pay_e', status: 'expired', next_action: { type: 'result' } })]);
    server.use(...backend.handlers);
    renderCheckout();
    await screen.findByRole('heading', { name: 'Payment not completed' });
    expect(screen.getByText('The time to pay ran out. No money was taken.')).toBeInTheDocument();
  });

  it('tries again with a new idempotency key, and "pick another method" returns to the methods', async () => {
    const backend = fakeBackend({
      session: session({
        methods: [
          METHODS.grabpayPhp,
          { ...METHODS.jeton, options: [{ ...METHODS.jeton.options[0]!, currency: 'PHP', amount: 2000 }] },
        ],
      }),
      create: (_b, n) => payment({ id: `pay_${n}`, status: 'processing' }),
    });
    backend.script('pay_1', [
      payment({ id: 'pay_1', status: 'decline', code: '20101', next_action: { type: 'result' } }),
    ]);
    backend.script('pay_2', [
      payment({ id: 'pay_2', status: 'decline', code: '20602', next_action: { type: 'result' } }),
    ]);
    server.use(...backend.handlers);
    const user = userEvent.setup();
    renderCheckout();
    await user.click(await screen.findByRole('button', { name: 'Pay ₱20.00' }));
    await screen.findByText(/exceeds an amount or frequency limit/);
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    const heading = await screen.findByRole('heading', { name: 'Choose a payment method' });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(screen.getByRole('radio', { name: /GrabPay/ })).toBeChecked();
    expect(sessionStorage.getItem('ecp:payment:ses_1')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Pay ₱20.00' }));
    await screen.findByText(/timed out/);
    expect(backend.seen.creates).toHaveLength(2);
    expect(backend.seen.creates[0]?.key).not.toBe(backend.seen.creates[1]?.key);
    await user.click(screen.getByRole('button', { name: 'Pick another method' }));
    await screen.findByRole('heading', { name: 'Choose a payment method' });
    await user.click(screen.getByRole('radio', { name: /Jeton Voucher/ }));
    expect(await screen.findByLabelText('Voucher number')).toBeInTheDocument();
  });

  it('retries a failed create with the same idempotency key, and says what went wrong', async () => {
    const { http, HttpResponse } = await import('msw');
    const backend = fakeBackend({ session: session() });
    backend.script('pay_1', [payment({ status: 'success', next_action: { type: 'result' } })]);
    let n = 0;
    server.use(...backend.handlers);
    server.use(
      http.post(`${API}/api/sessions/:id/payments`, async ({ request }) => {
        backend.seen.creates.push({
          body: await request.json(),
          key: request.headers.get('idempotency-key'),
        });
        n += 1;
        if (n === 1)
          return HttpResponse.json({ error: { code: 'upstream', message: 'Gate down' } }, { status: 502 });
        return HttpResponse.json(payment({ status: 'processing' }), { status: 201 });
      }),
    );
    const onError = vi.fn();
    const user = userEvent.setup();
    renderCheckout({ onError });
    await user.click(await screen.findByRole('button', { name: 'Pay ₱20.00' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Something went wrong. Please try again.');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ name: 'ApiError', status: 502 }), {
      stage: 'submit',
    });
    await user.click(screen.getByRole('button', { name: 'Pay ₱20.00' }));
    await screen.findByRole('heading', { name: 'Payment successful' });
    expect(backend.seen.creates).toHaveLength(2);
    expect(backend.seen.creates[1]?.key).toBe(backend.seen.creates[0]?.key);
  });

  it('says so when the session link is unknown or expired', async () => {
    server.use(...fakeBackend({ session: session({ id: 'other' }) }).handlers);
    const onError = vi.fn();
    const { unmount } = renderCheckout({ onError });
    await screen.findByText('This checkout link is not valid.');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ status: 404 }), { stage: 'session' });
    unmount();
    server.use(...fakeBackend({ session: session({ status: 'expired' }) }).handlers);
    renderCheckout();
    await screen.findByText('This checkout has expired. Please return to the shop and start again.');
  });
});

describe('Checkout events', () => {
  it('fires onReady once and onMethodChange with the latest callback props', async () => {
    server.use(
      ...fakeBackend({ session: session({ methods: [METHODS.grabpayPhp, { ...METHODS.advcash }] }) })
        .handlers,
    );
    const onReady = vi.fn();
    const first = vi.fn();
    const second = vi.fn();
    const { rerender } = renderCheckout({ onReady, onMethodChange: first });
    await screen.findByRole('radio', { name: /ADVCash/ });
    rerender(
      <StrictMode>
        <Checkout sessionId="ses_1" apiBaseUrl={API} onReady={onReady} onMethodChange={second} />
      </StrictMode>,
    );
    await userEvent.click(screen.getByRole('radio', { name: /ADVCash/ }));
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledWith({ method: 'advcash', currency: 'EUR' });
    expect(onReady).toHaveBeenCalledOnce();
    expect(within(document.body).getAllByRole('radio')).toHaveLength(2);
  });
});

describe('Checkout with the session handed over by the page', () => {
  async function countingSession(view: SessionView) {
    const { http, HttpResponse } = await import('msw');
    const asked = { n: 0 };
    server.use(
      http.get(`${API}/api/sessions/:id`, () => {
        asked.n += 1;
        return HttpResponse.json(view);
      }),
    );
    return asked;
  }

  it('shows the methods at once, without asking the backend for the session, and pays', async () => {
    const view = session({ methods: [METHODS.grabpayPhp, METHODS.jeton] });
    const backend = fakeBackend({ session: view });
    backend.script('pay_1', [payment({ status: 'awaiting_redirect', next_action: redirectTo() })]);
    server.use(...backend.handlers);
    const asked = await countingSession(view);
    renderCheckout({ session: view });
    // In the first render: no loading step in between.
    expect(screen.getByRole('radio', { name: /GrabPay/ })).toBeChecked();
    await userEvent.click(await screen.findByRole('button', { name: 'Pay ₱20.00' }));
    await waitFor(() => expect(backend.seen.creates).toHaveLength(1));
    expect(asked.n).toBe(0);
  });

  it("asks the backend when the page's session is not a valid view of this session", async () => {
    const view = session({ methods: [METHODS.advcash] });
    const asked = await countingSession(view);
    const forged = { ...view, methods: [{ ...METHODS.jeton, options: [{ currency: 'EUR', amount: -1 }] }] };
    const { unmount } = renderCheckout({ session: forged as unknown as SessionView });
    expect(await screen.findByRole('radio', { name: /ADVCash/ })).toBeChecked();
    expect(screen.queryByRole('radio', { name: /Jeton/ })).toBeNull();
    // (StrictMode's extra mount cancels and repeats the request: at least one.)
    expect(asked.n).toBeGreaterThan(0);
    unmount();
    const before = asked.n;
    renderCheckout({ session: { ...view, id: 'ses_other' } });
    expect(await screen.findByRole('radio', { name: /ADVCash/ })).toBeChecked();
    expect(asked.n).toBeGreaterThan(before);
  });
});
