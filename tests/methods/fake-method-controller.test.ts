/**
 * The "one module per method" test through all three parts (issue 11, part 2; docs/architecture.md,
 * "Adding a method"): FakePay (tests/methods/fake-method.ts, fake-sandbox-provider.ts,
 * fake-method.messages.ts), registered here, paid by the widget's framework-free checkout controller
 * (`createCheckout`, as `<Checkout>` and the embed drive it) whose client talks to the real backend (an
 * in-process fetch to `app.fetch`, in-memory PGlite), which signs the Gate sale to the in-process sandbox.
 * Plain Node: the browser seam records the redirect (validated by core `planRedirect`) instead of leaving.
 * Time is real (the backend's long-polls), so every wait is on an event with a generous bound.
 */
import { describe, expect, it } from 'vitest';
import type { PaymentView } from '../../src/core/api.ts';
import { createClient, isApiError } from '../../src/core/client.ts';
import {
  createCheckout,
  type CheckoutController,
  type CheckoutEnvironment,
  type CheckoutSnapshot,
} from '../../src/core/checkout/index.ts';
import { planRedirect, type Navigation } from '../../src/core/redirect.ts';
import { abortable, BACKEND_URL } from '../server/helpers.ts';
import { FAKE, withFakePay } from './fake-stack.ts';

/** Generous: with both cores busy a PGlite write and a sandbox round trip take a few seconds at most. */
const PATIENCE_MS = 60_000;
const fake = withFakePay();

/** A tab: its sessionStorage and its address bar's return parameter, shared by the pages opened in it. */
function tab() {
  const store = new Map<string, string>();
  return { store, returned: null as string | null, navigations: [] as Navigation[] };
}

/** The browser seam of one page in `t`: the redirect is checked by core `planRedirect` and recorded. */
function browser(t: ReturnType<typeof tab>): CheckoutEnvironment {
  return {
    storage: {
      get: (k) => t.store.get(k) ?? null,
      set: (k, v) => void (v === null ? t.store.delete(k) : t.store.set(k, v)),
    },
    returnedPayment: () => t.returned,
    clearReturnParams: () => void (t.returned = null),
    onPageRestored: () => () => {},
    inIframe: () => false,
    navigate(data, opts) {
      const nav = planRedirect(data, opts);
      t.navigations.push(nav);
      return nav;
    },
    openPopup: () => null,
  };
}

/** One page of the widget: the controller on the real backend, with its events recorded. */
function page(sessionId: string, t: ReturnType<typeof tab>, autoStart = true) {
  const completes: PaymentView[] = [];
  const errors: string[] = [];
  const checkout = createCheckout({
    sessionId,
    client: createClient({
      baseUrl: BACKEND_URL,
      fetch: abortable((url, init) => Promise.resolve(fake.stack.server.app.fetch(new Request(url, init)))),
    }),
    environment: browser(t),
    // The sandbox's pages are plain http on 127.0.0.1 (a dev host), like the demo's.
    redirectPolicy: { devHosts: ['127.0.0.1'] },
    autoStart,
    onComplete: (p) => completes.push(p),
    onError: (e, c) => errors.push(`${c.stage}: ${e.message}`),
  });
  return { checkout, completes, errors };
}

/** Resolves with the first snapshot that meets `ok` (now or after a change); fails after PATIENCE_MS. */
function until(
  checkout: CheckoutController,
  ok: (s: CheckoutSnapshot) => boolean,
  what: string,
): Promise<CheckoutSnapshot> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const s = checkout.getSnapshot();
      if (!ok(s)) return false;
      clearTimeout(timer);
      stop();
      resolve(s);
      return true;
    };
    const timer = setTimeout(() => {
      stop();
      const s = checkout.getSnapshot();
      reject(new Error(`${what}: still ${s.step}/${s.flow.phase} (${s.payment?.status ?? 'no payment'})`));
    }, PATIENCE_MS);
    const stop = checkout.subscribe(check);
    check();
  });
}

