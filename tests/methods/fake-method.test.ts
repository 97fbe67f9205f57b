/**
 * The test of "one module per method" (docs/architecture.md, "Adding a method"): a fifth method that
 * lives in three files — its core module (fake-method.ts), its sandbox provider (fake-sandbox-provider.ts)
 * and its texts (fake-method.messages.ts) — registered here and paid end to end: the merchant's session
 * offers it, the core client (as the widget uses it) pays with its validated field, the backend signs a
 * Gate sale with its body, the sandbox's provider page takes the shopper, and the signed callback is
 * mapped back to it by its label. Nothing in src/ names it.
 */
import { describe, expect, it } from 'vitest';
import type { PaymentView } from '../../src/core/api.ts';
import { createClient, isApiError, newIdempotencyKey } from '../../src/core/client.ts';
import { catalog, createCatalog, isMethodId, methodFromCallbackLabel } from '../../src/core/methods/index.ts';
import { planRedirect } from '../../src/core/redirect.ts';
import { DEMO_PROJECT_ID } from '../../src/server/config.ts';
import { BACKEND_URL } from '../server/helpers.ts';
import { FAKE, withFakePay } from './fake-stack.ts';

const fake = withFakePay();

/** The widget's client, talking to the in-process backend. */
function client() {
  return createClient({
    baseUrl: BACKEND_URL,
    fetch: (url, init) => Promise.resolve(fake.stack.server.app.request(url, init)),
  });
}

describe('a method added by registration (three files, no change in src/)', () => {
  it('joins every catalog: ids, availability, callback labels, an already made catalog', () => {
    expect(isMethodId('fakepay')).toBe(true);
    expect(catalog.methods.map((m) => m.id)).toContain('fakepay');
    expect(createCatalog().get(FAKE).name).toBe('FakePay');
    expect(methodFromCallbackLabel(catalog, 'FakePay wallet')).toBe('fakepay');
    expect(catalog.check(FAKE, 50, 'EUR')?.code).toBe('below_minimum');
    expect(catalog.check(FAKE, 2500, 'PHP')?.code).toBe('currency_not_supported');
  });

  it('is offered by the session, validated by its own rule, paid through its provider page, settled by callback', async () => {
    const session = await fake.stack.createSession({ amount: 2500, currency: 'EUR' });
    const api = client();
    const view = await api.getSession(session.id);
    expect(view.methods.find((m) => m.method === FAKE)).toMatchObject({
      name: 'FakePay',
      redirect: true,
      options: [{ currency: 'EUR', amount: 2500 }],
    });

    // The method's field rule (from its form spec) refuses a bad phone with its own message id.
    const bad = await api
      .createPayment(
        session.id,
        { method: FAKE, currency: 'EUR', fields: { phone: '12' } },
        newIdempotencyKey(),
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isApiError(bad)).toBe(true);
    expect(bad).toMatchObject({ status: 400, message: 'fields.phone: fakepay.phone.invalid' });

    const created = await api.createPayment(
      session.id,
      { method: FAKE, currency: 'EUR', fields: { phone: '+63 917 123 4567' } },
      newIdempotencyKey(),
    );
    expect(created).toMatchObject({ method: FAKE, amount: 2500, currency: 'EUR' });

    // The backend's Gate sale: the method's path and the body its module builds (`saleBody`).
    const sale = fake.stack.gateRequests.find((r) => r.path === '/v2/payment/wallet/fakepay/sale');
    expect(sale?.body.account).toEqual({ number: '+639171234567' });
    expect(sale?.body.payment).toMatchObject({ amount: 2500, currency: 'EUR' });
    expect(Object.keys(sale?.body.return_url ?? {})).toEqual(['success', 'decline']);

    // The sandbox's provider sends the redirect by callback; the backend hands it to the client.
    await fake.stack.sandbox.idle();
    const waiting: PaymentView = await api.getPayment(created.id);
    expect(waiting.status).toBe('awaiting_redirect');
    if (waiting.next_action.type !== 'redirect') throw new Error(`no redirect: ${waiting.next_action.type}`);
    const nav = planRedirect(waiting.next_action.redirect, { policy: { devHosts: ['127.0.0.1'] } });
    expect(nav.kind).toBe('get');
    if (nav.kind !== 'get') return;
    expect(nav.url).toContain('/providers/fakepay/pay?fp_token=');

    // The provider's page (generic sandbox code, the provider's name and token field) and its button.
    const page = await fake.stack.sandbox.app.request(nav.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('FakePay (sandbox)');
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
    expect(decided.headers.get('location')).toContain(`ecp_payment=${created.id}`);

    // The final callback names the method by its label ("FakePay wallet"); the backend maps it back.
    const done = await fake.stack.settle(created.id);
    expect(done).toMatchObject({ id: created.id, method: FAKE, status: 'success', code: '0' });
    const ledger = fake.stack.sandbox.ledger().find((e) => e.payment_id === created.id);
    expect(ledger).toMatchObject({ method: FAKE, status: 'success' });
  });

  it('is declined like any method for the test amounts, without a redirect page', async () => {
    const session = await fake.stack.createSession({ amount: 40_000, currency: 'EUR' });
    const created = await client().createPayment(
      session.id,
      { method: FAKE, currency: 'EUR', fields: { phone: '+4915112345678' } },
      newIdempotencyKey(),
    );
    await fake.stack.sandbox.idle();
    await fake.stack.sandbox.decide(DEMO_PROJECT_ID, created.id, 'decline');
    expect(await fake.stack.settle(created.id)).toMatchObject({ method: FAKE, status: 'decline' });
  });
});
