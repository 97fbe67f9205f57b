import { describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  createClient,
  createMerchantClient,
  isApiError,
  newIdempotencyKey,
} from '../../src/core/client.ts';
import type { FetchLike } from '../../src/core/client.ts';
import type { PaymentView, SessionView } from '../../src/core/api.ts';

const session: SessionView = {
  id: 'ses_1',
  status: 'open',
  prices: [{ currency: 'PHP', amount: 2000 }],
  customer: { email: 'ana@example.com' },
  methods: [
    {
      method: 'grabpay',
      name: 'GrabPay',
      redirect: true,
      options: [{ currency: 'PHP', amount: 2000, required: ['email'], recommended: [] }],
    },
  ],
  unavailable: [],
  return_url: 'https://shop.example/return',
  test_mode: true,
  expires_at: '2026-11-25T00:00:00Z',
};

const payment: PaymentView = {
  id: 'pay_1',
  session_id: 'ses_1',
  type: 'purchase',
  method: 'grabpay',
  amount: 2000,
  currency: 'PHP',
  status: 'processing',
  next_action: { type: 'wait', retry_after_ms: 1000 },
  version: 1,
  created_at: '2026-11-24T00:00:00Z',
  updated_at: '2026-11-24T00:00:00Z',
};

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

function fakeFetch(answer: (seen: Seen) => Response | Promise<Response>): {
  fetch: FetchLike;
  calls: Seen[];
} {
  const calls: Seen[] = [];
  const fetch: FetchLike = async (url, init = {}) => {
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>));
    const seen: Seen = {
      url,
      method: init.method ?? 'GET',
      headers,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(seen);
    if (init.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    return answer(seen);
  };
  return { fetch, calls };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

async function caught(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    expect(isApiError(e)).toBe(true);
    return e as ApiError;
  }
  throw new Error('expected an ApiError');
}

