/**
 * Property-based fuzzing (fast-check) of every public endpoint of the backend, against the real Gate sandbox
 * in process: valid requests with one part replaced by something nasty (huge, fractional, negative and
 * out-of-range numbers, number texts JSON.stringify never writes, lone surrogates, RTL and zero-width marks,
 * NUL, very long strings, arrays where objects belong, `__proto__` / `constructor` / `prototype` keys), bodies
 * that are not JSON or nested 5,000 deep, wrong content types, oversized bodies, odd ids, odd query
 * parameters and odd methods. Every answer must be a 2xx or a clear 4xx `{error: {code, message}}` — never a
 * 5xx — with no unhandled rejection, no `http.unhandled` log line and `Object.prototype` untouched.
 * Callback parsing has its own suite (callbacks.test.ts).
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PaymentView } from '../../src/core/api.ts';
import { DEMO_MERCHANT_API_KEY, DEMO_PROJECT_ID } from '../../src/server/config.ts';
import { BACKEND_URL, RETURN_URL, startStack, type Stack } from '../server/helpers.ts';
import {
  expectClear,
  expectNoPollution,
  mutated,
  nastyString,
  segment,
  textOf,
  wrongContentType,
  wrongShape,
} from './support.ts';

const RUNS = 120;
const AUTH = { authorization: `Bearer ${DEMO_MERCHANT_API_KEY}` };

let stack: Stack;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);
const fixtures = {
  openSession: '',
  paidSession: '',
  declined: '',
  waiting: '',
  paid: '',
  payout: '',
};

interface Send {
  body?: string;
  /** undefined: no Content-Type at all. */
  type?: string | undefined;
  headers?: Record<string, string>;
}

/** A request straight to the app; the body goes as bytes, so that no Content-Type is added by fetch. */
async function send(method: string, path: string, opts: Send = {}): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers };
  if ('type' in opts ? opts.type !== undefined : opts.body !== undefined)
    headers['content-type'] = opts.type ?? 'application/json';
  return stack.server.app.request(`${BACKEND_URL}${path}`, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: new TextEncoder().encode(opts.body) } : {}),
  });
}

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  stack = await startStack();
  fixtures.openSession = (await stack.createSession()).id;
  const pay = async (order: Record<string, unknown>, body: Record<string, unknown>) => {
    const s = await stack.createSession(order);
    const r = await stack.pay(s.id, body, crypto.randomUUID());
    expect(r.status).toBe(201);
    await stack.sandbox.idle();
    return { session: s.id, payment: r.body.id };
  };
  const declined = await pay({ amount: 15_000, currency: 'KRW' }, { method: 'payco', currency: 'KRW' });
  await stack.sandbox.decide(DEMO_PROJECT_ID, declined.payment, 'decline');
  fixtures.declined = declined.payment;
  fixtures.waiting = (
    await pay({}, { method: 'grabpay', currency: 'PHP', fields: { email: 'a@example.com' } })
  ).payment;
  const paid = await pay({ amount: 15_000, currency: 'KRW' }, { method: 'payco', currency: 'KRW' });
  await stack.sandbox.decide(DEMO_PROJECT_ID, paid.payment, 'success');
  fixtures.paid = paid.payment;
  fixtures.paidSession = paid.session;
  await stack.sandbox.idle();
  const payout = await stack.json<PaymentView>(
    'POST',
    '/api/merchant/payouts',
    { method: 'jeton', currency: 'EUR', amount: 5_000, customer: { id: 'c1' } },
    AUTH,
  );
  expect(payout.status).toBe(201);
  fixtures.payout = payout.body.id;
}, 60_000);

let logsSeen = 0;
beforeEach(() => {
  logsSeen = stack.logs.length;
});
afterEach(() => {
  expect(rejections).toEqual([]);
  expectNoPollution();
  expect(stack.logs.slice(logsSeen).filter((l) => l.includes('"http.unhandled"'))).toEqual([]);
});

afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  await stack?.close();
});

/** A body: the JSON of a mutated valid request (sometimes with an odd number text), or a wrong shape. */
const bodyFrom = (valid: Record<string, unknown>) =>
  fc.oneof({ weight: 5, arbitrary: mutated(valid).chain(textOf) }, { weight: 1, arbitrary: wrongShape });

