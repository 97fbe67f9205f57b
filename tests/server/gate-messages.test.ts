import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PaymentRow } from '../../src/server/db/schema.ts';
import {
  applyUpdate,
  methodFromLabel,
  normalizeClarificationFields,
  parseGateMessage,
  refundResult,
  type GateUpdate,
} from '../../src/server/service/gate-messages.ts';
import { FixedWindowLimiter } from '../../src/server/limiter.ts';
import { createLogger } from '../../src/server/logger.ts';
import { nextAction, paymentView } from '../../src/server/views.ts';

function row(overrides: Partial<PaymentRow> = {}): PaymentRow {
  const now = new Date(0);
  return {
    id: 'pay_1',
    sessionId: 'ses_1',
    channel: 'gate',
    type: 'purchase',
    method: 'grabpay',
    amount: 500,
    currency: 'MYR',
    status: 'created',
    version: 1,
    idemScope: 'ses_1',
    idempotencyKey: null,
    fingerprint: null,
    customerId: 'c',
    description: null,
    gateState: 'accepted',
    sendAttempts: 1,
    sendingSince: null,
    requestId: null,
    redirect: null,
    clarificationFields: null,
    clarificationSent: false,
    vouchers: null,
    code: null,
    message: null,
    refundedAmount: 0,
    statusCheckedAt: null,
    lastCallbackAt: null,
    reviewReason: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

/** Applies updates in order, as the store does under the row lock. */
function run(p: PaymentRow, updates: GateUpdate[]): PaymentRow {
  let cur = p;
  for (const u of updates) {
    const patch = applyUpdate(cur, u);
    cur = { ...cur, ...patch.changes, version: cur.version + (patch.visible ? 1 : 0) };
  }
  return cur;
}

// Seed 001 (ADVCash) decline callback, as printed.
const SEED_DECLINE = {
  project_id: 580,
  payment: {
    id: 'advcashtest111112066',
    type: 'purchase',
    status: 'decline',
    method: 'advcash',
    sum: { amount: 700, currency: 'RUB' },
  },
  account: { number: '123@gmail.com' },
  customer: { id: 'test_id' },
  errors: [
    {
      code: '100',
      message: 'General decline',
      description: 'Gate. Operation was declined. General Gate error',
    },
  ],
  operation: {
    id: 11295000003456,
    type: 'sale',
    status: 'decline',
    request_id: '8c68681bddffg93b537432047f6ff5c66',
    code: '100',
    message: 'General decline',
  },
};

// Seed 004: the older Jeton payout shape, and the provider_extra_fields.vouchers one.
const OLD_JETON = {
  request_id: '321b4f17cce71489321c5ade74b353e1f5d50f57090a93aa80ff75',
  transaction: { id: 17569000000764, type: 'payout' },
  payment: {
    id: 'payoutvoucher5215',
    method: 'Jeton Voucher',
    result_code: '0',
    result_message: 'Success',
    status: 'success',
  },
  sum_real: { amount: 54000, currency: 'EUR' },
  general: { project_id: 199, payment_id: 'payoutvoucher5215' },
  operations: [
    {
      id: 17569000000885,
      type: 'payout',
      status: 'success',
      sum: { amount: 54000, currency: 'EUR' },
      code: '0',
      message: 'Success',
    },
  ],
};
const JETON_VOUCHERS = {
  project_id: 35,
  payment: { id: 'voucherpayout3', type: 'payout', status: 'success', method: 'JetonVoucher' },
  provider_extra_fields: {
    vouchers: [
      {
        voucherNumber: '4619483153895636584',
        expiration: '2019-07-10T11:48:14+00:00',
        securityCode: '6666',
        createDate: '2018-07-10T11:48:14+0000',
      },
      {
        voucherNumber: '4619483153895636677',
        expiration: '2019-07-10T11:48:14+00:00',
        securityCode: '7777',
        createDate: '2018-07-12T11:48:14+0000',
      },
    ],
  },
  operation: {
    id: 11751000000566,
    type: 'payout',
    status: 'success',
    request_id: 'd6648',
    code: '0',
    message: 'Success',
  },
};

describe('parseGateMessage', () => {
  it('reads the seeds’ callback', () => {
    expect(parseGateMessage(SEED_DECLINE)).toMatchObject({
      projectId: 580,
      paymentId: 'advcashtest111112066',
      method: 'advcash',
      rawStatus: 'decline',
      state: 'decline',
      code: '100',
      message: 'General decline',
      operation: {
        type: 'sale',
        status: 'decline',
        requestId: '8c68681bddffg93b537432047f6ff5c66',
        id: '11295000003456',
      },
    });
  });

  it('reads the older Jeton payout shape', () => {
    expect(parseGateMessage(OLD_JETON)).toMatchObject({
      projectId: 199,
      paymentId: 'payoutvoucher5215',
      method: 'jeton',
      state: 'success',
      code: '0',
      operation: { type: 'payout', status: 'success', amount: 54000, requestId: OLD_JETON.request_id },
    });
  });

  it('reads vouchers, redirects and clarification requests', () => {
    expect(parseGateMessage(JETON_VOUCHERS).vouchers).toEqual([
      {
        number: '4619483153895636584',
        expiration: '2019-07-10T11:48:14+00:00',
        security_code: '6666',
        created_at: '2018-07-10T11:48:14+0000',
      },
      {
        number: '4619483153895636677',
        expiration: '2019-07-10T11:48:14+00:00',
        security_code: '7777',
        created_at: '2018-07-12T11:48:14+0000',
      },
    ]);
    const r = parseGateMessage({
      payment: { id: 'p', status: 'awaiting redirect result' },
      redirect_data: {
        method: 'get',
        url: 'https://x.example/pay',
        body: { a: '1', n: 2, nested: { no: 1 } },
      },
    });
    expect(r.redirect).toEqual({ url: 'https://x.example/pay', method: 'GET', body: { a: '1', n: 2 } });
    expect(parseGateMessage({ payment: { id: 'p', status: 'something new' } }).state).toBeNull();
  });

  it('normalises both clarification shapes', () => {
    expect(normalizeClarificationFields({ customer: ['first_name', 'last_name'] })).toEqual({
      customer: ['first_name', 'last_name'],
    });
    expect(
      normalizeClarificationFields({
        type: 'object',
        properties: {
          customer: { type: 'object', properties: { email: {}, first_name: {} }, required: ['first_name'] },
        },
      }),
    ).toEqual({ customer: ['first_name'] });
    expect(normalizeClarificationFields('x')).toBeUndefined();
    expect(methodFromLabel('GrabPay wallet')).toBe('grabpay');
    expect(methodFromLabel('card')).toBeUndefined();
  });
});

describe('applyUpdate', () => {
  const redirect = parseGateMessage({
    payment: { id: 'pay_1', status: 'awaiting redirect result' },
    operation: { type: 'sale', status: 'awaiting redirect result', request_id: 'r1', code: '9999' },
    redirect_data: { url: 'https://grab.example/pay', method: 'GET', body: {} },
  });
  const clarification = parseGateMessage({
    payment: { id: 'pay_1', status: 'awaiting clarification' },
    operation: { type: 'sale', status: 'awaiting clarification', code: '3191' },
    clarification_fields: { customer: ['first_name'] },
  });
  const success = parseGateMessage({
    payment: { id: 'pay_1', status: 'success' },
    operation: { type: 'sale', status: 'success', code: '0', message: 'Success' },
  });
  const decline = parseGateMessage(SEED_DECLINE);

  it('moves forward only, taking side data from the callback that moved it', () => {
    const p = run(row(), [clarification, redirect, success]);
    expect(p).toMatchObject({ status: 'success', version: 4, code: '0', requestId: 'r1' });
    expect(p.clarificationFields).toEqual({ customer: ['first_name'] });
    const late = run(p, [redirect, clarification, decline]);
    expect(late).toEqual(p);
  });

  it('a callback marks an unconfirmed send as accepted, without a new version', () => {
    const patch = applyUpdate(
      row({ gateState: 'retryable', status: 'awaiting_redirect', redirect: redirect.redirect! }),
      redirect,
    );
    expect(patch).toMatchObject({ visible: false, changes: { gateState: 'accepted' } });
  });

  it('takes vouchers for a payout once', () => {
    const u = parseGateMessage(JETON_VOUCHERS);
    const p = run(row({ type: 'payout', method: 'jeton', status: 'processing' }), [u, u]);
    expect(p.vouchers).toHaveLength(2);
    expect(p.version).toBe(2);
  });

  it('reports refund results', () => {
    const u = parseGateMessage({
      payment: { id: 'p', status: 'refunded' },
      operation: { type: 'refund', status: 'success' },
    });
    expect(refundResult(u)).toEqual({ status: 'success' });
    expect(refundResult(success)).toBeNull();
    const p = run(row({ status: 'success', code: '0' }), [u]);
    expect(p).toMatchObject({ status: 'refunded', code: '0' });
  });

  it('any order and any repeats of the same callbacks end in the same state', () => {
    const all = [redirect, clarification, success];
    const reference = run(row(), all);
    fc.assert(
      fc.property(
        // Every callback arrives at least once, in any order, some many times.
        fc.array(fc.constantFrom(...all), { maxLength: 12 }).chain((extra) => {
          const delivered = [...extra, ...all];
          return fc.shuffledSubarray(delivered, { minLength: delivered.length, maxLength: delivered.length });
        }),
        (delivered) => {
          const end = run(row(), delivered);
          expect(end.status).toBe(reference.status);
          expect(end.code).toBe(reference.code);
          expect(end.message).toBe(reference.message);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('FixedWindowLimiter', () => {
  it('allows the limit per window per key, then tells when to retry', () => {
    let now = 1_000_000;
    const l = new FixedWindowLimiter({ limit: 3, windowMs: 60_000, now: () => now });
    expect([1, 2, 3].map(() => l.hit('ip route').allowed)).toEqual([true, true, true]);
    const blocked = l.hit('ip route');
    expect(blocked).toMatchObject({ allowed: false, remaining: 0, resetMs: 60_000 });
    expect(l.hit('other-ip route').allowed).toBe(true);
    now += 59_000;
    expect(l.hit('ip route')).toMatchObject({ allowed: false, resetMs: 1000 });
    now += 1000;
    expect(l.hit('ip route')).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('keeps memory bounded', () => {
    let now = 0;
    const l = new FixedWindowLimiter({ limit: 1, windowMs: 1000, now: () => now, maxKeys: 100 });
    for (let i = 0; i < 1000; i++) {
      now += 1;
      l.hit(`k${i}`);
    }
    expect(l.size).toBeLessThanOrEqual(100);
  });
});

describe('logger', () => {
  it('writes JSON lines and redacts secrets', () => {
    const lines: string[] = [];
    const log = createLogger({ sink: (l) => lines.push(l), redact: ['s3cret-value'] }).child({
      request_id: 'r1',
    });
    log.info('x', { note: 'key=s3cret-value', err: new Error('boom s3cret-value') });
    log.debug('hidden');
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(parsed).toMatchObject({ level: 'info', msg: 'x', request_id: 'r1', note: 'key=[redacted]' });
    expect(lines[0]).not.toContain('s3cret-value');
  });
});

describe('next action', () => {
  const devHosts = ['127.0.0.1', 'localhost'];
  const waiting = (url: string, method = 'GET') =>
    row({ status: 'awaiting_redirect', redirect: { url, method, body: { a: '1' } } });

  it('hands the browser only redirects the policy allows', () => {
    expect(nextAction(waiting('https://grab.example/pay?x=1'), devHosts)).toEqual({
      type: 'redirect',
      redirect: { url: 'https://grab.example/pay?x=1', method: 'GET', body: { a: '1' } },
    });
    expect(nextAction(waiting('http://127.0.0.1:8790/providers/x', 'post'), devHosts).type).toBe('redirect');
    for (const bad of ['javascript:alert(1)', 'http://evil.example/pay', 'data:text/html,x', 'not a url']) {
      expect(nextAction(waiting(bad), devHosts), bad).toEqual({ type: 'wait', retry_after_ms: 1000 });
    }
    expect(nextAction(waiting('https://grab.example/pay', 'PUT'), devHosts).type).toBe('wait');
  });

  it('asks for clarification until it is sent; a final payment has a result', () => {
    const asked = row({
      status: 'awaiting_clarification',
      clarificationFields: { customer: ['first_name'] },
    });
    expect(nextAction(asked, devHosts)).toEqual({
      type: 'clarification',
      fields: { customer: ['first_name'] },
    });
    expect(nextAction({ ...asked, clarificationSent: true }, devHosts).type).toBe('wait');
    expect(nextAction(row({ status: 'decline' }), devHosts)).toEqual({ type: 'result' });
    const view = paymentView(row({ status: 'refunded', refundedAmount: 500, code: '0', method: null }), {
      devHosts,
    });
    expect(view).toMatchObject({ status: 'refunded', refunded_amount: 500, code: '0' });
    expect('method' in view).toBe(false);
  });
});
