/**
 * Webhooks to the merchant (issue 12, part 1) through the real API, the Gate sandbox in process and a local
 * HTTP receiver: exactly one signed event per status change, verified with the core's `verifyWebhook`;
 * retries on the stack's clock (no waiting on real time); order by sequence; endpoint input; the history and
 * resend routes; concurrency per endpoint; endpoints disabled after failing for long.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PaymentView } from '../../src/core/api.ts';
import { verifyWebhook, type WebhookEvent } from '../../src/core/webhooks.ts';
import { DEMO_PROJECT_ID } from '../../src/server/config.ts';
import type { Store } from '../../src/server/store/index.ts';
import { AUTH, newPgliteStore, startStack, type Stack } from './helpers.ts';
import { startReceiver, type Receiver } from './webhook-receiver.ts';

let store: Store;
let stack: Stack;
let receiver: Receiver;

const HOUR = 3_600_000;

beforeAll(async () => {
  store = await newPgliteStore();
}, 60_000);
afterAll(async () => {
  await store?.close();
});
beforeEach(async () => {
  receiver = await startReceiver();
  stack = await startStack({
    store,
    deps: {
      webhooks: {
        autoStart: false,
        random: () => 0.5,
        config: { retryForMs: 72 * HOUR, disableAfterMs: 120 * HOUR, timeoutMs: 5_000 },
      },
    },
  });
  // Every test starts with no endpoints (the store is shared by the tests of this file).
  for (const e of (await list()).body.data)
    await stack.call('DELETE', `/api/merchant/webhook-endpoints/${e.id}`, undefined, AUTH);
});
afterEach(async () => {
  await stack?.close();
  await receiver?.close();
});

interface Endpoint {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  secret?: string;
  max_concurrency: number;
  disabled_reason?: string;
}

const list = () =>
  stack.json<{ data: Endpoint[] }>('GET', '/api/merchant/webhook-endpoints', undefined, AUTH);

async function register(body: Record<string, unknown> = {}): Promise<Endpoint & { secret: string }> {
  const r = await stack.json<Endpoint & { secret: string }>(
    'POST',
    '/api/merchant/webhook-endpoints',
    { url: receiver.url, events: ['payment.succeeded', 'payment.declined', 'refund.succeeded'], ...body },
    AUTH,
  );
  expect(r.status).toBe(201);
  return r.body;
}

async function paidPayco(): Promise<PaymentView> {
  const s = await stack.createSession({ amount: 10_000, currency: 'KRW' });
  const r = await stack.pay(s.id, { method: 'payco', currency: 'KRW' }, crypto.randomUUID());
  await stack.sandbox.idle();
  await stack.sandbox.decide(DEMO_PROJECT_ID, r.body.id, 'success');
  return stack.settle(r.body.id);
}

async function verified(index: number, secret: string): Promise<WebhookEvent<PaymentView>> {
  const r = receiver.received[index];
  if (!r) throw new Error(`no request ${index}`);
  // The signature's timestamp is the backend's clock (the stack's), which tests move forward.
  const v = await verifyWebhook<PaymentView>(r.body, r.headers, secret, { now: stack.clock.now });
  if (!v.ok) throw new Error(`not verified: ${v.reason}`);
  return v.event;
}

const drain = () => stack.server.webhooks.worker.drain();

describe('delivery', { timeout: 60_000 }, () => {
  it('a payment succeeded → exactly one payment.succeeded, signed, verified with verifyWebhook', async () => {
    const endpoint = await register();
    const paid = await paidPayco();
    expect(paid.status).toBe('success');
    await drain();
    await drain();
    expect(receiver.received).toHaveLength(1);
    const event = await verified(0, endpoint.secret);
    expect(event).toMatchObject({
      type: 'payment.succeeded',
      data: { id: paid.id, status: 'success', amount: 10_000 },
    });
    expect(event.id).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(receiver.received[0]?.headers['webhook-id']).toBe(event.id);
    expect(typeof event.sequence).toBe('number');
    // The data is the merchant API's view of the payment.
    const view = await stack.json<PaymentView>('GET', `/api/merchant/payments/${paid.id}`, undefined, AUTH);
    expect(event.data).toEqual(
      Object.fromEntries(Object.entries(view.body).filter(([k]) => k in event.data)),
    );
    // Another secret does not verify it.
    const other = await register();
    const r0 = receiver.received[0] as { body: string; headers: Record<string, string> };
    expect((await verifyWebhook(r0.body, r0.headers, other.secret)).ok).toBe(false);
  });

  it('the receiver answers 500, then 200 → delivered on the retry, with the same webhook-id', async () => {
    const endpoint = await register();
    receiver.respond = (_, i) => (i === 0 ? 500 : 200);
    const paid = await paidPayco();
    await drain();
    expect(receiver.received).toHaveLength(1);
    const history = await stack.json<{
      data: { deliveries: { status: string; next_attempt_at?: string }[] }[];
    }>('GET', `/api/merchant/payments/${paid.id}/webhooks`, undefined, AUTH);
    const pending = history.body.data[0]?.deliveries[0];
    expect(pending?.status).toBe('pending');
    // Not due yet: nothing is sent until the clock passes the retry time.
    await drain();
    expect(receiver.received).toHaveLength(1);
    stack.clock.now = Date.parse(pending?.next_attempt_at ?? '') + 1;
    await drain();
    expect(receiver.received).toHaveLength(2);
    const first = receiver.received[0]?.headers['webhook-id'];
    expect(receiver.received[1]?.headers['webhook-id']).toBe(first);
    const v = await verifyWebhook(
      receiver.received[1]?.body ?? '',
      receiver.received[1]?.headers ?? {},
      endpoint.secret,
      {
        now: stack.clock.now,
      },
    );
    expect(v.ok).toBe(true);
    const after = await stack.json<{
      data: {
        deliveries: { status: string; attempts: number; attempt_log: { response_status?: number }[] }[];
      }[];
    }>('GET', `/api/merchant/payments/${paid.id}/webhooks`, undefined, AUTH);
    expect(after.body.data[0]?.deliveries[0]).toMatchObject({
      status: 'delivered',
      attempts: 2,
      attempt_log: [{ response_status: 500 }, { response_status: 200 }],
    });
  });

  it("one payment's events arrive in sequence order, a failing earlier one holding the later back", async () => {
    const endpoint = await register();
    receiver.respond = (_, i) => (i === 0 ? 503 : 200);
    const paid = await paidPayco();
    const refund = await stack.json(
      'POST',
      `/api/merchant/payments/${paid.id}/refunds`,
      { description: 'back' },
      AUTH,
    );
    expect(refund.status).toBe(201);
    await stack.sandbox.idle();
    await drain();
    // The refund's event waits for the payment's, which failed.
    expect(receiver.received).toHaveLength(1);
    stack.clock.now += HOUR;
    await drain();
    const events = await Promise.all([1, 2].map((i) => verified(i, endpoint.secret)));
    const types = receiver.received.map((r) => (JSON.parse(r.body) as WebhookEvent).type);
    expect(types).toEqual(['payment.succeeded', 'payment.succeeded', 'refund.succeeded']);
    const seqs = receiver.received.map((r) => (JSON.parse(r.body) as WebhookEvent).sequence);
    expect(seqs[2]).toBeGreaterThan(seqs[1] as number);
    expect(events.map((e) => e.type)).toEqual(['payment.succeeded', 'refund.succeeded']);
    expect(
      (JSON.parse(receiver.received[2]?.body ?? '{}') as WebhookEvent<{ payment_id: string }>).data
        .payment_id,
    ).toBe(paid.id);
  });

  it('only the subscribed types; a declined payment → payment.declined', async () => {
    await register({ events: ['payment.declined'] });
    await paidPayco();
    const s = await stack.createSession({ amount: 10_000, currency: 'KRW' });
    const r = await stack.pay(s.id, { method: 'payco', currency: 'KRW' }, crypto.randomUUID());
    await stack.sandbox.idle();
    await stack.sandbox.decide(DEMO_PROJECT_ID, r.body.id, 'decline');
    await stack.settle(r.body.id);
    await drain();
    expect(receiver.received.map((x) => (JSON.parse(x.body) as WebhookEvent).type)).toEqual([
      'payment.declined',
    ]);
  });

  it('at most max_concurrency deliveries to an endpoint at once', async () => {
    await register({ max_concurrency: 2 });
    const release: (() => void)[] = [];
    receiver.respond = () => new Promise<number>((r) => release.push(() => r(200)));
    for (let i = 0; i < 5; i++) await paidPayco();
    const drained = drain();
    while (receiver.received.length < 5) {
      await new Promise((r) => setTimeout(r, 20));
      release.splice(0).forEach((f) => f());
    }
    await drained;
    expect(receiver.received).toHaveLength(5);
    expect(receiver.maxConcurrent).toBeLessThanOrEqual(2);
  });

  it('a resend delivers the event again; the history lists both attempts', async () => {
    await register();
    const paid = await paidPayco();
    await drain();
    const h = await stack.json<{ data: { id: string }[] }>(
      'GET',
      `/api/merchant/payments/${paid.id}/webhooks`,
      undefined,
      AUTH,
    );
    const eventId = h.body.data[0]?.id as string;
    const r = await stack.json('POST', `/api/merchant/webhook-events/${eventId}/resend`, undefined, AUTH);
    expect(r).toMatchObject({ status: 202, body: { event_id: eventId, queued: 1 } });
    await drain();
    expect(receiver.received.map((x) => x.headers['webhook-id'])).toEqual([eventId, eventId]);
    expect(
      (await stack.json('POST', '/api/merchant/webhook-events/evt_nope/resend', undefined, AUTH)).status,
    ).toBe(404);
    expect(
      (await stack.json('GET', '/api/merchant/payments/pay_nope/webhooks', undefined, AUTH)).status,
    ).toBe(404);
  });

  it('gives up after the retry window; an endpoint failing for long is disabled, and enabled again by PATCH', async () => {
    const endpoint = await register();
    receiver.respond = () => 500;
    const paid = await paidPayco();
    await drain();
    for (let day = 1; day <= 6; day++) {
      stack.clock.now += 24 * HOUR;
      await drain();
    }
    const h = await stack.json<{ data: { deliveries: { status: string; attempts: number }[] }[] }>(
      'GET',
      `/api/merchant/payments/${paid.id}/webhooks`,
      undefined,
      AUTH,
    );
    expect(h.body.data[0]?.deliveries[0]?.status).toBe('failed');
    expect(h.body.data[0]?.deliveries[0]?.attempts).toBeGreaterThanOrEqual(4);
    // Still failing 5 days on (new events keep failing) → disabled.
    await paidPayco();
    await drain();
    const e = await stack.json<Endpoint>(
      'GET',
      `/api/merchant/webhook-endpoints/${endpoint.id}`,
      undefined,
      AUTH,
    );
    expect(e.body).toMatchObject({ enabled: false });
    expect(e.body.disabled_reason).toMatch(/failed/);
    receiver.respond = () => 200;
    const again = await stack.json<Endpoint>(
      'PATCH',
      `/api/merchant/webhook-endpoints/${endpoint.id}`,
      { enabled: true },
      AUTH,
    );
    expect(again.body.enabled).toBe(true);
    await drain();
    expect(receiver.received.at(-1)?.body).toContain('payment.succeeded');
  });
});

describe('endpoints through the merchant API', { timeout: 60_000 }, () => {
  it('create (secret once), list, get, update, rotate, delete', async () => {
    const created = await register({ description: 'orders' });
    expect(created.secret).toMatch(/^whsec_/);
    const got = await stack.json<Endpoint>(
      'GET',
      `/api/merchant/webhook-endpoints/${created.id}`,
      undefined,
      AUTH,
    );
    expect(got.body).not.toHaveProperty('secret');
    expect(JSON.stringify((await list()).body)).not.toContain(created.secret);
    const patched = await stack.json<Endpoint>(
      'PATCH',
      `/api/merchant/webhook-endpoints/${created.id}`,
      { events: ['payout.succeeded'], max_concurrency: 3 },
      AUTH,
    );
    expect(patched.body).toMatchObject({ events: ['payout.succeeded'], max_concurrency: 3 });
    const rotated = await stack.json<Endpoint & { secret: string }>(
      'POST',
      `/api/merchant/webhook-endpoints/${created.id}/rotate-secret`,
      undefined,
      AUTH,
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(created.secret);
    expect(rotated.body).toHaveProperty('previous_secret_expires_at');
    expect(
      (await stack.call('DELETE', `/api/merchant/webhook-endpoints/${created.id}`, undefined, AUTH)).status,
    ).toBe(204);
    expect(
      (await stack.call('GET', `/api/merchant/webhook-endpoints/${created.id}`, undefined, AUTH)).status,
    ).toBe(404);
  });

  it('after a rotation both secrets verify until the old one expires', async () => {
    const created = await register();
    const rotated = await stack.json<{ secret: string }>(
      'POST',
      `/api/merchant/webhook-endpoints/${created.id}/rotate-secret`,
      { expire_previous_in_hours: 1 },
      AUTH,
    );
    await paidPayco();
    await drain();
    await verified(0, created.secret);
    await verified(0, rotated.body.secret);
  });

  it('bad input → 4xx with the reason; nothing stored', async () => {
    const post = (body: unknown, headers: Record<string, string> = AUTH) =>
      stack.json<{ error: { code: string; message: string; field?: string } }>(
        'POST',
        '/api/merchant/webhook-endpoints',
        body,
        headers,
      );
    expect((await post({ url: receiver.url, events: ['payment.succeeded'] }, {})).status).toBe(401);
    expect(await post({ url: receiver.url, events: [] })).toMatchObject({
      status: 400,
      body: { error: { field: 'events' } },
    });
    expect(await post({ url: receiver.url, events: ['payment.paid'] })).toMatchObject({
      status: 400,
      body: { error: { code: 'validation_error', field: 'events.0' } },
    });
    expect(
      (await post({ url: receiver.url, events: ['payment.succeeded', 'payment.succeeded'] })).status,
    ).toBe(400);
    expect(await post({ events: ['payment.succeeded'] })).toMatchObject({
      status: 400,
      body: { error: { field: 'url' } },
    });
    expect(
      (await post({ url: receiver.url, events: ['payment.succeeded'], secret: 'mine' })).body.error.message,
    ).toMatch(/unknown field secret/);
    expect(
      (await post({ url: receiver.url, events: ['payment.succeeded'], max_concurrency: 0 })).status,
    ).toBe(400);
    // Development: https anywhere, plain http only to loopback.
    const http = await post({ url: 'http://example.com/hook', events: ['payment.succeeded'] });
    expect(http).toMatchObject({
      status: 422,
      body: { error: { code: 'webhook_url_refused', field: 'url' } },
    });
    expect((await post({ url: 'ftp://example.com/x', events: ['payment.succeeded'] })).status).toBe(422);
    expect((await post({ url: 'https://user:pw@example.com/x', events: ['payment.succeeded'] })).status).toBe(
      422,
    );
    expect(
      (
        await stack.call('POST', '/api/merchant/webhook-endpoints', 'nope', {
          ...AUTH,
          'content-type': 'application/json',
        })
      ).status,
    ).toBe(400);
    expect(
      (await stack.json('PATCH', '/api/merchant/webhook-endpoints/we_nope', { enabled: false }, AUTH)).status,
    ).toBe(404);
    expect((await list()).body.data).toEqual([]);
  });
});

describe("the demo shop's merchant server", { timeout: 60_000 }, () => {
  it('registers its endpoint at start and marks an order paid from the verified webhook alone', async () => {
    const { serve } = await import('@hono/node-server');
    const { createMerchantServer } = await import('../../src/demo/merchant-server.ts');
    const { BACKEND_URL } = await import('./helpers.ts');
    const { DEMO_MERCHANT_API_KEY } = await import('../../src/server/config.ts');
    const port = await new Promise<number>((resolve) => {
      const probe = serve({ fetch: () => new Response(''), port: 0, hostname: '127.0.0.1' }, (info) => {
        probe.close(() => resolve(info.port));
      });
    });
    const shop = createMerchantServer({
      backendUrl: BACKEND_URL,
      publicBackendUrl: BACKEND_URL,
      gateOrigins: [],
      apiKey: DEMO_MERCHANT_API_KEY,
      publicUrl: `http://127.0.0.1:${port}`,
      demoDir: '/nonexistent',
      embedDir: '/nonexistent',
      fetch: ((url: string, init?: RequestInit) => stack.server.app.request(url, init)) as typeof fetch,
      webhookUrl: `http://127.0.0.1:${port}/shop/webhooks`,
    });
    const server = serve({ fetch: shop.fetch, port, hostname: '127.0.0.1' });
    try {
      for (let i = 0; i < 600 && (await list()).body.data.length === 0; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect((await list()).body.data.map((e) => e.url)).toEqual([`http://127.0.0.1:${port}/shop/webhooks`]);
      // A forged webhook changes nothing.
      const forged = await shop.request('/shop/webhooks', {
        method: 'POST',
        body: '{"type":"payment.succeeded"}',
      });
      expect(forged.status).toBe(400);
      const order = (await (
        await shop.request('/shop/api/orders', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ cart: 'kr-25000' }),
        })
      ).json()) as { order_id: string; session_id: string };
      const read = async () =>
        (await (await shop.request(`/shop/api/orders/${order.order_id}`)).json()) as { status: string };
      expect((await read()).status).toBe('open');
      const r = await stack.pay(order.session_id, { method: 'payco', currency: 'KRW' }, 'demo-1');
      await stack.sandbox.idle();
      await stack.sandbox.decide(DEMO_PROJECT_ID, r.body.id, 'success');
      await stack.settle(r.body.id);
      expect((await read()).status).toBe('open');
      await drain();
      expect(await read()).toMatchObject({ status: 'paid', payment_id: r.body.id });
    } finally {
      await new Promise((r) => server.close(() => r(null)));
    }
  });
});

describe('OpenAPI', () => {
  it('documents the webhook routes and the requests sent to merchants', async () => {
    const doc = await stack.json<{
      paths: Record<string, unknown>;
      webhooks: Record<string, { post: { description: string } }>;
    }>('GET', '/api/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/merchant/webhook-endpoints',
        '/api/merchant/webhook-endpoints/{id}/rotate-secret',
        '/api/merchant/payments/{id}/webhooks',
        '/api/merchant/webhook-events/{id}/resend',
      ]),
    );
    expect(Object.keys(doc.body.webhooks)).toContain('payment.succeeded');
    expect(doc.body.webhooks['payment.succeeded']?.post.description).toMatch(/Standard Webhooks/);
  });
});
