/**
 * The console's merchant routes against the Gate sandbox in process: search by id, session, e-mail and
 * amount, the filters, cursor paging, a payment's history (voucher numbers masked), and the CSV export.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentView } from '../../src/core/api.ts';
import { csvCell, csvLine } from '../../src/server/csv.ts';
import { DEMO_PROJECT_ID } from '../../src/server/config.ts';
import type { PaymentHistory } from '../../src/server/search/history.ts';
import { AUTH, startStack, type Stack } from './helpers.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

type Page = {
  data: (PaymentView & { customer_email?: string; payment_id?: string })[];
  next_cursor: string | null;
};
const search = (qs: string) => stack.json<Page>('GET', `/api/merchant/payments?${qs}`, undefined, AUTH);

const email = `ann.${Date.now()}@example.com`;
let paid: PaymentView;
let declined: PaymentView;
let jeton: PaymentView;

beforeAll(async () => {
  const s = await stack.createSession({ amount: 25_000, currency: 'KRW', customer: { id: 'c-1', email } });
  const r = await stack.pay(s.id, { method: 'payco', currency: 'KRW' }, crypto.randomUUID());
  await stack.sandbox.idle();
  await stack.sandbox.decide(DEMO_PROJECT_ID, r.body.id, 'success');
  paid = await stack.settle(r.body.id);
  await stack.json(
    'POST',
    `/api/merchant/payments/${paid.id}/refunds`,
    { description: 'one back', amount: 5_000 },
    AUTH,
  );
  await stack.sandbox.idle();
  const s2 = await stack.createSession({
    amount: 40_000,
    currency: 'PHP',
    customer: { id: 'c-2', email: `bob.${email}` },
  });
  const r2 = await stack.pay(s2.id, {
    method: 'grabpay',
    currency: 'PHP',
    fields: { email: `bob.${email}` },
  });
  await stack.sandbox.idle();
  await stack.sandbox.decide(DEMO_PROJECT_ID, r2.body.id, 'decline').catch(() => undefined);
  declined = await stack.settle(r2.body.id);
  const j = await stack.json<PaymentView>(
    'POST',
    '/api/merchant/payouts',
    { method: 'jeton', currency: 'EUR', amount: 125_000, customer: { id: 'w-1' } },
    { ...AUTH, 'idempotency-key': crypto.randomUUID() },
  );
  await stack.sandbox.idle();
  jeton = (await stack.json<PaymentView>('GET', `/api/merchant/payments/${j.body.id}`, undefined, AUTH)).body;
}, 60_000);

describe('search', () => {
  it('by e-mail (any case), payment id, session id and amount', async () => {
    const byEmail = await search(`email=${encodeURIComponent(email.toUpperCase())}`);
    expect(byEmail.body.data.map((p) => p.id)).toEqual([paid.id]);
    expect(byEmail.body.data[0]?.customer_email).toBe(email);
    expect((await search(`q=${encodeURIComponent(email)}`)).body.data.map((p) => p.id)).toEqual([paid.id]);
    expect((await search(`q=${paid.id}`)).body.data.map((p) => p.id)).toEqual([paid.id]);
    expect((await search(`session_id=${paid.session_id}`)).body.data.map((p) => p.id)).toEqual([paid.id]);
    const byAmount = await search(`q=25000&method=payco`);
    expect(byAmount.body.data.map((p) => p.id)).toContain(paid.id);
    expect(byAmount.body.data.every((p) => p.amount === 25_000 && p.currency === 'KRW')).toBe(true);
    expect((await search(`q=1,250.00&type=payout`)).body.data.map((p) => p.id)).toContain(jeton.id);
    expect((await search(`amount=125000&currency=EUR`)).body.data.map((p) => p.id)).toContain(jeton.id);
  });

  it('filters by method, status, type and dates; refunds are a type of their own', async () => {
    const grab = await search('method=grabpay&status=decline&limit=100');
    expect(grab.body.data.map((p) => p.id)).toContain(declined.id);
    expect(grab.body.data.every((p) => p.method === 'grabpay' && p.status === 'decline')).toBe(true);
    const refunds = await search(`type=refund&q=${paid.id}`);
    expect(refunds.body.data).toHaveLength(1);
    expect(refunds.body.data[0]).toMatchObject({
      type: 'refund',
      payment_id: paid.id,
      amount: 5_000,
      method: 'payco',
      status: 'success',
    });
    const today = new Date(stack.clock.now).toISOString().slice(0, 10);
    expect((await search(`created_from=${today}&created_to=${today}&q=${paid.id}`)).body.data).toHaveLength(
      1,
    );
    expect((await search(`created_to=2000-01-01&q=${paid.id}`)).body.data).toHaveLength(0);
    for (const bad of [
      'method=visa',
      'type=transfer',
      'status=paid',
      'email=nope',
      'amount=1.5',
      'created_from=yesterday',
      'created_from=2026-02-01&created_to=2026-01-01',
      'cursor=x',
    ]) {
      const r = await stack.json<{ error: { code: string; field: string } }>(
        'GET',
        `/api/merchant/payments?${bad}`,
        undefined,
        AUTH,
      );
      expect(r.status, bad).toBe(400);
      expect(bad).toContain(r.body.error.field);
    }
  });

  it('pages with an opaque cursor, newest first, no row twice', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: { body: Page } = await search(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...r.body.data.map((p) => p.id));
      cursor = r.body.next_cursor;
    } while (cursor && seen.length < 50);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    const all = await search('limit=100');
    expect(all.body.data.slice(0, seen.length).map((p) => p.id)).toEqual(seen);
  });
});

describe('history', () => {
  it('shows our request, the Gate’s callbacks and the refund, in time order', async () => {
    const r = await stack.json<PaymentHistory>(
      'GET',
      `/api/merchant/payments/${paid.id}/history`,
      undefined,
      AUTH,
    );
    expect(r.status).toBe(200);
    const kinds = r.body.events.map((e) => e.kind);
    expect(kinds[0]).toBe('request');
    expect(kinds).toContain('callback');
    expect(kinds).toContain('refund');
    expect(kinds[kinds.length - 1]).toBe('status');
    expect(r.body.events.at(-1)?.status).toBe('partially_refunded');
    const times = r.body.events.map((e) => e.at);
    expect([...times].sort()).toEqual(times);
    // No webhook endpoint is configured here: the log is there, and empty.
    expect(r.body.webhooks).toEqual([]);
    expect(JSON.stringify(r.body)).not.toMatch(/"signature":"(?!\(hidden\))/);
  });

  it('never shows a voucher number or security code in clear', async () => {
    expect(jeton.vouchers).toHaveLength(3);
    const r = await stack.json<PaymentHistory>(
      'GET',
      `/api/merchant/payments/${jeton.id}/history`,
      undefined,
      AUTH,
    );
    const text = JSON.stringify(r.body);
    expect(r.body.events.some((e) => e.kind === 'callback')).toBe(true);
    for (const v of jeton.vouchers ?? []) {
      expect(text).not.toContain(v.number);
      expect(text).not.toContain(`"${v.security_code}"`);
      expect(text).toContain(`•••• ${v.number.slice(-4)}`);
    }
    expect((await stack.json('GET', `/api/merchant/payments/${jeton.id}/history`)).status).toBe(401);
    expect(
      (
        await stack.json(
          'GET',
          '/api/merchant/payments/pay_00000000000000000000000000000000/history',
          undefined,
          AUTH,
        )
      ).status,
    ).toBe(404);
  });
});

describe('CSV export', () => {
  it('quotes cells and defuses formulas', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', 12, null])).toBe(
      '"a,b","say ""hi""","two\nlines",12,\r\n',
    );
    for (const f of ['=1+1', '+1', '-2', '@SUM(A1)', '\tx'])
      expect(csvCell(f).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });

  it('exports the filtered list, every page', async () => {
    const res = await stack.call(
      'GET',
      `/api/merchant/exports/payments.csv?email=${encodeURIComponent(email)}`,
      undefined,
      AUTH,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="payments-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,type,payment_id,session_id,customer_email,method,amount,currency,status,refunded_amount,code,message,created_at,updated_at',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(
      `${paid.id},purchase,,${paid.session_id},${email},payco,25000,KRW,partially_refunded,5000,`,
    );
    const all = await stack.call('GET', '/api/merchant/exports/payments.csv', undefined, AUTH);
    const count = (await all.text()).trim().split('\r\n').length - 1;
    const listed = await search('limit=100');
    expect(count).toBeGreaterThanOrEqual(Math.min(listed.body.data.length, 100));
    expect(
      (await stack.call('GET', '/api/merchant/exports/payments.csv?status=nope', undefined, AUTH)).status,
    ).toBe(400);
  });
});
