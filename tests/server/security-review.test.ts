/**
 * Regression tests for the findings of the independent security review (issue 14), one `describe` each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/core/signature.ts';
import { DEMO_SECRET_KEY } from '../../src/server/config.ts';
import { AUTH, RETURN_URL, startStack, type Stack } from './helpers.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

/** Blank: the defaults (the test helpers raise them, every test request coming from one IP). */
const DEFAULT_LIMITS = { AUTH_FAILURES_PER_MINUTE: '', REJECTED_CALLBACKS_PER_MINUTE: '' };

interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

describe('failed merchant authentication and rejected callbacks are rate-limited per client', () => {
  it('150 wrong-key requests meet 429s (with Retry-After), and the window passes', async () => {
    const s = await startStack({ store: stack.server.store, env: DEFAULT_LIMITS });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 150; i++) {
        const r = await s.call('GET', '/api/merchant/payments', undefined, {
          authorization: `Bearer wrong-key-${i}`,
        });
        statuses.push(r.status);
      }
      expect(statuses.filter((x) => x === 401).length).toBe(s.config.authFailuresPerMinute);
      expect(statuses.filter((x) => x === 429).length).toBe(150 - s.config.authFailuresPerMinute);
      const blocked = await s.call('POST', '/api/sessions', { amount: 1 }, { authorization: 'Bearer nope' });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await blocked.json()) as ErrorBody).error.code).toBe('rate_limited');
      // While blocked even the right key waits (guessing cannot go on); after the window it works.
      expect((await s.call('GET', '/api/merchant/payments', undefined, AUTH)).status).toBe(429);
      s.clock.now += 60_000;
      expect((await s.call('GET', '/api/merchant/payments', undefined, AUTH)).status).toBe(200);
      expect(s.logs.some((l) => l.includes('merchant.auth_failed'))).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('a right key is never counted: many authenticated requests stay 200', async () => {
    const s = await startStack({ store: stack.server.store, env: DEFAULT_LIMITS });
    try {
      for (let i = 0; i < 40; i++)
        expect((await s.call('GET', '/api/merchant/payments?limit=1', undefined, AUTH)).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('unsigned and forged callbacks from one source meet 429s; signed ones are not counted', async () => {
    const s = await startStack({ store: stack.server.store, env: DEFAULT_LIMITS });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 100; i++) {
        const body =
          i % 2 === 0
            ? { project_id: 1001, payment: { id: `pay_${i}`, status: 'success' } }
            : { project_id: 1001, payment: { id: `pay_${i}`, status: 'success' }, signature: 'forged' };
        statuses.push((await s.call('POST', '/api/callbacks/ecommpay', body)).status);
      }
      const limit = s.config.rejectedCallbacksPerMinute;
      expect(statuses.slice(0, limit).every((x) => x === 400 || x === 403)).toBe(true);
      expect(statuses.slice(limit).every((x) => x === 429)).toBe(true);
      s.clock.now += 60_000;
      const data = { project_id: 1001, payment: { id: 'pay_unknown_ok', status: 'success' } };
      const signed = { ...data, signature: await sign(data, DEMO_SECRET_KEY) };
      for (let i = 0; i < limit + 5; i++)
        expect((await s.call('POST', '/api/callbacks/ecommpay', signed)).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe('a session nobody can pay is refused', () => {
  it('methods:["payco"] priced in PHP → 422 naming the method and why', async () => {
    const r = await stack.json<ErrorBody>(
      'POST',
      '/api/sessions',
      {
        amount: 10_000,
        currency: 'PHP',
        methods: ['payco'],
        customer: { id: 'cust-1' },
        return_url: RETURN_URL,
      },
      AUTH,
    );
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('no_method_available');
    expect(r.body.error.field).toBe('methods');
    expect(r.body.error.message).toMatch(/Payco/);
    expect(r.body.error.message).toMatch(/PHP/);
  });

  it("an amount below every method's minimum → 422 listing each method", async () => {
    const r = await stack.json<ErrorBody>(
      'POST',
      '/api/sessions',
      { amount: 1, currency: 'PHP', customer: { id: 'cust-1' }, return_url: RETURN_URL },
      AUTH,
    );
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('no_method_available');
    for (const name of ['GrabPay', 'Payco']) expect(r.body.error.message).toContain(name);
  });

  it('a session one method can take is still created', async () => {
    const s = await stack.createSession({ amount: 10_000, currency: 'PHP', methods: ['grabpay', 'payco'] });
    expect(s.methods.map((m) => m.method)).toEqual(['grabpay']);
  });
});

describe("a signed callback whose sum or currency is not the payment's", () => {
  async function redirectPayment(
    price: { amount: number; currency: string },
    method: 'grabpay' | 'payco',
    fields: Record<string, string>,
  ): Promise<string> {
    const session = await stack.createSession(price);
    const r = await stack.pay(session.id, { method, currency: price.currency, fields });
    expect(r.status).toBe(201);
    await stack.sandbox.idle();
    return r.body.id;
  }

  async function callback(id: string, sum: { amount: number; currency: string }, status = 'success') {
    const data = {
      project_id: 1001,
      payment: { id, type: 'purchase', status, sum },
      operation: { id: 77, type: 'sale', status, sum_initial: sum, code: '0', message: 'Success' },
    };
    return stack.json<{ status: string }>('POST', '/api/callbacks/ecommpay', {
      ...data,
      signature: await sign(data, DEMO_SECRET_KEY),
    });
  }

  async function merchantView(id: string) {
    return (
      await stack.json<{ status: string; requires_review?: boolean; review_reason?: string }>(
        'GET',
        `/api/merchant/payments/${id}`,
        undefined,
        AUTH,
      )
    ).body;
  }

  it('1 USD for a 10,000 PHP payment: stored (200), not paid, held for review and logged', async () => {
    const id = await redirectPayment({ amount: 10_000, currency: 'PHP' }, 'grabpay', {
      email: 'a@example.com',
    });
    const before = await stack.server.store.countCallbacks(id);
    const r = await callback(id, { amount: 1, currency: 'USD' });
    expect(r.status).toBe(200);
    expect(await stack.server.store.countCallbacks(id)).toBe(before + 1);
    const browser = await stack.json<{ status: string; requires_review?: boolean }>(
      'GET',
      `/api/payments/${id}`,
    );
    expect(browser.body.status).not.toBe('success');
    expect(browser.body.requires_review).toBeUndefined(); // the shopper's view says nothing of it
    const m = await merchantView(id);
    expect(m.status).toBe('awaiting_redirect');
    expect(m.requires_review).toBe(true);
    expect(m.review_reason).toMatch(/1 USD.*10000 PHP/);
    expect(stack.logs.some((l) => l.includes('payment.requires_review') && l.includes(id))).toBe(true);
    // The merchant can find it: the list carries the flag too.
    const list = await stack.json<{ data: { id: string; requires_review?: boolean }[] }>(
      'GET',
      '/api/merchant/payments?limit=100',
      undefined,
      AUTH,
    );
    expect(list.body.data.find((p) => p.id === id)?.requires_review).toBe(true);
    // The sweeper's limit time does not decline a payment under review.
    stack.clock.now += 10 * 24 * 3600_000;
    await stack.server.sweep();
    expect((await merchantView(id)).status).toBe('awaiting_redirect');
  });

  it('the right amount in another currency, or the right currency with another amount: not paid', async () => {
    for (const sum of [
      { amount: 10_000, currency: 'USD' },
      { amount: 10_001, currency: 'PHP' },
    ]) {
      const id = await redirectPayment({ amount: 10_000, currency: 'PHP' }, 'grabpay', {
        email: 'a@example.com',
      });
      expect((await callback(id, sum)).status).toBe(200);
      const m = await merchantView(id);
      expect(m.status).not.toBe('success');
      expect(m.requires_review).toBe(true);
    }
  });

  it("KRW (no minor units): the payment's own sum pays it, a sum ×100 does not", async () => {
    const fields = { first_name: 'Minsu', last_name: 'Kim', email: 'a@example.com' };
    const ok = await redirectPayment({ amount: 50_000, currency: 'KRW' }, 'payco', fields);
    expect((await callback(ok, { amount: 50_000, currency: 'KRW' })).status).toBe(200);
    expect((await merchantView(ok)).status).toBe('success');
    expect((await merchantView(ok)).requires_review).toBeUndefined();

    const wrong = await redirectPayment({ amount: 50_000, currency: 'KRW' }, 'payco', fields);
    expect((await callback(wrong, { amount: 5_000_000, currency: 'KRW' })).status).toBe(200);
    const m = await merchantView(wrong);
    expect(m.status).not.toBe('success');
    expect(m.requires_review).toBe(true);
  });
});

describe('redirects go only to allowed hosts', () => {
  it('a callback redirect to a host off the allowlist is never handed to the browser; allowed ones are', async () => {
    const s = await startStack({
      store: stack.server.store,
      env: { REDIRECT_HOSTS: 'pay.grab.example,*.jeton.example' },
    });
    try {
      const session = await s.createSession();
      expect(session.redirect_hosts).toEqual(['127.0.0.1', 'pay.grab.example', '*.jeton.example']);
      const pay = await s.pay(session.id, {
        method: 'grabpay',
        currency: 'PHP',
        fields: { email: 'a@example.com' },
      });
      expect(pay.status).toBe(201);
      await s.sandbox.idle();
      const id = pay.body.id;
      const send = async (url: string) => {
        const data = {
          project_id: 1001,
          payment: { id, type: 'purchase', status: 'awaiting redirect result' },
          operation: { id: 5, type: 'sale', status: 'awaiting redirect result', request_id: `r-${url}` },
          redirect_data: { url, method: 'POST', body: { token: 't' } },
        };
        expect(
          (
            await s.call('POST', '/api/callbacks/ecommpay', {
              ...data,
              signature: await sign(data, DEMO_SECRET_KEY),
            })
          ).status,
        ).toBe(200);
        // The stored redirect is only replaced by one that moved the state: read what the policy does with it.
        const row = (await s.server.store.getPayment(id))!;
        return s.server.service.view({ ...row, redirect: { url, method: 'POST', body: { token: 't' } } })
          .next_action;
      };
      expect((await send('https://evil.example.com/collect')).type).toBe('wait');
      expect((await send('https://grab.example/pay')).type).toBe('wait');
      expect((await send('https://pay.grab.example/pay')).type).toBe('redirect');
      expect((await send('https://wallet.jeton.example/v')).type).toBe('redirect');
      expect(
        s.logs.some((l) => l.includes('payment.redirect_refused') && l.includes('evil.example.com')),
      ).toBe(true);
    } finally {
      await s.close();
    }
  });
});