/** Mostly JSON, sometimes another type (or none). */
const contentType = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/problem+json',
    ),
  },
  { weight: 1, arbitrary: wrongContentType },
);

/** Header values must be ISO-8859-1 without CR, LF or NUL to be sent at all; anything else in that range. */
const headerValue = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'x'.repeat(300),
    'k'.repeat(256),
    'ä',
    '\t',
    'a b',
    'key\u007f',
    'ключ'.normalize().replace(/[^\x20-\xff]/g, '?'),
  ),
  fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
);

const authHeader = fc.oneof(
  { weight: 5, arbitrary: fc.constant(AUTH) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Record<string, string>>(
      {},
      { authorization: '' },
      { authorization: 'Bearer' },
      { authorization: 'Bearer wrong' },
      { authorization: `Basic ${DEMO_MERCHANT_API_KEY}` },
      { authorization: `Bearer ${DEMO_MERCHANT_API_KEY} extra` },
      { authorization: `bearer ${DEMO_MERCHANT_API_KEY.toUpperCase()}` },
    ),
  },
);

/** An id: a real one, an unknown one, or anything at all. */
const idOf = (...real: (() => string)[]) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...real).map((f) => segment(f())) },
    { weight: 3, arbitrary: nastyString.map(segment) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'pay_00000000000000000000000000000000',
        '%00',
        '%ZZ',
        '..',
        '%2e%2e',
        '%2F',
        'a%2Fb',
        '%C0%AF',
        ' ',
      ),
    },
  );

const query = (name: string, values: fc.Arbitrary<string>) =>
  fc.option(
    values.map((v) => `${name}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, '?'))}`),
    { nil: '' },
  );
const numberish = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '1',
    '30',
    '31',
    '-1',
    '0.5',
    '1.5',
    '1e3',
    '1e309',
    'NaN',
    'Infinity',
    '0x10',
    ' 1',
    '1 ',
    '01',
    '2147483648',
    '9'.repeat(40),
    '[]',
    '{}',
  ),
  fc.integer().map(String),
  nastyString,
);

