import { afterEach, describe, expect, it } from 'vitest';
import {
  CALLBACK_URL,
  customer,
  general,
  harness,
  newId,
  OTHER,
  PATHS,
  PROJECT,
  RETURN,
  sales,
  type Harness,
} from './helpers.ts';

let h: Harness;
afterEach(() => h?.sandbox.close());

function expectRefusal(r: { status: number; body: Record<string, unknown> }, code: string, field?: string) {
  expect(r.body).toMatchObject({ status: 'error', code, ...(field ? { field } : {}) });
  expect(r.status).toBeGreaterThanOrEqual(400);
  expect(typeof r.body.message).toBe('string');
}

describe('synchronous answers', () => {
  it('answers success with request_id, project_id and payment_id; callbacks echo the request_id', async () => {
    h = harness();
    const id = newId();
    const r = await h.gate(PATHS.advcashSale, sales.advcash(id));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      status: 'success',
      request_id: expect.stringMatching(/^[0-9a-f]{32}-\d{8}$/),
      project_id: PROJECT.id,
      payment_id: id,
    });
    await h.sandbox.idle();
    expect(h.callbacksOf(id)[0]?.body.operation.request_id).toBe(r.body.request_id);
  });

  it('refuses a body that is not JSON, or not sent as JSON', async () => {
    h = harness();
    const asText = await h.request(PATHS.grabpaySale, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(asText.status).toBe(415);
    expect(await asText.json()).toMatchObject({ status: 'error', code: '3001' });
    const broken = await h.request(PATHS.grabpaySale, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"general": ',
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ code: '3001' });
    const array = await h.request(PATHS.grabpaySale, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[1,2]',
    });
    expect(await array.json()).toMatchObject({ code: '3001' });
  });

  it('refuses a request without general, or for an unknown project', async () => {
    h = harness();
    const { general: _g, ...rest } = sales.grabpay(newId());
    const noGeneral = await h.request(PATHS.grabpaySale, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(rest),
    });
    expect(await noGeneral.json()).toMatchObject({ code: '3003', field: 'general' });
    const unknown = await h.gate(PATHS.grabpaySale, {
      ...sales.grabpay(newId()),
      general: { project_id: 999, payment_id: 'x' },
    });
    expectRefusal(unknown, '3002', 'general.project_id');
  });

  it('answers an unknown /v2 endpoint with 404', async () => {
    h = harness();
    const r = await h.gate('/v2/payment/card/sale', sales.grabpay(newId()));
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ status: 'error', code: '3006' });
  });

  it('refuses a repeated payment_id with 3041, across purchases and payouts of a project', async () => {
    h = harness();
    const id = newId();
    expect((await h.gate(PATHS.grabpaySale, sales.grabpay(id))).body.status).toBe('success');
    expectRefusal(await h.gate(PATHS.grabpaySale, sales.grabpay(id)), '3041', 'general.payment_id');
    expectRefusal(
      await h.gate(PATHS.jetonPayout, {
        general: general(id),
        payment: { amount: 5000, currency: 'EUR' },
        customer: customer(),
      }),
      '3041',
    );
    // Another project may use the same id.
    const other = await h.gate(
      PATHS.grabpaySale,
      { ...sales.grabpay(id), general: { project_id: OTHER.id, payment_id: id } },
      { secret: OTHER.secret },
    );
    expect(other.body.status).toBe('success');
    expect(h.sandbox.ledger()).toHaveLength(2);
  });
});