describe('createClient', () => {
  it('reads a session and validates it', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, session));
    const client = createClient({ baseUrl: 'https://api.example/', fetch });
    await expect(client.getSession('ses 1')).resolves.toEqual(session);
    expect(calls[0]).toMatchObject({ url: 'https://api.example/api/sessions/ses%201', method: 'GET' });
    expect(calls[0]?.headers.accept).toBe('application/json');
  });

  it('creates a payment with the idempotency key and a JSON body', async () => {
    const { fetch, calls } = fakeFetch(() => json(201, payment));
    const client = createClient({ baseUrl: 'https://api.example', fetch });
    const req = {
      method: 'grabpay' as const,
      currency: 'PHP' as const,
      fields: { email: 'ana@example.com' },
    };
    await expect(client.createPayment('ses_1', req, 'key-1')).resolves.toEqual(payment);
    expect(calls[0]).toMatchObject({
      url: 'https://api.example/api/sessions/ses_1/payments',
      method: 'POST',
      body: req,
    });
    expect(calls[0]?.headers['idempotency-key']).toBe('key-1');
    expect(calls[0]?.headers['content-type']).toBe('application/json');
  });

  it('sends the payment request as a CORS-simple request when asked (text/plain, key in the query)', async () => {
    const { fetch, calls } = fakeFetch(() => json(201, payment));
    const client = createClient({ baseUrl: 'https://api.example', fetch, simpleRequests: true });
    const req = { method: 'payco' as const, currency: 'KRW' as const };
    await expect(client.createPayment('ses_1', req, 'key 1', { wait: 2 })).resolves.toEqual(payment);
    expect(calls[0]).toMatchObject({
      url: 'https://api.example/api/sessions/ses_1/payments?wait=2&idempotency_key=key+1',
      method: 'POST',
      body: req,
    });
    expect(calls[0]?.headers['idempotency-key']).toBeUndefined();
    expect(calls[0]?.headers['content-type']).toBe('text/plain;charset=UTF-8');
  });

  it('asks the backend to hold a payment request for its next step (at most 10 s)', async () => {
    const { fetch, calls } = fakeFetch(() => json(201, payment));
    const client = createClient({ baseUrl: 'https://api.example', fetch });
    const req = { method: 'payco' as const, currency: 'KRW' as const };
    await client.createPayment('ses_1', req, 'k', { wait: 2 });
    await client.createPayment('ses_1', req, 'k', { wait: 60 });
    await client.createPayment('ses_1', req, 'k', { wait: 0 });
    expect(calls.map((c) => c.url)).toEqual([
      'https://api.example/api/sessions/ses_1/payments?wait=2',
      'https://api.example/api/sessions/ses_1/payments?wait=10',
      'https://api.example/api/sessions/ses_1/payments',
    ]);
  });

  it('long-polls a payment with wait (capped at 30 s) and version', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, payment));
    const client = createClient({ baseUrl: 'https://api.example', fetch });
    await client.getPayment('pay_1', { wait: 60, version: 3 });
    await client.getPayment('pay_1');
    expect(calls[0]?.url).toBe('https://api.example/api/payments/pay_1?wait=30&version=3');
    expect(calls[1]?.url).toBe('https://api.example/api/payments/pay_1');
  });

  it('posts a clarification and asks for a Payment Page URL', async () => {
    const page = { url: 'https://pp.example/payment?sig=1', config: { project_id: 1 }, payment_id: 'pay_2' };
    const { fetch, calls } = fakeFetch((s) =>
      s.url.endsWith('/payment-page') ? json(200, page) : json(200, payment),
    );
    const client = createClient({ baseUrl: 'https://api.example', fetch });
    await client.clarify('pay_1', { customer: { first_name: 'Ana', last_name: 'Cruz' } });
    await expect(client.paymentPage('ses_1', { method: 'payco' })).resolves.toEqual(page);
    expect(calls[0]).toMatchObject({
      url: 'https://api.example/api/payments/pay_1/clarification',
      method: 'POST',
      body: { customer: { first_name: 'Ana', last_name: 'Cruz' } },
    });
    expect(calls[1]).toMatchObject({
      url: 'https://api.example/api/sessions/ses_1/payment-page',
      body: { method: 'payco' },
    });
  });

  it('turns the backend error body into an ApiError', async () => {
    const { fetch } = fakeFetch(() =>
      json(400, {
        error: { code: 'validation_error', message: 'fields.email: invalid', field: 'fields.email' },
      }),
    );
    const err = await caught(createClient({ baseUrl: 'https://api.example', fetch }).getSession('x'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      status: 400,
      code: 'validation_error',
      field: 'fields.email',
      retryable: false,
    });
    expect(err.message).toBe('fields.email: invalid');
  });

  it('marks 5xx, 429 and network errors retryable, and HTML error pages as http_error', async () => {
    const client = (r: () => Response | Promise<Response>) =>
      createClient({ baseUrl: 'https://api.example', fetch: fakeFetch(r).fetch });
    expect(
      await caught(client(() => new Response('<h1>Bad gateway</h1>', { status: 502 })).getSession('x')),
    ).toMatchObject({
      status: 502,
      code: 'http_error',
      retryable: true,
    });
    expect(
      await caught(
        client(() => json(429, { error: { code: 'rate_limited', message: 'slow down' } })).getSession('x'),
      ),
    ).toMatchObject({ code: 'rate_limited', retryable: true });
    expect(
      await caught(
        client(() => {
          throw new TypeError('Failed to fetch');
        }).getSession('x'),
      ),
    ).toMatchObject({ status: 0, code: 'network_error', retryable: true, message: 'Failed to fetch' });
  });

  it('refuses an answer that does not match the schema', async () => {
    const { fetch } = fakeFetch(() => json(200, { ...payment, status: 'weird' }));
    const err = await caught(createClient({ baseUrl: 'https://api.example', fetch }).getPayment('pay_1'));
    expect(err).toMatchObject({ code: 'invalid_response', retryable: false });
    expect(err.message).toContain('status');
  });

  it('reports an aborted request as aborted, not retryable', async () => {
    const { fetch } = fakeFetch(() => json(200, payment));
    const ac = new AbortController();
    ac.abort();
    const err = await caught(
      createClient({ baseUrl: 'https://api.example', fetch }).getPayment('p', { signal: ac.signal }),
    );
    expect(err).toMatchObject({ code: 'aborted', retryable: false });
  });

  it('uses the global fetch, looked up when a request is made', async () => {
    const client = createClient({ baseUrl: 'https://api.example' });
    const spy = vi.spyOn(globalThis, 'fetch').mockResolvedValue(json(200, session));
    try {
      await expect(client.getSession('ses_1')).resolves.toEqual(session);
      expect(spy).toHaveBeenCalledOnce();
    } finally {
      spy.mockRestore();
    }
  });
});

describe('createMerchantClient', () => {
  it('sends the API key and posts payouts with an idempotency key', async () => {
    const payout = { ...payment, type: 'payout' as const, next_action: { type: 'result' as const } };
    const { fetch, calls } = fakeFetch(() => json(201, payout));
    const m = createMerchantClient({ baseUrl: 'https://api.example', apiKey: 'sk_test', fetch });
    const req = {
      method: 'grabpay' as const,
      currency: 'PHP' as const,
      amount: 10000,
      customer: { id: 'c1' },
      account: { number: '09171234567', customer_name: 'Ana Cruz' },
    };
    await expect(m.createPayout(req, 'k1')).resolves.toEqual(payout);
    expect(calls[0]).toMatchObject({
      url: 'https://api.example/api/merchant/payouts',
      method: 'POST',
      body: req,
    });
    expect(calls[0]?.headers.authorization).toBe('Bearer sk_test');
    expect(calls[0]?.headers['idempotency-key']).toBe('k1');
  });
});

describe('newIdempotencyKey', () => {
  it('makes distinct v4 UUIDs, also without crypto.randomUUID', () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newIdempotencyKey()).not.toBe(a);
    Object.defineProperty(globalThis.crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      expect(newIdempotencyKey()).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    } finally {
      delete (globalThis.crypto as { randomUUID?: unknown }).randomUUID;
    }
    expect(typeof globalThis.crypto.randomUUID).toBe('function');
  });
});
