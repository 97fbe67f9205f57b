/**
 * Merchant endpoints and the Payment Page against the Gate sandbox: payouts (Jeton vouchers, GrabPay,
 * ADVCash), Payco refunds, the payment list and detail, and Payment Page signing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentPageResponse, PaymentView } from '../../src/core/api.ts';
import { verify } from '../../src/core/signature.ts';
import { DEMO_PROJECT_ID, DEMO_SECRET_KEY } from '../../src/server/config.ts';
import type { RefundView } from '../../src/server/views.ts';
import { AUTH, RETURN_URL, SANDBOX_URL, startStack, type Stack } from './helpers.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { ADVCASH_PAYMENT_PAGE_CODE: 'advcash_direct' } });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

type Detail = PaymentView & { refunds: RefundView[]; request_id?: string; customer_id: string };

const payout = (body: Record<string, unknown>, key?: string) =>
  stack.json<PaymentView>('POST', '/api/merchant/payouts', body, {
    ...AUTH,
    ...(key ? { 'idempotency-key': key } : {}),
  });
const detail = (id: string) => stack.json<Detail>('GET', `/api/merchant/payments/${id}`, undefined, AUTH);

async function settledDetail(id: string): Promise<Detail> {
  await stack.sandbox.idle();
  return (await detail(id)).body;
}

describe('payouts', () => {
  it('Jeton: split into vouchers, returned once the callback brings them', async () => {
    const r = await payout(
      { method: 'jeton', currency: 'EUR', amount: 125_000, customer: { id: 'winner-1' } },
      'jeton-1',
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ type: 'payout', method: 'jeton', status: 'processing', amount: 125_000 });
    expect(r.body.vouchers).toBeUndefined();
    const done = await settledDetail(r.body.id);
    expect(done).toMatchObject({ status: 'success', code: '0', customer_id: 'winner-1' });
    expect(done.vouchers?.map((v) => v.amount)).toEqual([50_000, 50_000, 25_000]);
    for (const v of done.vouchers ?? []) {
      expect(v.number).toMatch(/^\d{19}$/);
      expect(v.security_code).toMatch(/^\d{4}$/);
    }
    // Vouchers are money: a payout is never readable on the public route.
    expect((await stack.json('GET', `/api/payments/${r.body.id}`)).status).toBe(404);
    const again = await payout(
      { method: 'jeton', currency: 'EUR', amount: 125_000, customer: { id: 'winner-1' } },
      'jeton-1',
    );
    expect(again).toMatchObject({ status: 200, body: { id: r.body.id } });
  });

  it('GrabPay PHP to 09… with the holder’s name', async () => {
    const r = await payout({
      method: 'grabpay',
      currency: 'PHP',
      amount: 5_000,
      customer: { id: 'c-ph' },
      account: { number: '09123456789', customer_name: 'Juan Dela Cruz' },
    });
    expect(r.status).toBe(201);
    const sent = stack.gateRequests.find((g) => g.body.general.payment_id === r.body.id);
    expect(sent?.path).toBe('/v2/payment/wallet/grabpay/payout');
    expect(sent?.body.account).toEqual({ number: '09123456789', customer_name: 'Juan Dela Cruz' });
    expect(sent?.body.customer).toEqual({ id: 'c-ph', ip_address: '127.0.0.1' });
    expect((await settledDetail(r.body.id)).status).toBe('success');
  });

  it('ADVCash to the wallet e-mail, and its test decline', async () => {
    const ok = await payout({
      method: 'advcash',
      currency: 'USD',
      amount: 1_000,
      customer: { id: 'c' },
      account: { number: 'w@example.com' },
    });
    expect(ok.status).toBe(201);
    expect((await settledDetail(ok.body.id)).status).toBe('success');
    const no = await payout({
      method: 'advcash',
      currency: 'UAH',
      amount: 40_000,
      customer: { id: 'c' },
      account: { number: 'w@example.com' },
    });
    expect((await settledDetail(no.body.id)).status).toBe('decline');
  });

  it('refuses what a method cannot pay out, with the field at fault', async () => {
    const wrong = await payout({
      method: 'grabpay',
      currency: 'PHP',
      amount: 100,
      customer: { id: 'c' },
      account: { number: '08123456789', customer_name: 'Juan Cruz' },
    });
    expect(wrong).toMatchObject({
      status: 400,
      body: { error: { code: 'validation_error', field: 'account.number' } },
    });
    const myr = await payout({
      method: 'grabpay',
      currency: 'MYR',
      amount: 100,
      customer: { id: 'c' },
      account: { number: '09123456789', customer_name: 'Juan Cruz' },
    });
    expect(myr).toMatchObject({
      status: 422,
      body: { error: { code: 'payout_unavailable', field: 'currency' } },
    });
    const small = await payout({ method: 'jeton', currency: 'EUR', amount: 500, customer: { id: 'c' } });
    expect(small).toMatchObject({ status: 422, body: { error: { field: 'amount' } } });
    const payco = await payout({ method: 'payco', currency: 'KRW', amount: 100, customer: { id: 'c' } });
    expect(payco).toMatchObject({ status: 400, body: { error: { code: 'validation_error' } } });
    const reused = await payout(
      { method: 'jeton', currency: 'EUR', amount: 2_000, customer: { id: 'c' } },
      'jeton-1',
    );
    expect(reused).toMatchObject({ status: 422, body: { error: { code: 'idempotency_key_reused' } } });
  });
});

describe('Payco refunds', () => {
  async function paidPayco(amount = 10_000): Promise<PaymentView> {
    const s = await stack.createSession({ amount, currency: 'KRW' });
    const r = await stack.pay(s.id, { method: 'payco', currency: 'KRW' }, crypto.randomUUID());
    await stack.sandbox.idle();
    await stack.sandbox.decide(DEMO_PROJECT_ID, r.body.id, 'success');
    return stack.settle(r.body.id);
  }
  const refund = (id: string, body: Record<string, unknown>, key?: string) =>
    stack.json<{ refund: RefundView; payment: PaymentView }>(
      'POST',
      `/api/merchant/payments/${id}/refunds`,
      body,
      {
        ...AUTH,
        ...(key ? { 'idempotency-key': key } : {}),
      },
    );

  it('partial, then the rest; never more than what is left', async () => {
    const p = await paidPayco();
    const part = await refund(p.id, { description: 'one item back', amount: 3_000 }, 'r1');
    expect(part.status).toBe(201);
    expect(part.body.refund).toMatchObject({ amount: 3_000, currency: 'KRW', status: 'pending' });
    const sent = stack.gateRequests.filter(
      (g) => g.path === '/v2/payment/wallet/payco/refund' && g.body.general.payment_id === p.id,
    );
    expect(sent[0]?.body.payment).toEqual({ description: 'one item back', amount: 3_000, currency: 'KRW' });
    const same = await refund(p.id, { description: 'one item back', amount: 3_000 }, 'r1');
    expect(same).toMatchObject({ status: 200, body: { refund: { id: part.body.refund.id } } });
    const after = await settledDetail(p.id);
    expect(after).toMatchObject({ status: 'partially_refunded', refunded_amount: 3_000 });
    expect(after.refunds.map((r) => r.status)).toEqual(['success']);
    const tooMuch = await refund(p.id, { description: 'too much', amount: 8_000 });
    expect(tooMuch).toMatchObject({
      status: 422,
      body: { error: { code: 'refund_exceeds_remaining', field: 'amount' } },
    });
    const rest = await refund(p.id, { description: 'the rest' });
    expect(rest.body.refund.amount).toBe(7_000);
    const done = await settledDetail(p.id);
    expect(done).toMatchObject({ status: 'refunded', refunded_amount: 10_000 });
    const none = await refund(p.id, { description: 'again' });
    expect(none).toMatchObject({ status: 409, body: { error: { code: 'not_refundable' } } });
  });

  it('a full refund names no amount', async () => {
    const p = await paidPayco(20_000);
    const full = await refund(p.id, { description: 'cancelled order' });
    expect(full).toMatchObject({ status: 201, body: { refund: { amount: 20_000 } } });
    const sent = stack.gateRequests.filter(
      (g) => g.path === '/v2/payment/wallet/payco/refund' && g.body.general.payment_id === p.id,
    );
    expect(sent[0]?.body.payment).toEqual({ description: 'cancelled order' });
    expect(await settledDetail(p.id)).toMatchObject({ status: 'refunded', refunded_amount: 20_000 });
  });

  it('a refund whose answer is lost stays reserved until its callback settles it', async () => {
    const p = await paidPayco(10_000);
    stack.sandbox.setFaults({ saleError: 1, saleErrorStatus: 502, faultAfterAccept: true });
    const lost = await refund(p.id, { description: 'lost answer', amount: 4_000 }, 'lost');
    stack.sandbox.resetFaults();
    expect(lost).toMatchObject({ status: 502, body: { error: { code: 'gate_unavailable' } } });
    // Not re-sent on a retry: the Gate keys refunds by the purchase, so a second one would be a second refund.
    const retry = await refund(p.id, { description: 'lost answer', amount: 4_000 }, 'lost');
    expect(retry.status).toBe(200);
    expect(['unknown', 'success']).toContain(retry.body.refund.status);
    const done = await settledDetail(p.id);
    expect(done).toMatchObject({ status: 'partially_refunded', refunded_amount: 4_000 });
    expect(done.refunds.map((r) => r.status)).toEqual(['success']);
    const sent = stack.gateRequests.filter(
      (g) => g.path.endsWith('/refund') && g.body.general.payment_id === p.id,
    );
    expect(sent).toHaveLength(1);
  });

  it('refuses refunds for other methods, unpaid payments and bad input', async () => {
    const s = await stack.createSession({ amount: 10_000, currency: 'PHP' });
    const grab = await stack.pay(s.id, {
      method: 'grabpay',
      currency: 'PHP',
      fields: { email: 'a@example.com' },
    });
    expect((await refund(grab.body.id, { description: 'x' })).body).toMatchObject({
      error: { code: 'refunds_not_supported' },
    });
    const s2 = await stack.createSession({ amount: 10_000, currency: 'KRW' });
    const unpaid = await stack.pay(s2.id, { method: 'payco', currency: 'KRW' });
    expect(await refund(unpaid.body.id, { description: 'x' })).toMatchObject({
      status: 409,
      body: { error: { code: 'not_refundable' } },
    });
    expect(await refund(unpaid.body.id, {})).toMatchObject({
      status: 400,
      body: { error: { field: 'description' } },
    });
    expect(await refund(unpaid.body.id, { description: 'x', amount: 0 })).toMatchObject({
      status: 400,
      body: { error: { field: 'amount' } },
    });
    expect((await refund('pay_missing', { description: 'x' })).status).toBe(404);
    expect(
      (await stack.json('POST', `/api/merchant/payments/${unpaid.body.id}/refunds`, { description: 'x' }))
        .status,
    ).toBe(401);
  });
});

describe('payment list and detail', () => {
  it('pages newest first and filters', async () => {
    const page1 = await stack.json<{ data: PaymentView[]; next_cursor: string | null }>(
      'GET',
      '/api/merchant/payments?limit=2',
      undefined,
      AUTH,
    );
    expect(page1.status).toBe(200);
    expect(page1.body.data).toHaveLength(2);
    expect(page1.body.next_cursor).toEqual(expect.any(String));
    const page2 = await stack.json<{ data: PaymentView[] }>(
      'GET',
      `/api/merchant/payments?limit=2&cursor=${page1.body.next_cursor}`,
      undefined,
      AUTH,
    );
    const ids = [...page1.body.data, ...page2.body.data].map((p) => p.id);
    expect(new Set(ids).size).toBe(4);
    const payouts = await stack.json<{ data: PaymentView[] }>(
      'GET',
      '/api/merchant/payments?type=payout&limit=100',
      undefined,
      AUTH,
    );
    expect(payouts.body.data.length).toBeGreaterThanOrEqual(4);
    expect(payouts.body.data.every((p) => p.type === 'payout')).toBe(true);
    const declined = await stack.json<{ data: PaymentView[] }>(
      'GET',
      '/api/merchant/payments?status=decline',
      undefined,
      AUTH,
    );
    expect(declined.body.data.every((p) => p.status === 'decline')).toBe(true);
    for (const bad of ['limit=0', 'limit=101', 'type=transfer', 'status=done', 'cursor=zzz']) {
      const r = await stack.json<{ error: { field: string } }>(
        'GET',
        `/api/merchant/payments?${bad}`,
        undefined,
        AUTH,
      );
      expect(r.status, bad).toBe(400);
      expect(bad.startsWith(r.body.error.field)).toBe(true);
    }
    expect((await stack.json('GET', '/api/merchant/payments')).status).toBe(401);
    expect((await stack.json('GET', '/api/merchant/payments/nope', undefined, AUTH)).status).toBe(404);
  });
});

describe('Payment Page', () => {
  it('signs the URL and the EPayWidget config, with the customer prefilled and the method forced', async () => {
    const s = await stack.createSession({
      prices: { USD: 2_500, EUR: 2_300 },
      description: 'Order 9',
      locale: 'en',
      customer: { id: 'c-9', email: 'ann@example.com', first_name: 'Ann', last_name: 'Lee' },
    });
    const r = await stack.json<PaymentPageResponse>('POST', `/api/sessions/${s.id}/payment-page`, {
      method: 'advcash',
      currency: 'EUR',
    });
    expect(r.status).toBe(200);
    const { config, url, payment_id } = r.body;
    expect(config).toMatchObject({
      project_id: DEMO_PROJECT_ID,
      payment_id,
      payment_amount: 2_300,
      payment_currency: 'EUR',
      customer_id: 'c-9',
      customer_email: 'ann@example.com',
      customer_first_name: 'Ann',
      customer_last_name: 'Lee',
      payment_description: 'Order 9',
      language_code: 'en',
      force_payment_method: 'advcash_direct',
      merchant_callback_url: 'http://127.0.0.1:8787/api/callbacks/ecommpay',
      redirect_success_url: `${RETURN_URL}&ecp_payment=${payment_id}&ecp_result=success`,
    });
    expect(Object.values(config).every((v) => typeof v === 'string' || typeof v === 'number')).toBe(true);
    expect(config.frame_mode).toBeUndefined();
    expect(await verify({ ...config, frame_mode: 'iframe' }, DEMO_SECRET_KEY)).toBe(true);
    const u = new URL(url);
    expect(`${u.origin}${u.pathname}`).toBe(`${SANDBOX_URL}/payment`);
    const params = Object.fromEntries(u.searchParams);
    expect(await verify(params, DEMO_SECRET_KEY)).toBe(true);
    expect(url).not.toContain(DEMO_SECRET_KEY);
    // The sandbox's Payment Page accepts it.
    const page = await stack.sandbox.app.request(url);
    expect(page.status).toBe(200);
    // The payment is recorded, so its callbacks and the return page find it.
    const view = await stack.json<PaymentView>('GET', `/api/payments/${payment_id}`);
    expect(view.body).toMatchObject({ method: 'advcash', amount: 2_300, currency: 'EUR', status: 'created' });
  });

  it('a Payment Page never used expires with its session', async () => {
    const s = await stack.createSession({ amount: 10_000, currency: 'KRW', expires_in: 600 });
    const r = await stack.json<PaymentPageResponse>('POST', `/api/sessions/${s.id}/payment-page`, {
      method: 'payco',
    });
    stack.clock.now += 11 * 60_000;
    await stack.server.sweep();
    const view = await stack.json<PaymentView>('GET', `/api/payments/${r.body.payment_id}`);
    expect(view.body).toMatchObject({ status: 'expired', code: '3061', next_action: { type: 'result' } });
    stack.clock.now = Date.now();
  });

  it('works without a method, and refuses what the session cannot do', async () => {
    const s = await stack.createSession({ amount: 10_000, currency: 'KRW' });
    const plain = await stack.json<PaymentPageResponse>('POST', `/api/sessions/${s.id}/payment-page`);
    expect(plain.status).toBe(200);
    expect(plain.body.config.force_payment_method).toBeUndefined();
    expect(plain.body.config.payment_currency).toBe('KRW');
    const forced = await stack.json<PaymentPageResponse>('POST', `/api/sessions/${s.id}/payment-page`, {
      method: 'payco',
    });
    expect(forced.body.config.force_payment_method).toBe('payco-wallet');
    const wrong = await stack.json('POST', `/api/sessions/${s.id}/payment-page`, { method: 'grabpay' });
    expect(wrong).toMatchObject({ status: 422, body: { error: { field: 'method' } } });
    const currency = await stack.json('POST', `/api/sessions/${s.id}/payment-page`, { currency: 'USD' });
    expect(currency).toMatchObject({
      status: 422,
      body: { error: { code: 'currency_not_offered', field: 'currency' } },
    });
    expect((await stack.json('POST', `/api/sessions/${s.id}/payment-page`, { method: 'cash' })).status).toBe(
      400,
    );
    expect((await stack.json('POST', '/api/sessions/ses_nope/payment-page', {})).status).toBe(404);
  });
});

it('never shows the secret key in a response or a log line', () => {
  for (const text of [...stack.responses, ...stack.logs]) expect(text).not.toContain(DEMO_SECRET_KEY);
});
