/**
 * Purchases through the API against the real Gate sandbox, in process: every method to success and to
 * decline, GrabPay MYR clarification, idempotency under concurrency, Gate failures and retries, callbacks
 * repeated, reordered, forged and dropped, long-polling, and the limit time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentView } from '../../src/core/api.ts';
import { sign } from '../../src/core/signature.ts';
import { DEMO_PROJECT_ID, DEMO_SECRET_KEY } from '../../src/server/config.ts';
import { RETURN_URL, SANDBOX_URL, startStack, VOUCHER, type Stack } from './helpers.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

const MINUTE = 60_000;

async function pay(
  session: Record<string, unknown>,
  body: Record<string, unknown>,
  key = crypto.randomUUID(),
): Promise<PaymentView> {
  const s = await stack.createSession(session);
  const r = await stack.pay(s.id, body, key);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

async function decide(p: PaymentView, result: 'success' | 'decline'): Promise<PaymentView> {
  await stack.sandbox.idle();
  await stack.sandbox.decide(DEMO_PROJECT_ID, p.id, result);
  return stack.settle(p.id);
}

function gateBodyOf(paymentId: string) {
  return stack.gateRequests.find((g) => g.body.general?.payment_id === paymentId && g.path.endsWith('/sale'))
    ?.body;
}

describe('every method, to success and to decline', () => {
  const cases = [
    { method: 'grabpay', currency: 'PHP', amount: 10_000, fields: { email: 'juan@example.com' } },
    {
      method: 'grabpay',
      currency: 'MYR',
      amount: 500,
      fields: { email: 'siti@example.com', first_name: 'Siti', last_name: 'Aminah' },
    },
    { method: 'advcash', currency: 'USD', amount: 2_500, fields: {} },
    { method: 'payco', currency: 'KRW', amount: 15_000, fields: {} },
  ] as const;

  for (const c of cases) {
    for (const result of ['success', 'decline'] as const) {
      it(`${c.method} ${c.currency} → ${result}`, async () => {
        const created = await pay(
          { amount: c.amount, currency: c.currency },
          { method: c.method, currency: c.currency, fields: c.fields },
        );
        expect(created).toMatchObject({
          status: 'created',
          amount: c.amount,
          currency: c.currency,
          next_action: { type: 'wait' },
        });
        const waiting = await stack.settle(created.id);
        expect(waiting.status).toBe('awaiting_redirect');
        expect(waiting.next_action.type).toBe('redirect');
        if (waiting.next_action.type === 'redirect')
          expect(waiting.next_action.redirect.url.startsWith(`${SANDBOX_URL}/providers/`)).toBe(true);
        const done = await decide(waiting, result);
        expect(done).toMatchObject({ status: result, next_action: { type: 'result' } });
        expect(done.code).toBe(result === 'success' ? '0' : '20000');
        expect(done.version).toBeGreaterThan(waiting.version);
        const entry = stack.sandbox.ledger().find((e) => e.payment_id === created.id);
        expect(entry).toMatchObject({ state: result, amount: c.amount, currency: c.currency, via: 'gate' });
      });
    }
  }

  it('jeton EUR → success (no redirect, the result by callback)', async () => {
    const created = await pay(
      { amount: 5_000, currency: 'EUR' },
      { method: 'jeton', currency: 'EUR', fields: VOUCHER },
    );
    expect(created.status).toBe('processing');
    expect(gateBodyOf(created.id)?.account).toEqual(VOUCHER);
    const done = await stack.settle(created.id);
    expect(done).toMatchObject({ status: 'success', code: '0', next_action: { type: 'result' } });
  });

  it('jeton EUR → decline (test amount 400.00)', async () => {
    const created = await pay(
      { amount: 40_000, currency: 'EUR' },
      { method: 'jeton', currency: 'EUR', fields: VOUCHER },
    );
    const done = await stack.settle(created.id);
    expect(done.status).toBe('decline');
    expect(done.code).toBeDefined();
  });

  it('builds the Gate request from the session: amount, customer IP, return and callback URLs', async () => {
    const created = await pay(
      {
        amount: 15_000,
        currency: 'KRW',
        description: 'Order 42',
        customer: { id: 'cust-7', email: 'kim@example.com' },
      },
      { method: 'payco', currency: 'KRW' },
    );
    const body = gateBodyOf(created.id);
    expect(body).toMatchObject({
      general: {
        project_id: DEMO_PROJECT_ID,
        payment_id: created.id,
        merchant_callback_url: 'http://127.0.0.1:8787/api/callbacks/ecommpay',
      },
      payment: { amount: 15_000, currency: 'KRW', description: 'Order 42' },
      customer: { id: 'cust-7', ip_address: '127.0.0.1' },
      return_url: {
        success: `${RETURN_URL}&ecp_payment=${created.id}&ecp_result=success`,
        decline: `${RETURN_URL}&ecp_payment=${created.id}&ecp_result=decline`,
        return: `${RETURN_URL}&ecp_payment=${created.id}&ecp_result=return`,
      },
    });
    expect(typeof body?.general.signature).toBe('string');
    // Payco needs no e-mail: the session's is not sent.
    expect(body?.customer.email).toBeUndefined();
  });
});

describe('GrabPay MYR clarification', () => {
  it('asks for the missing names, sends them signed, and continues to the redirect', async () => {
    const created = await pay(
      { amount: 500, currency: 'MYR', customer: { id: 'my-1' } },
      { method: 'grabpay', currency: 'MYR', fields: {} },
    );
    const asked = await stack.settle(created.id);
    expect(asked).toMatchObject({
      status: 'awaiting_clarification',
      next_action: { type: 'clarification', fields: { customer: ['email', 'first_name', 'last_name'] } },
    });
    const missing = await stack.json('POST', `/api/payments/${created.id}/clarification`, {
      customer: { first_name: 'Siti' },
    });
    expect(missing).toMatchObject({
      status: 400,
      body: { error: { code: 'validation_error', field: 'customer.email' } },
    });
    const invalid = await stack.json('POST', `/api/payments/${created.id}/clarification`, {
      customer: { email: 'not-an-email', first_name: 'Siti', last_name: 'Aminah' },
    });
    expect(invalid).toMatchObject({ status: 400, body: { error: { field: 'customer.email' } } });
    const sent = await stack.json<PaymentView>('POST', `/api/payments/${created.id}/clarification`, {
      customer: { email: 'siti@example.com', first_name: 'Siti', last_name: 'Aminah' },
    });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ status: 'awaiting_clarification', next_action: { type: 'wait' } });
    const clarification = stack.gateRequests.find(
      (g) => g.path === '/v2/payment/clarification' && g.body.general.payment_id === created.id,
    );
    expect(clarification?.body.additional_data).toEqual({
      customer: { email: 'siti@example.com', first_name: 'Siti', last_name: 'Aminah' },
    });
    const again = await stack.json('POST', `/api/payments/${created.id}/clarification`, {
      customer: { first_name: 'X' },
    });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'not_awaiting_clarification' } } });
    const redirect = await stack.settle(created.id);
    expect(redirect).toMatchObject({ status: 'awaiting_redirect', next_action: { type: 'redirect' } });
    expect(await decide(redirect, 'success')).toMatchObject({ status: 'success' });
  });
});

describe('idempotency: never a second charge', () => {
  it('twenty concurrent identical pay requests create one payment', async () => {
    const s = await stack.createSession({ amount: 15_000, currency: 'KRW' });
    const key = crypto.randomUUID();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => stack.pay(s.id, { method: 'payco', currency: 'KRW' }, key)),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(19);
    const created = results.find((r) => r.status === 201)?.body.id;
    expect(new Set(results.map((r) => r.body.id))).toEqual(new Set([created]));
    const sales = stack.gateRequests.filter(
      (g) => g.body.general.payment_id === created && g.path.endsWith('/sale'),
    );
    expect(sales).toHaveLength(1);
    expect(stack.sandbox.ledger().filter((e) => e.payment_id === created)).toHaveLength(1);
  });

  it('different keys (or none) still find the session’s payment; another method is refused', async () => {
    const s = await stack.createSession({ amount: 15_000, currency: 'KRW' });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        stack.pay(s.id, { method: 'payco', currency: 'KRW' }, i % 2 ? `key-${i}` : undefined),
      ),
    );
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const reused = await stack.pay(s.id, { method: 'payco', currency: 'KRW', fields: { x: 1 } }, 'key-1');
    expect(reused.status).toBe(200); // payco's fields schema drops unknown keys: the same request
    const s2 = await stack.createSession({ prices: { USD: 2000, EUR: 2000 } });
    const first = await stack.pay(s2.id, { method: 'advcash', currency: 'USD' }, 'k-a');
    expect(first.status).toBe(201);
    const otherBody = await stack.json(
      'POST',
      `/api/sessions/${s2.id}/payments`,
      { method: 'advcash', currency: 'EUR' },
      { 'idempotency-key': 'k-a' },
    );
    expect(otherBody).toMatchObject({ status: 422, body: { error: { code: 'idempotency_key_reused' } } });
    const otherMethod = await stack.json('POST', `/api/sessions/${s2.id}/payments`, {
      method: 'jeton',
      currency: 'EUR',
      fields: VOUCHER,
    });
    expect(otherMethod).toMatchObject({ status: 409, body: { error: { code: 'payment_in_progress' } } });
  });

  it('after a decline the shopper may try again; after a success the session is completed', async () => {
    const s = await stack.createSession({ amount: 15_000, currency: 'KRW' });
    const first = await stack.pay(s.id, { method: 'payco', currency: 'KRW' }, 'attempt-1');
    await decide(await stack.settle(first.body.id), 'decline');
    const same = await stack.pay(s.id, { method: 'payco', currency: 'KRW' }, 'attempt-1');
    expect(same).toMatchObject({ status: 200, body: { id: first.body.id, status: 'decline' } });
    const second = await stack.pay(s.id, { method: 'payco', currency: 'KRW' }, 'attempt-2');
    expect(second.status).toBe(201);
    await decide(await stack.settle(second.body.id), 'success');
    const view = await stack.json<{ status: string; payment: { id: string } }>(
      'GET',
      `/api/sessions/${s.id}`,
    );
    expect(view.body).toMatchObject({
      status: 'completed',
      payment: { id: second.body.id, status: 'success' },
    });
    const third = await stack.json(
      'POST',
      `/api/sessions/${s.id}/payments`,
      { method: 'payco', currency: 'KRW' },
      { 'idempotency-key': 'attempt-3' },
    );
    expect(third).toMatchObject({ status: 409, body: { error: { code: 'session_completed' } } });
  });
});

describe('Gate failures', () => {
  it('a 5xx is a retryable 502; the retry re-sends the same Gate payment_id', async () => {
    const s = await stack.createSession({ amount: 15_000, currency: 'KRW' });
    stack.sandbox.setFaults({ saleError: 1, saleErrorStatus: 503 });
    const failed = await stack.json<{ error: { code: string; message: string } }>(
      'POST',
      `/api/sessions/${s.id}/payments`,
      { method: 'payco', currency: 'KRW' },
      { 'idempotency-key': 'retry-me' },
    );
    expect(failed.status).toBe(502);
    expect(failed.body.error.code).toBe('gate_unavailable');
    expect(failed.body.error.message).toMatch(/same Idempotency-Key/);
    const retried = await stack.pay(s.id, { method: 'payco', currency: 'KRW' }, 'retry-me');
    expect(retried.status).toBe(200);
    const sends = stack.gateRequests.filter(
      (g) => g.body.general.payment_id === retried.body.id && g.path.endsWith('/sale'),
    );
    expect(sends).toHaveLength(2);
    expect(await stack.settle(retried.body.id)).toMatchObject({ status: 'awaiting_redirect' });
  });

  it('a 5xx after the Gate took the payment: the re-send’s 3041 counts as accepted', async () => {
    const s = await stack.createSession({ amount: 15_000, currency: 'KRW' });
    stack.sandbox.setFaults({ saleError: 1, saleErrorStatus: 500, faultAfterAccept: true });
    const failed = await stack.json(
      'POST',
      `/api/sessions/${s.id}/payments`,
      { method: 'payco', currency: 'KRW' },
      { 'idempotency-key': 'went-through' },
    );
    stack.sandbox.setFaults({ faultAfterAccept: false });
    expect(failed.status).toBe(502);
    const retried = await stack.pay(s.id, { method: 'payco', currency: 'KRW' }, 'went-through');
    expect(retried.status).toBe(200);
    expect(retried.body.status).not.toBe('error');
    const done = await decide(await stack.settle(retried.body.id), 'success');
    expect(done.status).toBe('success');
    expect(stack.sandbox.ledger().filter((e) => e.payment_id === retried.body.id)).toHaveLength(1);
  });

  it('a timeout is a retryable 504', async () => {
    const slow = await startStack({ env: { GATE_TIMEOUT_MS: '150' }, store: stack.server.store });
    try {
      const s = await slow.createSession({ amount: 15_000, currency: 'KRW' });
      slow.sandbox.setFaults({ saleTimeout: 1, hangMs: 8000 });
      const started = Date.now();
      const failed = await slow.json(
        'POST',
        `/api/sessions/${s.id}/payments`,
        { method: 'payco', currency: 'KRW' },
        { 'idempotency-key': 't' },
      );
      expect(failed).toMatchObject({ status: 504, body: { error: { code: 'gate_timeout' } } });
      expect(Date.now() - started).toBeLessThan(4000);
      const retried = await slow.pay(s.id, { method: 'payco', currency: 'KRW' }, 't');
      expect(retried.status).toBe(200);
      expect(await slow.settle(retried.body.id)).toMatchObject({ status: 'awaiting_redirect' });
    } finally {
      await slow.close();
    }
  });

  it('a send cut off by a dead instance: a repeat waits out its lease, then sends the payment again', async () => {
    const s = await stack.createSession({ amount: 15_000, currency: 'KRW' });
    stack.sandbox.setFaults({ saleError: 1, saleErrorStatus: 503 });
    const failed = await stack.json(
      'POST',
      `/api/sessions/${s.id}/payments`,
      { method: 'payco', currency: 'KRW' },
      { 'idempotency-key': 'cut-off' },
    );
    expect(failed.status).toBe(502);
    const id = (await stack.server.store.listPayments({ limit: 500 })).find((p) => p.sessionId === s.id)?.id;
    if (!id) throw new Error('no payment row');
    // As an instance leaves it when killed between its insert and the Gate's answer: a send running, no one
    // left; its lease (2 × GATE_TIMEOUT_MS, 15 s by default) runs out 300 ms from now.
    await stack.server.store.mutatePayment(id, new Date(), () => ({
      changes: { gateState: 'pending', sendingSince: new Date(stack.clock.now - 30_000 + 300) },
      visible: false,
    }));
    const repeat = await stack.pay(s.id, { method: 'payco', currency: 'KRW' }, 'cut-off');
    expect(repeat).toMatchObject({ status: 200, body: { id } });
    expect(await stack.settle(id)).toMatchObject({ status: 'awaiting_redirect' });
    expect(
      stack.gateRequests.filter((g) => g.body.general?.payment_id === id && g.path.endsWith('/sale')),
    ).toHaveLength(2);
  });

  it('a send abandoned by a dead instance that never reached the Gate ends in error (3061) at the sweep', async () => {
    const s = await stack.createSession({ amount: 15_000, currency: 'KRW' });
    stack.sandbox.setFaults({ saleError: 1, saleErrorStatus: 503 });
    const failed = await stack.json(
      'POST',
      `/api/sessions/${s.id}/payments`,
      { method: 'payco', currency: 'KRW' },
      { 'idempotency-key': 'abandoned' },
    );
    expect(failed.status).toBe(502);
    const id = (await stack.server.store.listPayments({ limit: 500 })).find((p) => p.sessionId === s.id)?.id;
    if (!id) throw new Error('no payment row');
    await stack.server.store.mutatePayment(id, new Date(), () => ({
      changes: { gateState: 'pending', sendingSince: new Date(Date.now() - 3_600_000) },
      visible: false,
    }));
    stack.clock.now += 6 * MINUTE;
    try {
      expect(await stack.server.sweep()).toBeGreaterThanOrEqual(1);
      expect(await stack.settle(id)).toMatchObject({ status: 'error', code: '3061' });
    } finally {
      stack.clock.now = Date.now();
    }
  });

  it('a refusal ends the payment in error with the Gate’s code', async () => {
    // Jeton in a currency the sandbox's catalog does not take, though ours does: the Gate refuses it.
    const odd = await startStack({ env: { JETON_CURRENCIES: 'EUR,GBP,USD,PHP' }, store: stack.server.store });
    try {
      const s = await odd.createSession({ amount: 5_000, currency: 'PHP' });
      const r = await odd.pay(s.id, { method: 'jeton', currency: 'PHP', fields: VOUCHER }, 'x');
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ status: 'error', code: '3004', next_action: { type: 'result' } });
    } finally {
      await odd.close();
    }
  });
});

describe('callbacks', () => {
  async function signedCallback(
    paymentId: string,
    status: string,
    secret = DEMO_SECRET_KEY,
    project = DEMO_PROJECT_ID,
  ) {
    const body = {
      project_id: project,
      payment: {
        id: paymentId,
        type: 'purchase',
        status,
        method: 'payco',
        sum: { amount: 15000, currency: 'KRW' },
      },
      operation: { id: 1, type: 'sale', status, request_id: 'x', code: '0', message: 'Success' },
    };
    return JSON.stringify({ ...body, signature: await sign(body, secret) });
  }

  it('a forged or unsigned callback gets a 4xx and stores nothing', async () => {
    const p = await pay({ amount: 15_000, currency: 'KRW' }, { method: 'payco', currency: 'KRW' });
    await stack.sandbox.idle();
    const before = await stack.server.store.countCallbacks();
    const forged = await stack.call(
      'POST',
      '/api/callbacks/ecommpay',
      await signedCallback(p.id, 'success', 'wrong-secret'),
    );
    expect(forged.status).toBe(403);
    const unsigned = JSON.parse(await signedCallback(p.id, 'success')) as Record<string, unknown>;
    delete unsigned.signature;
    expect((await stack.call('POST', '/api/callbacks/ecommpay', unsigned)).status).toBe(400);
    const tampered = (await signedCallback(p.id, 'decline')).replace('"decline"', '"success"');
    expect((await stack.call('POST', '/api/callbacks/ecommpay', tampered)).status).toBe(403);
    const otherProject = await stack.call(
      'POST',
      '/api/callbacks/ecommpay',
      await signedCallback(p.id, 'success', DEMO_SECRET_KEY, 999),
    );
    expect(otherProject.status).toBe(400);
    expect((await stack.call('POST', '/api/callbacks/ecommpay', '{not json')).status).toBe(400);
    expect(await stack.server.store.countCallbacks()).toBe(before);
    expect((await stack.settle(p.id)).status).toBe('awaiting_redirect');
  });

  it('ten copies of every callback end in one state, stored once each', async () => {
    stack.sandbox.setFaults({ duplicate: 9 });
    try {
      const p = await pay({ amount: 15_000, currency: 'KRW' }, { method: 'payco', currency: 'KRW' });
      const done = await decide(await stack.settle(p.id), 'success');
      expect(done).toMatchObject({ status: 'success', version: 3 });
      expect(await stack.server.store.countCallbacks(p.id)).toBe(2);
      expect(stack.sandbox.ledger().find((e) => e.payment_id === p.id)?.callbacks.acknowledged).toBe(20);
    } finally {
      stack.sandbox.resetFaults();
    }
  });

  it('reordered callbacks (final first, or a stale redirect after it) end in the same state', async () => {
    for (const reorder of ['final-first', 'stale-after'] as const) {
      stack.sandbox.setFaults({ reorder, reorderHoldMs: 50 });
      try {
        const p = await pay({ amount: 15_000, currency: 'KRW' }, { method: 'payco', currency: 'KRW' });
        await stack.sandbox.idle();
        if (reorder === 'final-first') await stack.sandbox.decide(DEMO_PROJECT_ID, p.id, 'success');
        else await decide(await stack.settle(p.id), 'success');
        const done = await stack.settle(p.id);
        expect(done, reorder).toMatchObject({
          status: 'success',
          code: '0',
          next_action: { type: 'result' },
        });
      } finally {
        stack.sandbox.resetFaults();
      }
    }
  });

  it('a dropped final callback is recovered by the status request', async () => {
    const p = await pay({ amount: 15_000, currency: 'KRW' }, { method: 'payco', currency: 'KRW' });
    const waiting = await stack.settle(p.id);
    stack.sandbox.setFaults({ dropNext: 1, dropKind: 'final' });
    await stack.sandbox.decide(DEMO_PROJECT_ID, p.id, 'success');
    expect((await stack.settle(p.id)).status).toBe('awaiting_redirect');
    stack.sandbox.resetFaults();
    // Not due before the base time (Payco publishes none: the default, 5 min).
    expect(await stack.server.sweep()).toBe(0);
    stack.clock.now += 6 * MINUTE;
    expect(await stack.server.sweep()).toBeGreaterThanOrEqual(1);
    const recovered = await stack.settle(p.id);
    expect(recovered).toMatchObject({ status: 'success', code: '0', version: waiting.version + 1 });
    expect(
      stack.gateRequests.some((g) => g.path === '/v2/payment/status' && g.body.general.payment_id === p.id),
    ).toBe(true);
    stack.clock.now = Date.now();
  });

  it('a stale status read starts the status check itself, and the long-poll gets the answer', async () => {
    const p = await pay({ amount: 2_500, currency: 'USD' }, { method: 'advcash', currency: 'USD' });
    const waiting = await stack.settle(p.id);
    stack.sandbox.setFaults({ dropNext: 1, dropKind: 'final' });
    await stack.sandbox.decide(DEMO_PROJECT_ID, p.id, 'decline');
    stack.sandbox.resetFaults();
    stack.clock.now += 4 * MINUTE; // ADVCash base time: 3 min
    const r = await stack.json<PaymentView>('GET', `/api/payments/${p.id}?wait=5&version=${waiting.version}`);
    expect(r.body).toMatchObject({ status: 'decline' });
    stack.clock.now = Date.now();
  });

  it('past the limit time without a result, the payment is declined', async () => {
    const p = await pay(
      { amount: 10_000, currency: 'PHP' },
      { method: 'grabpay', currency: 'PHP', fields: { email: 'a@example.com' } },
    );
    await stack.sandbox.idle();
    stack.clock.now += 25 * 60 * MINUTE; // GrabPay limit: 1 day
    await stack.server.sweep();
    const done = await stack.settle(p.id);
    expect(done).toMatchObject({ status: 'decline', code: '20602' });
    stack.clock.now = Date.now();
  });
});

describe('long-polling', () => {
  it('answers at once for an older version, and within milliseconds of the callback otherwise', async () => {
    const p = await pay({ amount: 15_000, currency: 'KRW' }, { method: 'payco', currency: 'KRW' });
    const waiting = await stack.settle(p.id);
    const quick = await stack.json<PaymentView>(
      'GET',
      `/api/payments/${p.id}?wait=10&version=${waiting.version - 1}`,
    );
    expect(quick.body.version).toBe(waiting.version);
    const started = performance.now();
    const held = stack.json<PaymentView>('GET', `/api/payments/${p.id}?wait=30&version=${waiting.version}`);
    await new Promise((r) => setTimeout(r, 100));
    const decidedAt = performance.now();
    await stack.sandbox.decide(DEMO_PROJECT_ID, p.id, 'success');
    const r = await held;
    const afterDecision = performance.now() - decidedAt;
    expect(r.body.status).toBe('success');
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
    // Held for up to 30 s, answered on the callback: woken, not timed out (a bound that a machine with both
    // cores busy meets; the callback takes milliseconds on an idle one).
    expect(afterDecision).toBeLessThan(15_000);
    console.info(`long-poll answered ${afterDecision.toFixed(1)} ms after the provider's decision`);
  });

  it('a payment request with ?wait answers with the redirect once the callback brings it', async () => {
    const s = await stack.createSession({ amount: 15_000, currency: 'KRW' });
    const started = performance.now();
    const r = await stack.json<PaymentView>(
      'POST',
      `/api/sessions/${s.id}/payments?wait=5`,
      { method: 'payco', currency: 'KRW' },
      { 'idempotency-key': crypto.randomUUID() },
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'awaiting_redirect', next_action: { type: 'redirect' } });
    expect(performance.now() - started).toBeLessThan(5000);
    // The same request again: the same payment, at once (its next step is known).
    const again = await stack.json<PaymentView>('GET', `/api/payments/${r.body.id}`);
    expect(again.body.version).toBe(r.body.version);
  });

  it('a payment request with ?wait answers `wait` when the callback does not come in time', async () => {
    const s = await stack.createSession({ amount: 15_000, currency: 'KRW' });
    stack.sandbox.setFaults({ dropNext: 1, dropKind: 'any' });
    const started = performance.now();
    const r = await stack.json<PaymentView>(
      'POST',
      `/api/sessions/${s.id}/payments?wait=0.3`,
      { method: 'payco', currency: 'KRW' },
      { 'idempotency-key': crypto.randomUUID() },
    );
    stack.sandbox.resetFaults();
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'created', next_action: { type: 'wait' } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    for (const q of ['wait=abc', 'wait=11', 'wait=-1']) {
      const bad = await stack.json(
        'POST',
        `/api/sessions/${s.id}/payments?${q}`,
        { method: 'payco', currency: 'KRW' },
        {
          'idempotency-key': crypto.randomUUID(),
        },
      );
      expect(bad.status, q).toBe(400);
    }
  });

  it('times out with the unchanged payment', async () => {
    const p = await pay({ amount: 15_000, currency: 'KRW' }, { method: 'payco', currency: 'KRW' });
    const waiting = await stack.settle(p.id);
    const started = performance.now();
    const r = await stack.json<PaymentView>(
      'GET',
      `/api/payments/${p.id}?wait=0.3&version=${waiting.version}`,
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(r.body.version).toBe(waiting.version);
  });
});

it('never shows the secret key in a response or a log line', () => {
  expect(stack.responses.length).toBeGreaterThan(50);
  expect(stack.logs.length).toBeGreaterThan(50);
  for (const text of [...stack.responses, ...stack.logs]) expect(text).not.toContain(DEMO_SECRET_KEY);
  for (const line of stack.logs) expect(() => JSON.parse(line) as unknown).not.toThrow();
});

describe('the payment request as a CORS-simple request (text/plain JSON, key in the query)', () => {
  const body = { method: 'payco', currency: 'KRW' };
  const plain = (origin?: string) => ({
    'content-type': 'text/plain;charset=UTF-8',
    ...(origin ? { origin } : {}),
  });

  it('creates the payment once, like the JSON shape, and refuses another origin', async () => {
    const s = await stack.createSession({ prices: { KRW: 15_000 } });
    const key = crypto.randomUUID();
    const path = `/api/sessions/${s.id}/payments?idempotency_key=${key}`;
    const first = await stack.json<PaymentView>('POST', path, body, plain('https://shop.example.com'));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // The same key in the header shape: the same payment, no second charge.
    const again = await stack.pay(s.id, body, key);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const foreign = await stack.json<{ error: { code: string } }>(
      'POST',
      `/api/sessions/${s.id}/payments?idempotency_key=${crypto.randomUUID()}`,
      body,
      plain('https://evil.example'),
    );
    expect(foreign).toMatchObject({ status: 403, body: { error: { code: 'origin_not_allowed' } } });
  });

  it('still answers 415 to a text/plain body on the other endpoints', async () => {
    const s = await stack.createSession({ prices: { KRW: 15_000 } });
    const r = await stack.json('POST', `/api/sessions/${s.id}/payment-page`, {}, plain());
    expect(r.status).toBe(415);
  });
});