describe('every public endpoint answers 2xx or a clear 4xx, whatever it is sent', () => {
  it('POST /api/sessions', async () => {
    const valid = {
      amount: 10_000,
      currency: 'PHP',
      customer: { id: 'c-1', email: 'ana@example.com', first_name: 'Ana', last_name: 'Lee' },
      description: 'Order 42',
      methods: ['grabpay', 'payco'],
      return_url: RETURN_URL,
      locale: 'en',
      expires_in: 3600,
    };
    await fc.assert(
      fc.asyncProperty(bodyFrom(valid), contentType, authHeader, async (body, type, headers) => {
        const res = await send('POST', '/api/sessions', { body, type, headers });
        const out = await expectClear(res, `POST /api/sessions ${body.slice(0, 200)}`);
        if (res.status === 201) expect((out as { id: string }).id).toMatch(/^ses_[0-9a-f]{32}$/);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('GET /api/sessions/:id', async () => {
    await fc.assert(
      fc.asyncProperty(
        idOf(
          () => fixtures.openSession,
          () => fixtures.paidSession,
        ),
        async (id) => {
          await expectClear(await send('GET', `/api/sessions/${id}`), `GET session ${id}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('POST /api/sessions/:id/payments', async () => {
    const valid = { method: 'grabpay', currency: 'PHP', fields: { email: 'ana@example.com' } };
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        idOf(
          () => fixtures.openSession,
          () => fixtures.paidSession,
        ),
        bodyFrom(valid),
        contentType,
        fc.option(headerValue, { nil: undefined }),
        async (fresh, someId, body, type, key) => {
          // Half the time a fresh session, so that valid requests get all the way to the Gate.
          const id = fresh ? (await stack.createSession()).id : someId;
          const headers: Record<string, string> = key === undefined ? {} : { 'idempotency-key': key };
          const res = await send('POST', `/api/sessions/${id}/payments`, { body, type, headers });
          await expectClear(res, `POST payments ${id} ${JSON.stringify(key)} ${body.slice(0, 200)}`);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('GET /api/payments/:id, long-poll parameters included', async () => {
    await fc.assert(
      fc.asyncProperty(
        idOf(
          () => fixtures.declined,
          () => fixtures.payout,
          () => fixtures.waiting,
        ),
        query('wait', numberish),
        query('version', numberish),
        fc.constantFrom('', '&wait=1&wait=2', '&version=1&version=x', '&other=%00'),
        async (id, wait, version, extra) => {
          // A valid wait on a payment that is not final would be held for real: only the final one gets both.
          if (id === fixtures.waiting && wait && version) version = '';
          const qs = [wait, version].filter(Boolean).join('&') + extra;
          const res = await send('GET', `/api/payments/${id}${qs ? `?${qs}` : ''}`);
          await expectClear(res, `GET payment ${id}?${qs}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('POST /api/payments/:id/clarification', async () => {
    const valid = { customer: { email: 'siti@example.com', first_name: 'Siti', last_name: 'Aminah' } };
    await fc.assert(
      fc.asyncProperty(
        idOf(
          () => fixtures.waiting,
          () => fixtures.declined,
          () => fixtures.payout,
        ),
        bodyFrom(valid),
        contentType,
        async (id, body, type) => {
          const res = await send('POST', `/api/payments/${id}/clarification`, { body, type });
          await expectClear(res, `clarification ${id} ${body.slice(0, 200)}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('POST /api/sessions/:id/payment-page', async () => {
    await fc.assert(
      fc.asyncProperty(
        idOf(
          () => fixtures.openSession,
          () => fixtures.paidSession,
        ),
        fc.oneof(bodyFrom({ method: 'advcash', currency: 'PHP' }), fc.constant('')),
        contentType,
        async (id, body, type) => {
          const res = await send('POST', `/api/sessions/${id}/payment-page`, { body, type });
          const out = await expectClear(res, `payment-page ${id} ${body.slice(0, 200)}`);
          if (res.status === 200)
            expect((out as { url: string }).url).toMatch(/^http:\/\/127\.0\.0\.1:8790\/payment\?/);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('POST /api/merchant/payouts', async () => {
    const valid = {
      method: 'grabpay',
      currency: 'PHP',
      amount: 10_000,
      customer: { id: 'c-9', ip_address: '203.0.113.9' },
      account: { number: '639171234567' },
      description: 'Winnings',
    };
    await fc.assert(
      fc.asyncProperty(
        bodyFrom(valid),
        contentType,
        authHeader,
        fc.option(headerValue),
        async (body, type, auth, key) => {
          const headers = { ...auth, ...(key === null ? {} : { 'idempotency-key': key }) };
          const res = await send('POST', '/api/merchant/payouts', { body, type, headers });
          await expectClear(res, `payout ${body.slice(0, 200)}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('POST /api/merchant/payments/:id/refunds', async () => {
    await fc.assert(
      fc.asyncProperty(
        idOf(
          () => fixtures.paid,
          () => fixtures.declined,
          () => fixtures.payout,
        ),
        bodyFrom({ description: 'Returned goods', amount: 1_000 }),
        contentType,
        authHeader,
        async (id, body, type, headers) => {
          const res = await send('POST', `/api/merchant/payments/${id}/refunds`, { body, type, headers });
          await expectClear(res, `refund ${id} ${body.slice(0, 200)}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('GET /api/merchant/payments (list, filters, cursors) and /api/merchant/payments/:id', async () => {
    const cursor = fc.oneof(
      numberish,
      fc
        .tuple(
          fc.oneof(
            nastyString,
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          ),
          nastyString,
        )
        .map((t) => Buffer.from(JSON.stringify(t)).toString('base64url')),
      fc.constantFrom(
        Buffer.from(JSON.stringify(['+275760-09-13T00:00:00.000Z', 'pay_x'])).toString('base64url'),
        Buffer.from(JSON.stringify(['-000001-01-01T00:00:00.000Z', 'pay_x'])).toString('base64url'),
        Buffer.from('[1,2]').toString('base64url'),
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        query('limit', numberish),
        query('type', fc.oneof(nastyString, fc.constantFrom('purchase', 'payout'))),
        query('status', fc.oneof(nastyString, fc.constantFrom('success', 'decline', 'created'))),
        query('cursor', cursor),
        query('session_id', fc.oneof(nastyString, fc.constant(fixtures.openSession))),
        authHeader,
        idOf(
          () => fixtures.paid,
          () => fixtures.payout,
        ),
        async (limit, type, status, cur, session, headers, id) => {
          const qs = [limit, type, status, cur, session].filter(Boolean).join('&');
          await expectClear(await send('GET', `/api/merchant/payments?${qs}`, { headers }), `list ?${qs}`);
          await expectClear(await send('GET', `/api/merchant/payments/${id}`, { headers }), `detail ${id}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('GET /api/openapi.json, /api/health, unknown routes and odd methods', async () => {
    const paths = [
      '/api/openapi.json',
      '/api/health',
      '/api/sessions',
      `/api/sessions/${fixtures.openSession}`,
      `/api/payments/${fixtures.declined}`,
      '/api/callbacks/ecommpay',
      '/api/merchant/payments',
      '/api',
      '/api/',
      '/api/unknown',
      '/api/sessions/x/y/z',
      '/',
      '/favicon.ico',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
        fc.constantFrom(...paths),
        fc.option(nastyString.map(segment)),
        async (method, path, q) => {
          const res = await send(method, `${path}${q === null ? '' : `?${q}=${q}`}`);
          if (method === 'HEAD') expect(res.status).toBeLessThan(500);
          else await expectClear(res, `${method} ${path}`);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('every field of every request, set to each edge value', () => {
  const EDGE_STRINGS = [
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfff',
    '\u202eevil\u202c',
    '\u200b',
    '\ufeff',
    '',
    ' ',
    'x'.repeat(5_000),
  ];
  const EDGE_NUMBERS = [
    '-1',
    '0',
    '-0',
    '0.5',
    '1.5',
    '1e21',
    '1e309',
    '-1e309',
    '9007199254740993',
    '123456789012345678901234567890',
    '1e-400',
  ];

  const requests: {
    name: string;
    path: () => Promise<string>;
    body: Record<string, unknown>;
    headers?: Record<string, string>;
  }[] = [
    {
      name: 'session',
      path: async () => '/api/sessions',
      headers: AUTH,
      body: {
        amount: 10_000,
        currency: 'PHP',
        customer: { id: 'c-1', email: 'ana@example.com', first_name: 'Ana', last_name: 'Lee' },
        description: 'Order 42',
        methods: ['grabpay'],
        return_url: RETURN_URL,
        locale: 'en',
        expires_in: 3600,
      },
    },
    {
      name: 'payment',
      path: async () => `/api/sessions/${(await stack.createSession()).id}/payments`,
      body: { method: 'grabpay', currency: 'PHP', fields: { email: 'ana@example.com' } },
    },
    {
      name: 'payment page',
      path: async () => `/api/sessions/${(await stack.createSession()).id}/payment-page`,
      body: { method: 'grabpay', currency: 'PHP' },
    },
    {
      name: 'clarification',
      path: async () => `/api/payments/${fixtures.waiting}/clarification`,
      body: { customer: { email: 'siti@example.com', first_name: 'Siti', last_name: 'Aminah' } },
    },
    {
      name: 'payout',
      path: async () => '/api/merchant/payouts',
      headers: AUTH,
      body: {
        method: 'grabpay',
        currency: 'PHP',
        amount: 10_000,
        customer: { id: 'c-9', ip_address: '203.0.113.9' },
        account: { number: '639171234567' },
        description: 'Winnings',
      },
    },
    {
      name: 'refund',
      path: async () => `/api/merchant/payments/${fixtures.paid}/refunds`,
      headers: AUTH,
      body: { description: 'Returned goods', amount: 1_000 },
    },
  ];

  /** Every leaf of `value` as [path, value]. */
  function leaves(value: unknown, path: string[] = []): [string[], unknown][] {
    if (value === null || typeof value !== 'object') return [[path, value]];
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  function withLeaf(base: unknown, path: string[], text: string): string {
    // The value goes in as JSON text, so number texts JSON.stringify never writes can be sent too.
    const marker = '"__edge_marker__"';
    const copy = structuredClone(base) as Record<string, unknown>;
    let node = copy;
    for (const k of path.slice(0, -1)) node = node[k] as Record<string, unknown>;
    node[path[path.length - 1] as string] = '__edge_marker__';
    return JSON.stringify(copy).replace(marker, text);
  }

  for (const r of requests) {
    it(`${r.name}: every string and number field`, async () => {
      for (const [path, value] of leaves(r.body)) {
        const edges = typeof value === 'number' ? EDGE_NUMBERS : EDGE_STRINGS.map((e) => JSON.stringify(e));
        for (const edge of [...edges, '[]', '{}', 'null', '["x"]']) {
          const url = await r.path();
          const res = await send('POST', url, {
            body: withLeaf(r.body, path, edge),
            headers: r.headers ?? {},
          });
          await expectClear(res, `${r.name} ${path.join('.')} = ${edge.slice(0, 40)}`);
        }
      }
    });
  }
});

describe('bodies too large, of the wrong type, not JSON', () => {
  const posts = [
    () => ({ path: '/api/sessions', headers: AUTH }),
    () => ({ path: `/api/sessions/${fixtures.openSession}/payments`, headers: {} }),
    () => ({ path: `/api/sessions/${fixtures.openSession}/payment-page`, headers: {} }),
    () => ({ path: `/api/payments/${fixtures.waiting}/clarification`, headers: {} }),
    () => ({ path: '/api/callbacks/ecommpay', headers: {} }),
    () => ({ path: '/api/merchant/payouts', headers: AUTH }),
    () => ({ path: `/api/merchant/payments/${fixtures.paid}/refunds`, headers: AUTH }),
  ];

  it('a body over BODY_LIMIT_BYTES is 413 body_too_large, with or without Content-Length', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...posts),
        fc.integer({ min: 64 * 1024 + 1, max: 300 * 1024 }),
        fc.boolean(),
        async (route, size, chunked) => {
          const { path, headers } = route();
          const text = JSON.stringify({ description: 'x'.repeat(size) });
          const bytes = new TextEncoder().encode(text);
          const body = chunked
            ? new ReadableStream<Uint8Array>({
                start(controller) {
                  for (let i = 0; i < bytes.length; i += 16_384)
                    controller.enqueue(bytes.subarray(i, i + 16_384));
                  controller.close();
                },
              })
            : bytes;
          const res = await stack.server.app.request(`${BACKEND_URL}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body,
            ...(chunked ? { duplex: 'half' } : {}),
          } as RequestInit);
          const out = (await expectClear(res, `${path} ${size} bytes`)) as { error: { code: string } };
          expect(res.status).toBe(413);
          expect(out.error.code).toBe('body_too_large');
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a JSON endpoint sent another content type answers 415 unsupported_media_type', async () => {
    const json = posts.filter((p) => p().path !== '/api/callbacks/ecommpay');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...json), wrongContentType, async (route, type) => {
        const { path, headers } = route();
        const res = await send('POST', path, { body: '{"description":"x"}', type, headers });
        const out = (await expectClear(res, `${path} as ${type}`)) as { error: { code: string } };
        // The widget's payment request may be CORS-simple (text/plain carrying JSON): there it is read, and
        // this body is then refused for what it holds, not for its type.
        if (type === 'text/plain' && /^\/api\/sessions\/[^/]+\/payments$/.test(path.split('?')[0] ?? '')) {
          expect(res.status).toBe(400);
          expect(out.error.code).not.toBe('unsupported_media_type');
          return;
        }
        expect(res.status).toBe(415);
        expect(out.error.code).toBe('unsupported_media_type');
      }),
      { numRuns: 60 },
    );
  });

  it('deeply nested and broken JSON is 400 invalid_json everywhere', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...posts),
        fc.constantFrom(
          '{',
          '[',
          '{"a":',
          '{"a":1,}',
          "{'a':1}",
          '{}garbage',
          '['.repeat(20_000) + ']'.repeat(20_000),
        ),
        async (route, body) => {
          const { path, headers } = route();
          const res = await send('POST', path, { body, headers });
          const out = (await expectClear(res, `${path} ${body.slice(0, 20)}`)) as { error: { code: string } };
          expect(res.status).toBe(400);
          expect(['invalid_json', 'validation_error']).toContain(out.error.code);
        },
      ),
      { numRuns: 40 },
    );
  });
});