describe('FakePay through the checkout controller, the backend and the sandbox', () => {
  it('select, submit, redirect to the provider, success there, return: the result step, onComplete once', async () => {
    const session = await fake.stack.createSession({ amount: 2500, currency: 'EUR' });
    const t = tab();
    const first = page(session.id, t);
    await until(first.checkout, (s) => s.step === 'select', 'session loaded');
    expect(first.checkout.getSnapshot().session?.methods.map((m) => m.method)).toContain(FAKE);

    first.checkout.selectMethod(FAKE);
    expect(first.checkout.getSnapshot()).toMatchObject({ method: FAKE, currency: 'EUR' });
    await first.checkout.submit({ fields: { phone: '+63 917 123 4567' } });

    // The backend's payment (its Gate sale with the method's body) redirects; the controller leaves.
    const leaving = await until(first.checkout, (s) => s.flow.phase === 'redirecting', 'redirect');
    expect(leaving.step).toBe('redirect');
    const paymentId = leaving.flow.paymentId!;
    expect(leaving.payment).toMatchObject({ id: paymentId, method: FAKE, amount: 2500, currency: 'EUR' });
    const sale = fake.stack.gateRequests.find(
      (r) => r.path === '/v2/payment/wallet/fakepay/sale' && r.body.account?.number === '+639171234567',
    );
    expect(sale?.body.payment).toMatchObject({ amount: 2500, currency: 'EUR' });
    expect(t.navigations).toHaveLength(1);
    const nav = t.navigations[0]!;
    expect(nav.kind).toBe('get');
    expect(nav.url).toContain('/providers/fakepay/pay?fp_token=');
    expect(t.store.get(`ecp:payment:${session.id}`)).toBe(paymentId);
    expect(first.completes).toEqual([]);
    first.checkout.destroy(); // the browser left the page

    // The shopper on the provider's page (the sandbox) presses "success"; it sends them back.
    const html = await (await fake.stack.sandbox.app.request(nav.url)).text();
    const token = /name="token" value="([^"]+)"/.exec(html)?.[1];
    expect(token).toBeDefined();
    const decided = await fake.stack.sandbox.app.request(
      `${new URL(nav.url).origin}/providers/fakepay/pay/decide`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: token ?? '', result: 'success' }).toString(),
      },
    );
    expect(decided.status).toBe(303);
    const back = new URL(decided.headers.get('location') ?? '');
    expect(back.searchParams.get('ecp_payment')).toBe(paymentId);

    // The return: a new page in the same tab, its address carrying the payment; it resumes and reports.
    t.returned = back.searchParams.get('ecp_payment');
    const second = page(session.id, t, false);
    second.checkout.resume(); // before start: nothing runs yet (the flow is idle until the page starts)
    expect(second.checkout.getSnapshot().flow).toMatchObject({ phase: 'tracking', paymentId, resumed: true });
    second.checkout.start();
    const done = await until(second.checkout, (s) => s.step === 'result', 'result');
    expect(done.payment).toMatchObject({ id: paymentId, method: FAKE, status: 'success' });
    expect(done.flow.resumed).toBe(true);
    expect(second.completes.map((p) => `${p.id}:${p.status}`)).toEqual([`${paymentId}:success`]);
    expect(second.errors).toEqual([]);
    // Resumed, not sent to the provider again.
    expect(t.navigations).toHaveLength(1);

    // A reload of the result page (same tab, same return URL) does not report it twice.
    second.checkout.destroy();
    const reloaded = page(session.id, t);
    await until(reloaded.checkout, (s) => s.step === 'result', 'result after reload');
    reloaded.checkout.destroy();
    expect([...first.completes, ...second.completes, ...reloaded.completes]).toHaveLength(1);
  });

  it("an invalid field: the backend's refusal with the spec's message id in the snapshot, nothing lost", async () => {
    const session = await fake.stack.createSession({ amount: 2500, currency: 'EUR' });
    const before = fake.stack.gateRequests.length;
    const t = tab();
    const { checkout, completes, errors } = page(session.id, t);
    await until(checkout, (s) => s.step === 'select', 'session loaded');
    checkout.selectMethod(FAKE);
    await checkout.submit({ fields: { phone: '12' } });

    const s = await until(checkout, (x) => x.flow.phase === 'idle' && x.submitError !== undefined, 'refusal');
    expect(s.step).toBe('select');
    expect(s.method).toBe(FAKE);
    expect(s.submitError).toBe('generic');
    expect(s.notice).toMatchObject({ kind: 'error', error: 'generic' });
    expect(isApiError(s.flow.error)).toBe(true);
    expect(s.flow.error).toMatchObject({ status: 400, message: 'fields.phone: fakepay.phone.invalid' });
    expect(s.fields).toEqual({ phone: '12' }); // the form keeps what was typed
    expect(s.payment).toBeUndefined();
    expect(errors).toEqual(['submit: fields.phone: fakepay.phone.invalid']);
    expect(completes).toEqual([]);
    expect(t.navigations).toEqual([]);
    expect(t.store.get(`ecp:payment:${session.id}`)).toBeUndefined();
    // Refused before the Gate: no sale was sent.
    expect(fake.stack.gateRequests.length).toBe(before);
    checkout.destroy();
  });
});
