import { describe, expect, it } from 'vitest';
import { createCatalog } from '../../src/core/methods/index.ts';
import { sign, verify } from '../../src/core/signature.ts';
import {
  buildClarificationRequest,
  buildPayoutRequest,
  buildRefundRequest,
  buildSaleRequest,
  buildStatusRequest,
  GateClient,
  returnUrlFor,
  type SaleInput,
} from '../../src/server/gate.ts';
import { createLogger } from '../../src/server/logger.ts';
import { VOUCHER } from './helpers.ts';

const ctx = { projectId: 1001, publicBaseUrl: 'https://api.shop.example' };
const catalog = createCatalog();
const CALLBACK = 'https://api.shop.example/api/callbacks/ecommpay';
const RETURN = 'https://shop.example/pay?order=7';

function sale(overrides: Partial<SaleInput>): SaleInput {
  return {
    paymentId: 'pay_1',
    method: 'grabpay',
    amount: 10_000,
    currency: 'PHP',
    description: 'Order 7',
    customer: { id: 'cust-1', email: 'session@example.com', first_name: 'Juan', last_name: 'Cruz' },
    fields: {},
    ip: '203.0.113.9',
    returnUrl: RETURN,
    ...overrides,
  };
}

describe('Gate request bodies (seeds 000–004)', () => {
  it('adds ecp_payment and ecp_result to the return URL, keeping its query', () => {
    expect(returnUrlFor(RETURN, 'pay_1', 'decline')).toBe(
      'https://shop.example/pay?order=7&ecp_payment=pay_1&ecp_result=decline',
    );
  });

  it('GrabPay PHP: customer email (the shopper’s first), return_url.success only', () => {
    const body = buildSaleRequest(ctx, catalog, sale({ fields: { email: 'typed@example.com' } }));
    expect(body).toEqual({
      general: { project_id: 1001, payment_id: 'pay_1', merchant_callback_url: CALLBACK },
      payment: { amount: 10_000, currency: 'PHP', description: 'Order 7' },
      customer: { id: 'cust-1', ip_address: '203.0.113.9', email: 'typed@example.com' },
      return_url: { success: `${RETURN}&ecp_payment=pay_1&ecp_result=success` },
    });
  });

  it('GrabPay MYR: the recommended e-mail and names, from the fields or the session', () => {
    const body = buildSaleRequest(
      ctx,
      catalog,
      sale({ currency: 'MYR', amount: 500, fields: { first_name: 'Siti' } }),
    );
    expect(body.customer).toEqual({
      id: 'cust-1',
      ip_address: '203.0.113.9',
      email: 'session@example.com',
      first_name: 'Siti',
      last_name: 'Cruz',
    });
    const bare = buildSaleRequest(ctx, catalog, sale({ currency: 'MYR', customer: { id: 'c' } }));
    expect(bare.customer).toEqual({ id: 'c', ip_address: '203.0.113.9' });
  });

  it('ADVCash: success and decline return URLs; no customer details', () => {
    const body = buildSaleRequest(
      ctx,
      catalog,
      sale({ method: 'advcash', currency: 'UAH', description: null }),
    );
    expect(body.payment).toEqual({ amount: 10_000, currency: 'UAH' });
    expect(body.customer).toEqual({ id: 'cust-1', ip_address: '203.0.113.9' });
    expect(Object.keys(body.return_url as object)).toEqual(['success', 'decline']);
  });

  it('Payco: success, decline and return', () => {
    const body = buildSaleRequest(ctx, catalog, sale({ method: 'payco', currency: 'KRW' }));
    expect(body.return_url).toEqual({
      success: `${RETURN}&ecp_payment=pay_1&ecp_result=success`,
      decline: `${RETURN}&ecp_payment=pay_1&ecp_result=decline`,
      return: `${RETURN}&ecp_payment=pay_1&ecp_result=return`,
    });
  });

  it('Jeton: the voucher as account, no return URL', () => {
    const body = buildSaleRequest(ctx, catalog, sale({ method: 'jeton', currency: 'EUR', fields: VOUCHER }));
    expect(body.account).toEqual(VOUCHER);
    expect(body.return_url).toBeUndefined();
  });

  it('payouts carry the method’s account; refunds name an amount only when partial', () => {
    const payout = buildPayoutRequest(ctx, {
      paymentId: 'po_1',
      method: 'grabpay',
      amount: 1000,
      currency: 'PHP',
      customerId: 'c',
      ip: '198.51.100.1',
      account: { number: '09123456789', customer_name: 'John Doe' },
    });
    expect(payout).toEqual({
      general: { project_id: 1001, payment_id: 'po_1', merchant_callback_url: CALLBACK },
      payment: { amount: 1000, currency: 'PHP' },
      customer: { id: 'c', ip_address: '198.51.100.1' },
      account: { number: '09123456789', customer_name: 'John Doe' },
    });
    const jeton = buildPayoutRequest(ctx, {
      paymentId: 'po_2',
      method: 'jeton',
      amount: 1000,
      currency: 'EUR',
      customerId: 'c',
      ip: '::1',
    });
    expect(jeton.account).toBeUndefined();
    expect(
      buildRefundRequest(ctx, { paymentId: 'pay_1', description: 'all', currency: 'KRW' }).payment,
    ).toEqual({ description: 'all' });
    expect(
      buildRefundRequest(ctx, { paymentId: 'pay_1', description: 'part', amount: 300, currency: 'KRW' })
        .payment,
    ).toEqual({
      description: 'part',
      amount: 300,
      currency: 'KRW',
    });
    expect(buildStatusRequest(ctx, 'pay_1')).toEqual({ general: { project_id: 1001, payment_id: 'pay_1' } });
    expect(buildClarificationRequest(ctx, 'pay_1', { customer: { first_name: 'A' } })).toEqual({
      general: { project_id: 1001, payment_id: 'pay_1' },
      additional_data: { customer: { first_name: 'A' } },
    });
  });
});