describe('validation per method (seeds)', () => {
  const cases: [string, string, Record<string, unknown>, string][] = [
    ['no payment object', PATHS.grabpaySale, { payment: undefined }, 'payment'],
    ['no amount', PATHS.advcashSale, { payment: { currency: 'UAH' } }, 'payment.amount'],
    [
      'a fractional amount',
      PATHS.advcashSale,
      { payment: { amount: 10.5, currency: 'UAH' } },
      'payment.amount',
    ],
    [
      'an amount as a string',
      PATHS.advcashSale,
      { payment: { amount: '1000', currency: 'UAH' } },
      'payment.amount',
    ],
    ['a zero amount', PATHS.advcashSale, { payment: { amount: 0, currency: 'UAH' } }, 'payment.amount'],
    ['no customer', PATHS.paycoSale, { customer: undefined }, 'customer'],
    ['no customer.id', PATHS.paycoSale, { customer: { ip_address: '192.0.2.1' } }, 'customer.id'],
    ['no customer.ip_address', PATHS.paycoSale, { customer: { id: 'c' } }, 'customer.ip_address'],
    [
      'a bad ip_address',
      PATHS.paycoSale,
      { customer: { id: 'c', ip_address: 'localhost' } },
      'customer.ip_address',
    ],
    ['GrabPay PHP without customer e-mail', PATHS.grabpaySale, { customer: customer() }, 'customer.email'],
    [
      'GrabPay PHP with a bad e-mail',
      PATHS.grabpaySale,
      { customer: customer({ email: 'nope' }) },
      'customer.email',
    ],
    ['GrabPay without return_url', PATHS.grabpaySale, { return_url: undefined }, 'return_url'],
    [
      'ADVCash without return_url.decline',
      PATHS.advcashSale,
      { return_url: { success: RETURN.success } },
      'return_url.decline',
    ],
    ['Payco without return_url', PATHS.paycoSale, { return_url: undefined }, 'return_url'],
    [
      'Payco without return_url.return',
      PATHS.paycoSale,
      { return_url: { success: RETURN.success, decline: RETURN.decline } },
      'return_url.return',
    ],
    [
      'Payco with a relative return URL',
      PATHS.paycoSale,
      { return_url: { ...RETURN, success: '/ok' } },
      'return_url.success',
    ],
    ['Jeton without voucher data', PATHS.jetonSale, { account: undefined }, 'account'],
    [
      'Jeton with a short voucher number',
      PATHS.jetonSale,
      { account: { number: '123', expiration: '12/2099', security_code: '5459' } },
      'account.number',
    ],
    [
      'Jeton with expiration not MM/YYYY',
      PATHS.jetonSale,
      { account: { number: '8400772805885304235', expiration: '2099-12', security_code: '5459' } },
      'account.expiration',
    ],
    [
      'Jeton with month 13',
      PATHS.jetonSale,
      { account: { number: '8400772805885304235', expiration: '13/2099', security_code: '5459' } },
      'account.expiration',
    ],
    [
      'Jeton with a 3-digit security code',
      PATHS.jetonSale,
      { account: { number: '8400772805885304235', expiration: '12/2099', security_code: '545' } },
      'account.security_code',
    ],
    [
      'a bad merchant_callback_url',
      PATHS.jetonSale,
      { general: general('x', { merchant_callback_url: 'ftp://x' }) },
      'general.merchant_callback_url',
    ],
  ];
  const base: Record<string, (id: string) => Record<string, unknown>> = {
    [PATHS.grabpaySale]: sales.grabpay,
    [PATHS.advcashSale]: sales.advcash,
    [PATHS.paycoSale]: sales.payco,
    [PATHS.jetonSale]: sales.jeton,
  };
  for (const [what, path, patch, field] of cases) {
    it(`refuses ${what} (3003, ${field})`, async () => {
      h = harness();
      const id = newId();
      const body = { ...base[path]?.(id), ...patch };
      if ('general' in patch) (body.general as Record<string, unknown>).payment_id = id;
      const r = await h.gate(path, body);
      expectRefusal(r, '3003', field);
      expect(r.body.message).toContain(field);
      if (what.startsWith('no ')) expect(r.body.message).toContain('This field is required');
      expect(r.body.payment_id).toBe(id);
      expect(h.sandbox.ledger()).toHaveLength(0);
    });
  }

  it('refuses a currency the method does not take (3004)', async () => {
    h = harness();
    expectRefusal(
      await h.gate(
        PATHS.grabpaySale,
        sales.grabpay(newId(), { payment: { amount: 10_000, currency: 'EUR' } }),
      ),
      '3004',
      'payment.currency',
    );
    expectRefusal(
      await h.gate(PATHS.paycoSale, sales.payco(newId(), { payment: { amount: 1000, currency: 'USD' } })),
      '3004',
    );
    expectRefusal(
      await h.gate(PATHS.jetonSale, sales.jeton(newId(), { payment: { amount: 1000, currency: 'XYZ' } })),
      '3004',
    );
  });

  it('in a test project takes ADVCash in UAH only', async () => {
    h = harness({ testProject: true });
    const eur = await h.gate(
      PATHS.advcashSale,
      sales.advcash(newId(), { payment: { amount: 1000, currency: 'EUR' } }),
    );
    expectRefusal(eur, '3004');
    expect(eur.body.message).toContain('UAH');
    expect((await h.gate(PATHS.advcashSale, sales.advcash(newId()))).body.status).toBe('success');
  });

  it('takes an ADVCash EUR purchase outside a test project', async () => {
    h = harness();
    const r = await h.gate(
      PATHS.advcashSale,
      sales.advcash(newId(), { payment: { amount: 1000, currency: 'EUR' } }),
    );
    expect(r.body.status).toBe('success');
  });

  it('accepts an amount outside the limits, then declines it by callback with 20101 (as the seeds show)', async () => {
    h = harness();
    const id = newId();
    // GrabPay PHP: 20.00–20,000.00.
    const r = await h.gate(
      PATHS.grabpaySale,
      sales.grabpay(id, { payment: { amount: 1999, currency: 'PHP' } }),
    );
    expect(r.body.status).toBe('success');
    await h.sandbox.idle();
    const cbs = h.callbacksOf(id);
    expect(cbs).toHaveLength(1);
    expect(cbs[0]?.body.payment.status).toBe('decline');
    expect(cbs[0]?.body.operation).toMatchObject({ status: 'decline', code: '20101' });
    expect(cbs[0]?.body.errors[0].description).toContain('minimum is 20.00');
    expect(h.sandbox.ledger()[0]).toMatchObject({ status: 'decline', code: '20101' });
    const big = newId();
    await h.gate(PATHS.jetonSale, sales.jeton(big, { payment: { amount: 50_001, currency: 'EUR' } }));
    await h.sandbox.idle();
    expect(h.callbacksOf(big)[0]?.body.operation.code).toBe('20101');
  });

  it('refuses a GrabPay payout account that is not 11 digits starting with 09', async () => {
    h = harness();
    for (const number of ['08123456789', '0912345678', '091234567890', 'abcdefghijk']) {
      const r = await h.gate(PATHS.grabpayPayout, {
        general: general(newId()),
        payment: { amount: 1000, currency: 'PHP' },
        customer: customer(),
        account: { number, customer_name: 'John Doe' },
      });
      expectRefusal(r, '3003', 'account.number');
      expect(r.body.message).toContain('11 digits');
    }
    const noName = await h.gate(PATHS.grabpayPayout, {
      general: general(newId()),
      payment: { amount: 1000, currency: 'PHP' },
      customer: customer(),
      account: { number: '09123456789' },
    });
    expectRefusal(noName, '3003', 'account.customer_name');
  });

  it('refuses payouts in currencies the method does not pay out in', async () => {
    h = harness();
    const r = await h.gate(PATHS.grabpayPayout, {
      general: general(newId()),
      payment: { amount: 1000, currency: 'MYR' },
      customer: customer(),
      account: { number: '09123456789', customer_name: 'John Doe' },
    });
    expectRefusal(r, '3004');
    const adv = await h.gate(PATHS.advcashPayout, {
      general: general(newId()),
      payment: { amount: 1000, currency: 'UAH' },
      customer: customer(),
      account: { number: 'not-an-email' },
    });
    expectRefusal(adv, '3003', 'account.number');
  });

  it('sends callbacks to the project’s callbackUrl when the request names none', async () => {
    h = harness();
    const id = newId();
    const body = sales.jeton(id, { general: { project_id: OTHER.id, payment_id: id } });
    const r = await h.gate(PATHS.jetonSale, body, { secret: OTHER.secret });
    expect(r.body.status).toBe('success');
    await h.sandbox.idle();
    expect(h.callbacksOf(id)[0]?.url).toBe('http://other.test/cb');
    expect(CALLBACK_URL).not.toBe('http://other.test/cb');
  });
});

describe('/v2/payment/status', () => {
  it('answers 3061 (404) for a payment never registered', async () => {
    h = harness();
    const r = await h.gate(PATHS.status, { general: { project_id: PROJECT.id, payment_id: 'never' } });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ status: 'error', code: '3061', payment_id: 'never' });
  });

  it('needs a valid signature', async () => {
    h = harness();
    const id = newId();
    await h.gate(PATHS.jetonSale, sales.jeton(id));
    const r = await h.gate(
      PATHS.status,
      { general: { project_id: PROJECT.id, payment_id: id } },
      { secret: 'x' },
    );
    expect(r.body.code).toBe('3261');
  });
});
