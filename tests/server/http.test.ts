/**
 * The HTTP surface: bad inputs to every endpoint get clear 4xx errors; CORS, rate limits, body limits,
 * content types, secure headers, request ids, health and the OpenAPI document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionView } from '../../src/core/api.ts';
import { sign } from '../../src/core/signature.ts';
import { DEMO_SECRET_KEY } from '../../src/server/config.ts';
import { AUTH, RETURN_URL, startStack, VOUCHER, type Stack } from './helpers.ts';

let stack: Stack;
let session: SessionView;
beforeAll(async () => {
  stack = await startStack();
  session = await stack.createSession({ prices: { USD: 2_000, EUR: 2_000 } });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

async function expectError(
  res: Promise<{ status: number; body: unknown }>,
  status: number,
  code?: string,
  field?: string,
): Promise<ErrorBody> {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  const body = r.body as ErrorBody;
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(5);
  if (code) expect(body.error.code).toBe(code);
  if (field) expect(body.error.field).toBe(field);
  return body;
}

describe('bad inputs get clear 4xx errors', () => {
  it('POST /api/sessions', async () => {
    const post = (body: unknown, headers: Record<string, string> = AUTH) =>
      stack.json('POST', '/api/sessions', body, headers);
    const good = { amount: 100, currency: 'USD', customer: { id: 'c' }, return_url: RETURN_URL };
    await expectError(post(good, {}), 401, 'unauthorized');
    await expectError(post(good, { authorization: 'Bearer wrong' }), 401, 'unauthorized');
    await expectError(post(good, { authorization: 'Basic abc' }), 401);
    await expectError(post('{"amount":', AUTH), 400, 'invalid_json');
    await expectError(post('', AUTH), 400, 'invalid_json');
    await expectError(
      post(JSON.stringify(good), { ...AUTH, 'content-type': 'text/plain' }),
      415,
      'unsupported_media_type',
    );
    await expectError(post({ ...good, customer: undefined }), 400, 'validation_error', 'customer');
    await expectError(post({ ...good, amount: 10.5 }), 400, 'validation_error', 'amount');
    await expectError(post({ ...good, amount: -1 }), 400, 'validation_error', 'amount');
    await expectError(post({ ...good, currency: 'XXX' }), 400, 'validation_error', 'currency');
    await expectError(
      post({ ...good, return_url: 'javascript:alert(1)' }),
      400,
      'validation_error',
      'return_url',
    );
    await expectError(post({ ...good, prices: { EUR: 100 } }), 400, 'validation_error', 'prices');
    await expectError(post({ ...good, methods: ['cash'] }), 400, 'validation_error', 'methods.0');
    await expectError(
      post({ ...good, customer: { id: 'c', email: 'nope' } }),
      400,
      'validation_error',
      'customer.email',
    );
    await expectError(post([1, 2]), 400, 'validation_error');
  });

  it('GET /api/sessions/:id', async () => {
    await expectError(stack.json('GET', '/api/sessions/ses_unknown'), 404, 'not_found');
    const view = await stack.json<SessionView>('GET', `/api/sessions/${session.id}`);
    expect(view.body.methods.map((m) => m.method)).toEqual(['advcash', 'jeton']);
    expect(view.body.unavailable.map((u) => [u.method, u.reason.code])).toEqual([
      ['grabpay', 'currency_not_supported'],
      ['payco', 'currency_not_supported'],
    ]);
  });

  it('POST /api/sessions/:id/payments', async () => {
    const pay = (body: unknown, headers: Record<string, string> = {}) =>
      stack.json('POST', `/api/sessions/${session.id}/payments`, body, headers);
    await expectError(
      stack.json('POST', '/api/sessions/ses_unknown/payments', { method: 'advcash', currency: 'USD' }),
      404,
    );
    await expectError(pay({ method: 'cash', currency: 'USD' }), 400, 'validation_error', 'method');
    await expectError(pay({ currency: 'USD' }), 400, 'validation_error', 'method');
    await expectError(pay({ method: 'advcash', currency: 'KRW' }), 422, 'currency_not_offered', 'currency');
    await expectError(pay({ method: 'payco', currency: 'USD' }), 422, 'method_unavailable', 'method');
    await expectError(
      pay({ method: 'jeton', currency: 'EUR', fields: { ...VOUCHER, number: '123' } }),
      400,
      'validation_error',
      'fields.number',
    );
    await expectError(
      pay({ method: 'jeton', currency: 'EUR', fields: { ...VOUCHER, expiration: '01/2001' } }),
      400,
      'validation_error',
      'fields.expiration',
    );
    await expectError(
      pay({ method: 'jeton', currency: 'EUR', fields: 'x' }),
      400,
      'validation_error',
      'fields',
    );
    await expectError(
      pay({ method: 'advcash', currency: 'USD' }, { 'idempotency-key': ' ' }),
      400,
      'validation_error',
      'Idempotency-Key',
    );
    await expectError(
      pay({ method: 'advcash', currency: 'USD' }, { 'idempotency-key': 'x'.repeat(256) }),
      400,
    );
    const php = await stack.createSession({ amount: 10_000, currency: 'PHP' });
    const noEmail = await expectError(
      stack.json('POST', `/api/sessions/${php.id}/payments`, {
        method: 'grabpay',
        currency: 'PHP',
        fields: {},
      }),
      400,
      'validation_error',
      'fields.email',
    );
    expect(noEmail.error.message).toMatch(/required/);
    const expired = await stack.createSession({ amount: 10_000, currency: 'KRW', expires_in: 60 });
    stack.clock.now += 61_000;
    await expectError(
      stack.json('POST', `/api/sessions/${expired.id}/payments`, { method: 'payco', currency: 'KRW' }),
      409,
      'session_expired',
    );
    stack.clock.now = Date.now();
  });

  it('GET /api/payments/:id', async () => {
    await expectError(stack.json('GET', '/api/payments/pay_unknown'), 404, 'not_found');
    for (const q of ['wait=abc', 'wait=31', 'wait=-1', 'version=-1', 'version=1.5', 'version=x']) {
      await expectError(
        stack.json('GET', `/api/payments/pay_unknown?${q}`),
        400,
        'validation_error',
        q.split('=')[0],
      );
    }
  });

  it('POST /api/payments/:id/clarification', async () => {
    await expectError(stack.json('POST', '/api/payments/pay_unknown/clarification', { customer: {} }), 404);
    const s = await stack.createSession({ amount: 15_000, currency: 'KRW' });
    const p = await stack.pay(s.id, { method: 'payco', currency: 'KRW' });
    await expectError(
      stack.json('POST', `/api/payments/${p.body.id}/clarification`, { customer: { first_name: 'A' } }),
      409,
      'not_awaiting_clarification',
    );
    await expectError(
      stack.json('POST', `/api/payments/${p.body.id}/clarification`, { customer: { first_name: '123' } }),
      400,
      'validation_error',
      'customer.first_name',
    );
  });

  it('POST /api/callbacks/ecommpay', async () => {
    await expectError(stack.json('POST', '/api/callbacks/ecommpay', '{"payment":'), 400, 'invalid_json');
    await expectError(stack.json('POST', '/api/callbacks/ecommpay', '[]'), 400, 'invalid_json');
    await expectError(
      stack.json('POST', '/api/callbacks/ecommpay', { payment: { id: 'x' } }),
      400,
      'missing_signature',
    );
    await expectError(
      stack.json('POST', '/api/callbacks/ecommpay', { payment: { id: 'x' }, signature: 'AAAA' }),
      403,
      'invalid_signature',
    );
  });

  it('a genuine callback for a payment we do not know is stored and acknowledged', async () => {
    const body = {
      project_id: 1001,
      payment: { id: 'made-in-dashboard', status: 'success' },
      operation: { type: 'sale', status: 'success' },
    };
    const raw = JSON.stringify({ ...body, signature: await sign(body, DEMO_SECRET_KEY) });
    await stack.sandbox.idle();
    const before = await stack.server.store.countCallbacks();
    expect((await stack.call('POST', '/api/callbacks/ecommpay', raw)).status).toBe(200);
    expect((await stack.call('POST', '/api/callbacks/ecommpay', raw)).status).toBe(200);
    expect(await stack.server.store.countCallbacks()).toBe(before + 1);
  });

  it('merchant endpoints', async () => {
    await expectError(stack.json('POST', '/api/merchant/payouts', { method: 'jeton' }), 401);
    await expectError(
      stack.json('POST', '/api/merchant/payouts', { method: 'jeton' }, AUTH),
      400,
      'validation_error',
    );
    await expectError(
      stack.json('POST', '/api/merchant/payouts', { method: 'wire', amount: 1 }, AUTH),
      400,
      'validation_error',
      'method',
    );
    await expectError(
      stack.json('GET', '/api/merchant/payments/x', undefined, { authorization: 'Bearer ' }),
      401,
    );
  });

  it('unknown routes, wrong methods, large bodies', async () => {
    await expectError(stack.json('GET', '/api/nothing'), 404, 'not_found');
    await expectError(stack.json('DELETE', `/api/sessions/${session.id}`), 404, 'not_found');
    await expectError(stack.json('GET', '/'), 404, 'not_found');
    const big = JSON.stringify({
      amount: 100,
      currency: 'USD',
      customer: { id: 'c' },
      return_url: RETURN_URL,
      description: 'x'.repeat(70_000),
    });
    await expectError(stack.json('POST', '/api/sessions', big, AUTH), 413, 'body_too_large');
    await expectError(stack.json('POST', '/api/callbacks/ecommpay', big), 413, 'body_too_large');
  });
});

describe('security and operations', () => {
  it('CORS only for the configured origins', async () => {
    const allowed = await stack.call('GET', `/api/sessions/${session.id}`, undefined, {
      origin: 'https://shop.example.com',
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect(allowed.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
    const other = await stack.call('GET', `/api/sessions/${session.id}`, undefined, {
      origin: 'https://evil.example',
    });
    expect(other.status).toBe(200);
    expect([...other.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const preflight = await stack.call('OPTIONS', `/api/sessions/${session.id}/payments`, undefined, {
      origin: 'https://shop.example.com',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,idempotency-key',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
    const badPreflight = await stack.call('OPTIONS', `/api/sessions/${session.id}/payments`, undefined, {
      origin: 'https://evil.example',
      'access-control-request-method': 'POST',
    });
    expect(badPreflight.status).toBe(403);
    expect(badPreflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('secure headers and request ids', async () => {
    const r = await stack.call('GET', '/api/health');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(r.headers.get('strict-transport-security')).toContain('max-age');
    const id = r.headers.get('x-request-id');
    expect(id).toMatch(/^[\w-]{8,}$/);
    expect(stack.logs.some((l) => l.includes(`"request_id":"${id}"`))).toBe(true);
  });

  it('health checks the database', async () => {
    expect(await stack.json('GET', '/api/health')).toEqual({
      status: 200,
      body: { status: 'ok', db: 'pglite' },
    });
  });

  it('publishes an OpenAPI 3.1 document built from the schemas', async () => {
    type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const r = await stack.json<{
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Schema };
    }>('GET', '/api/openapi.json');
    expect(r.body.openapi).toBe('3.1.0');
    expect(Object.keys(r.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/sessions',
        '/api/sessions/{id}/payments',
        '/api/payments/{id}',
        '/api/callbacks/ecommpay',
        '/api/merchant/payouts',
      ]),
    );
    const create = r.body.components.schemas.CreatePaymentRequest;
    expect(create.properties.method.enum).toEqual(['grabpay', 'advcash', 'payco', 'jeton']);
    expect(r.body.components.schemas.PayoutRequest.oneOf).toHaveLength(3);
    expect(r.body.components.schemas.PaymentView.required).toContain('next_action');
  });

  it('rate limits public endpoints per IP and route, with Retry-After', async () => {
    const limited = await startStack({ env: { RATE_LIMIT_PER_MINUTE: '3' }, store: stack.server.store });
    try {
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 4; i++) {
        last = await limited.call('GET', `/api/sessions/${session.id}`);
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(Number(last?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await last?.json()) as ErrorBody).error.code).toBe('rate_limited');
      // Another route has its own window; another IP (behind a trusted proxy only) too.
      expect((await limited.call('GET', '/api/payments/pay_x')).status).toBe(404);
      // Merchant endpoints are not limited by the browser limits.
      expect((await limited.call('GET', `/api/merchant/payments`, undefined, AUTH)).status).toBe(200);
      limited.clock.now += 60_000;
      expect((await limited.call('GET', `/api/sessions/${session.id}`)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('takes the customer IP from X-Forwarded-For only behind a trusted proxy', async () => {
    const sent = (id: string) =>
      stack.gateRequests.find((g) => g.body.general.payment_id === id)?.body.customer.ip_address;
    const s1 = await stack.createSession({ amount: 15_000, currency: 'KRW' });
    const direct = await stack.pay(s1.id, { method: 'payco', currency: 'KRW' }, undefined);
    expect(sent(direct.body.id)).toBe('127.0.0.1');
    const s2 = await stack.createSession({ amount: 15_000, currency: 'KRW' });
    const spoofed = await stack.json<{ id: string }>(
      'POST',
      `/api/sessions/${s2.id}/payments`,
      { method: 'payco', currency: 'KRW' },
      { 'x-forwarded-for': '203.0.113.7' },
    );
    expect(sent(spoofed.body.id)).toBe('127.0.0.1');
    const proxied = await startStack({ env: { TRUST_PROXY: 'true' }, store: stack.server.store });
    try {
      const s3 = await proxied.createSession({ amount: 15_000, currency: 'KRW' });
      const r = await proxied.json<{ id: string }>(
        'POST',
        `/api/sessions/${s3.id}/payments`,
        { method: 'payco', currency: 'KRW' },
        { 'x-forwarded-for': '203.0.113.7, 10.0.0.1' },
      );
      expect(
        proxied.gateRequests.find((g) => g.body.general.payment_id === r.body.id)?.body.customer.ip_address,
      ).toBe('203.0.113.7');
    } finally {
      await proxied.close();
    }
  });

  it('never shows the secret key in a response or a log line', () => {
    for (const text of [...stack.responses, ...stack.logs]) expect(text).not.toContain(DEMO_SECRET_KEY);
  });
});
