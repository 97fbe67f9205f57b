/**
 * Security checks (issue 7): no built browser bundle holds a secret; javascript:, data: and relative redirect
 * URLs are refused (by the core's policy, and by the backend when a callback brings one — the payment view
 * never shows it); unknown origins get no CORS headers; the rate limit engages with a Retry-After; and the
 * secret key and the merchant API key appear in no answer, no log line and no Gate request.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import fc from 'fast-check';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentView } from '../../src/core/api.ts';
import { RedirectError, validateRedirectUrl } from '../../src/core/redirect.ts';
import { sign } from '../../src/core/signature.ts';
import { DEMO_MERCHANT_API_KEY, DEMO_PROJECT_ID, DEMO_SECRET_KEY } from '../../src/server/config.ts';
import { AUTH, startStack, type Stack } from '../server/helpers.ts';
import { jsonText } from './support.ts';

const root = resolve(import.meta.dirname, '../..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('browser bundles', () => {
  // Canaries: if any build step read the server's environment, they would show up in the output.
  const canaries = {
    ECOMMPAY_SECRET_KEY: `canary-secret-${process.pid}-x9`,
    MERCHANT_API_KEY: `canary-api-key-${process.pid}-y7`,
  };
  const builds = [
    { mode: 'embed', what: 'script-tag embed (dist-embed)' },
    { mode: 'lib', what: 'npm package ESM (dist-lib)' },
    { mode: 'production', what: 'demo pages (dist/demo)' },
  ];
  const out: Record<string, string> = {};
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    for (const [k, v] of Object.entries(canaries)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    try {
      for (const b of builds) {
        out[b.mode] = mkdtempSync(join(tmpdir(), `ecp-security-${b.mode}-`));
        await build({
          configFile: join(root, 'vite.config.ts'),
          mode: b.mode,
          logLevel: 'silent',
          build: { outDir: out[b.mode], emptyOutDir: true },
        });
      }
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  }, 120_000);
  afterAll(() => {
    for (const dir of Object.values(out)) rmSync(dir, { recursive: true, force: true });
  });

  for (const b of builds) {
    it(`the ${b.what} holds no secret key, no API key and no server code`, () => {
      const files = filesUnder(out[b.mode] as string);
      expect(files.some((f) => f.endsWith('.js'))).toBe(true);
      const forbidden = [
        DEMO_SECRET_KEY,
        DEMO_MERCHANT_API_KEY,
        ...Object.values(canaries),
        'demo-secret-key',
        'ECOMMPAY_SECRET_KEY',
        'MERCHANT_API_KEY',
        '@electric-sql/pglite',
        'drizzle-orm',
        'node:crypto',
      ];
      for (const f of files) {
        const text = readFileSync(f, 'latin1');
        for (const s of forbidden) expect(text.includes(s), `${s} in ${f}`).toBe(false);
      }
    });
  }
});

describe('redirect URLs', () => {
  const devHosts = ['localhost', '127.0.0.1'];
  const refused = fc.oneof(
    fc
      .tuple(
        fc.constantFrom(
          'javascript',
          'JavaScript',
          'JAVASCRIPT',
          'data',
          'Data',
          'vbscript',
          'file',
          'blob',
          'about',
          'ftp',
          'ws',
        ),
        fc.constantFrom(':', ':%20', ':\t'),
        fc.constantFrom(
          'alert(1)',
          'text/html,<script>alert(1)</script>',
          '//evil.example.com/',
          'text/html;base64,PHNjcmlwdD4=',
        ),
        fc.constantFrom('', ' ', '\t', '\n', '\u0000'),
      )
      .map(([scheme, colon, rest, lead]) => `${lead}${scheme}${colon}${rest}`),
    // Relative and protocol-relative: not absolute, so not a place to send a shopper.
    fc.constantFrom(
      '/checkout',
      '../x',
      'pay.example.com/x',
      '//evil.example.com/x',
      '?a=1',
      '#x',
      '',
      '   ',
    ),
    // Plain http off the development hosts, and credentials in the URL.
    fc.webUrl({ validSchemes: ['http'] }).filter((u) => !/^http:\/\/(localhost|127\.0\.0\.1)[:/]/.test(u)),
    fc.webUrl({ validSchemes: ['https'] }).map((u) => u.replace('https://', 'https://user:pass@')),
  );

  it('the core policy refuses javascript:, data:, relative, protocol-relative and plain-http URLs', () => {
    fc.assert(
      fc.property(refused, (url) => {
        expect(() => validateRedirectUrl(url, { devHosts })).toThrow(RedirectError);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.webUrl({ validSchemes: ['https'] }), (url) => {
        expect(validateRedirectUrl(url, { devHosts }).protocol).toBe('https:');
      }),
      { numRuns: 100 },
    );
  });

  describe('brought by a signed callback', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack();
    }, 60_000);
    afterAll(async () => {
      await stack?.close();
    });

    async function redirectCallback(id: string, url: string, method = 'GET'): Promise<Response> {
      const body = {
        project_id: DEMO_PROJECT_ID,
        payment: { id, type: 'purchase', status: 'awaiting redirect result', method: 'GrabPay wallet' },
        operation: { id: 9, type: 'sale', status: 'awaiting redirect result', request_id: 'r', code: '9999' },
        redirect_data: { url, method, body: { token: 'x' } },
      };
      return stack.call(
        'POST',
        '/api/callbacks/ecommpay',
        jsonText({ ...body, signature: await sign(body, DEMO_SECRET_KEY) }),
      );
    }

    async function grabpay(): Promise<{ session: string; payment: string }> {
      const s = await stack.createSession();
      const r = await stack.pay(s.id, {
        method: 'grabpay',
        currency: 'PHP',
        fields: { email: 'a@example.com' },
      });
      expect(r.status).toBe(201);
      await stack.sandbox.idle();
      return { session: s.id, payment: r.body.id };
    }

    it('is never shown: the payment waits, and neither the payment nor the session view holds the URL', async () => {
      // The sandbox's own (valid) redirect callbacks are dropped: the refused redirect is the payment's first.
      stack.sandbox.setFaults({ dropKind: 'redirect', dropProbability: 1 });
      try {
        await fc.assert(
          fc.asyncProperty(refused, fc.constantFrom('GET', 'POST'), async (url, method) => {
            const { session, payment } = await grabpay();
            const read = async () =>
              JSON.stringify([
                (await stack.json('GET', `/api/payments/${payment}`)).body,
                (await stack.json('GET', `/api/sessions/${session}`)).body,
              ]);
            const before = await read();
            const res = await redirectCallback(payment, url, method);
            expect(res.status).toBeLessThan(500);
            const view = await stack.json<PaymentView>('GET', `/api/payments/${payment}`);
            expect(view.status).toBe(200);
            expect(view.body.next_action.type).toBe('wait');
            // Nothing of the URL shows up that was not there before (the return URL may share a path).
            const needle = JSON.stringify(url).slice(1, -1);
            if (needle.trim().length > 3 && !before.includes(needle))
              expect(await read()).not.toContain(needle);
          }),
          { numRuns: 60 },
        );
      } finally {
        stack.sandbox.resetFaults();
      }
      expect(stack.logs.some((l) => l.includes('payment.redirect_refused'))).toBe(true);
    });

    it('never replaces a valid redirect the payment already has', async () => {
      const { payment } = await grabpay();
      const before = await stack.json<PaymentView>('GET', `/api/payments/${payment}`);
      expect(before.body.next_action.type).toBe('redirect');
      for (const url of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', '/relative']) {
        expect((await redirectCallback(payment, url)).status).toBe(200);
        const after = await stack.json<PaymentView>('GET', `/api/payments/${payment}`);
        expect(after.body.next_action).toEqual(before.body.next_action);
      }
    });
  });
});

describe('CORS, rate limit, secrets', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { RATE_LIMIT_PER_MINUTE: '5', TRUST_PROXY: 'true' } });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  const routes = (session: string, payment: string) => [
    { method: 'GET', path: `/api/sessions/${session}` },
    { method: 'POST', path: `/api/sessions/${session}/payments`, body: { method: 'payco', currency: 'KRW' } },
    { method: 'GET', path: `/api/payments/${payment}` },
    { method: 'GET', path: '/api/health' },
    { method: 'GET', path: '/api/openapi.json' },
    { method: 'POST', path: '/api/callbacks/ecommpay', body: { signature: 'x' } },
    { method: 'GET', path: '/api/merchant/payments', headers: AUTH },
    { method: 'GET', path: '/api/nowhere' },
  ];

  it('an unknown origin gets no CORS header on any route, and its preflight is refused', async () => {
    const s = await stack.createSession({ amount: 15_000, currency: 'KRW' });
    const p = await stack.pay(s.id, { method: 'payco', currency: 'KRW' });
    const origin = fc.oneof(
      fc.constantFrom(
        'null',
        'https://evil.example.com',
        'https://shop.example.com.evil.example.com',
        'https://evilshop.example.com',
        'http://shop.example.com',
        'https://shop.example.com:8443',
        'https://SHOP.EXAMPLE.COM',
        'https://shop.example.com/',
        '*',
        'file://',
      ),
      fc.webUrl().map((u) => new URL(u).origin),
    );
    let ip = 0;
    await fc.assert(
      fc.asyncProperty(origin, fc.constantFrom(...routes(s.id, p.body.id)), async (o, route) => {
        // Each run from its own client IP (TRUST_PROXY), so that the rate limit stays out of the way here.
        const from = { 'x-forwarded-for': `198.51.100.${ip++ % 250}`, origin: o };
        const res = await stack.call(route.method, route.path, route.body, { ...from, ...route.headers });
        for (const [name] of res.headers)
          expect(name.startsWith('access-control-'), `${name} for ${o}`).toBe(false);
        const pre = await stack.call('OPTIONS', route.path, undefined, {
          ...from,
          'access-control-request-method': route.method,
          'access-control-request-headers': 'content-type, idempotency-key',
        });
        expect(pre.status).toBe(403);
        expect(((await pre.json()) as { error: { code: string } }).error.code).toBe('origin_not_allowed');
        for (const [name] of pre.headers) expect(name.startsWith('access-control-')).toBe(false);
      }),
      { numRuns: 60 },
    );
    // The configured origin does get them.
    const ok = await stack.call('GET', `/api/sessions/${s.id}`, undefined, {
      origin: 'https://shop.example.com',
      'x-forwarded-for': '192.0.2.200',
    });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
  });

  it('the rate limit engages: 429 rate_limited with Retry-After, per client and route, and lets go after the window', async () => {
    const s = await stack.createSession();
    const from = { 'x-forwarded-for': '203.0.113.77' };
    const statuses: number[] = [];
    let limited: Response | null = null;
    for (let i = 0; i < 8; i++) {
      const r = await stack.call('GET', `/api/sessions/${s.id}`, undefined, from);
      statuses.push(r.status);
      if (r.status === 429) limited = r;
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(limited).not.toBeNull();
    const retry = Number(limited?.headers.get('retry-after'));
    expect(Number.isInteger(retry) && retry >= 1 && retry <= 60).toBe(true);
    expect(limited?.headers.get('ratelimit-remaining')).toBe('0');
    expect(((await limited?.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/retry in \d+ s/),
    });
    // Another client, and another route for the same client, are not limited.
    expect(
      (await stack.call('GET', `/api/sessions/${s.id}`, undefined, { 'x-forwarded-for': '203.0.113.78' }))
        .status,
    ).toBe(200);
    expect((await stack.call('POST', `/api/sessions/${s.id}/payment-page`, undefined, from)).status).toBe(
      200,
    );
    // Callbacks are never limited (the Gate must always get through).
    for (let i = 0; i < 8; i++) {
      expect((await stack.call('POST', '/api/callbacks/ecommpay', { signature: 'x' }, from)).status).not.toBe(
        429,
      );
    }
    stack.clock.now += 61_000;
    expect((await stack.call('GET', `/api/sessions/${s.id}`, undefined, from)).status).toBe(200);
  });

  it('over real HTTP the limit keys on the socket address', async () => {
    const s = await stack.createSession();
    const server = serve({ fetch: stack.server.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as AddressInfo;
      stack.clock.now += 61_000;
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++)
        statuses.push((await fetch(`http://127.0.0.1:${port}/api/sessions/${s.id}`)).status);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toEqual([429, 429]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('the secret key and the API key are in no answer, no log line and no Gate request', () => {
    // Everything this file sent and received: payments, callbacks, refusals, 429s.
    expect(stack.responses.length).toBeGreaterThan(100);
    for (const text of [
      ...stack.responses,
      ...stack.logs,
      ...stack.gateRequests.map((g) => JSON.stringify(g)),
    ]) {
      expect(text.includes(DEMO_SECRET_KEY)).toBe(false);
      expect(text.includes(DEMO_MERCHANT_API_KEY)).toBe(false);
    }
  });
});