describe('GateClient', () => {
  const secret = 'unit-secret';
  const config = {
    gateUrl: 'https://gate.test',
    secretKey: secret,
    gateTimeoutMs: 100,
    projectId: 1001,
    publicBaseUrl: 'https://x',
  };
  const log = createLogger({ level: 'silent' });

  function client(answer: (req: Request) => Promise<Response> | Response) {
    const seen: Request[] = [];
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = new Request(input, init);
      seen.push(req.clone());
      return answer(req);
    }) as typeof globalThis.fetch;
    return { gate: new GateClient({ config, fetch, log }), seen };
  }

  it('signs general.signature and reads an accepted answer', async () => {
    const { gate, seen } = client(() =>
      Response.json({ status: 'success', request_id: 'r-1', project_id: 1001, payment_id: 'p' }),
    );
    const answer = await gate.send('/v2/payment/wallet/payco/sale', {
      general: { project_id: 1001, payment_id: 'p' },
    });
    expect(answer).toMatchObject({ kind: 'accepted', requestId: 'r-1' });
    const sent = (await seen[0]!.json()) as { general: { signature: string } };
    expect(seen[0]!.url).toBe('https://gate.test/v2/payment/wallet/payco/sale');
    expect(await verify(sent, secret)).toBe(true);
    expect(JSON.stringify(sent)).not.toContain(secret);
  });

  it('tells refusals from outages and timeouts', async () => {
    const refused = client(() =>
      Response.json({ status: 'error', code: '3041', message: 'Payment ID already exists' }, { status: 400 }),
    );
    expect(await refused.gate.send('/x', { general: {} })).toMatchObject({
      kind: 'refused',
      code: '3041',
      httpStatus: 400,
    });
    const down = client(() => Response.json({ status: 'error', code: '500' }, { status: 503 }));
    expect(await down.gate.send('/x', { general: {} })).toMatchObject({
      kind: 'unavailable',
      httpStatus: 503,
    });
    const html = client(() => new Response('<html>bad gateway</html>', { status: 200 }));
    expect(await html.gate.send('/x', { general: {} })).toMatchObject({ kind: 'unavailable' });
    const offline = client(() => {
      throw new TypeError('fetch failed');
    });
    expect(await offline.gate.send('/x', { general: {} })).toMatchObject({ kind: 'unavailable' });
    const slow = client(
      (req) =>
        new Promise<Response>((_, reject) =>
          req.signal.addEventListener('abort', () => reject(req.signal.reason as Error)),
        ),
    );
    expect(await slow.gate.send('/x', { general: {} })).toMatchObject({ kind: 'timeout' });
  });

  it('verifies signed status answers and recognises 3061', async () => {
    const body = {
      project_id: 1001,
      payment: { id: 'p', status: 'success' },
      operation: { sum_initial: { amount: 10.5 } },
    };
    const signed = { ...body, signature: await sign(body, secret) };
    const good = client(() => Response.json(signed));
    expect(await good.gate.status('p')).toMatchObject({
      kind: 'found',
      data: { payment: { status: 'success' } },
    });
    const forged = client(() => Response.json({ ...body, signature: 'AAAA' }));
    expect(await forged.gate.status('p')).toMatchObject({ kind: 'failed' });
    const missing = client(() =>
      Response.json({ status: 'error', code: '3061', message: 'Transaction not found' }, { status: 404 }),
    );
    expect(await missing.gate.status('p')).toEqual({ kind: 'not_found' });
  });
});
