/**
 * Bulk payouts and refunds from CSV against the Gate sandbox in process: every row validated first with
 * the method's rules, row errors with their line numbers, a refused file leaves nothing behind, and the
 * valid rows are paid exactly once however often the file is uploaded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentView } from '../../src/core/api.ts';
import { DEMO_PROJECT_ID } from '../../src/server/config.ts';
import type { BatchView } from '../../src/server/bulk/view.ts';
import { AUTH, startStack, type Stack } from './helpers.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

const CSV = { ...AUTH, 'content-type': 'text/csv' };
const upload = (type: string, csv: string, extra: Record<string, string> = {}, query = '') =>
  stack.json<BatchView & { error?: { code: string; message: string; field?: string } }>(
    'POST',
    `/api/merchant/batches?type=${type}${query}`,
    csv,
    { ...CSV, ...extra },
  );
const dryRun = (type: string, csv: string) =>
  stack.json<{
    rows: number;
    valid: { line: number; summary: string }[];
    errors: { line: number; field?: string; message: string }[];
  }>('POST', `/api/merchant/batches?type=${type}&dry_run=true`, csv, CSV);

/** Waits for the batch's rows to have run (progress polled without the rows), then reads it whole. */
async function finished(id: string): Promise<BatchView> {
  for (;;) {
    const r = await stack.json<BatchView>('GET', `/api/merchant/batches/${id}?rows=false`, undefined, AUTH);
    expect(r.body.rows).toBeUndefined();
    if (r.body.status === 'done') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return (await stack.json<BatchView>('GET', `/api/merchant/batches/${id}`, undefined, AUTH)).body;
}

const payoutsSent = () => stack.gateRequests.filter((g) => g.path.endsWith('/payout')).length;
const batchCount = async () =>
  (await stack.json<{ data: unknown[] }>('GET', '/api/merchant/batches', undefined, AUTH)).body.data.length;

/** 1,000 payout rows (GrabPay, ADVCash, Jeton in turn), with three bad ones when `bad` is set. */
function payoutFile(bad: boolean, run: string): { csv: string; badLines: number[] } {
  const lines = ['method,currency,amount,customer_id,account,name,email,description'];
  const badLines: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const line = lines.length + 1;
    const n = String(i).padStart(4, '0');
    const kind = i % 3;
    if (kind === 0) {
      const phone = bad && i === 300 ? '0812345678' : `0917000${n}`;
      if (phone.length !== 11) badLines.push(line);
      lines.push(`grabpay,PHP,${100 + i}.50,${run}-${n},${phone},"Juan Dela Cruz",,Prize ${n}`);
    } else if (kind === 1) {
      const email = bad && i === 601 ? 'not-an-email' : `payee${n}@example.com`;
      if (!email.includes('@')) badLines.push(line);
      lines.push(`advcash,USD,${20 + (i % 50)}.00,${run}-${n},${email},,,Cashback ${n}`);
    } else {
      const amount = bad && i === 902 ? '5.00' : '1250.00';
      if (amount === '5.00') badLines.push(line);
      lines.push(`jeton,EUR,${amount},${run}-${n},,,,"Winnings, week ${n}"`);
    }
  }
  return { csv: `${lines.join('\n')}\n`, badLines };
}

describe('bulk payouts', () => {
  it('1,000 rows with 3 bad: the 3 listed by line, the rest paid once even when uploaded again', async () => {
    const run = `b${Date.now()}`;
    const { csv, badLines } = payoutFile(true, run);
    expect(badLines).toHaveLength(3);

    const check = await dryRun('payout', csv);
    expect(check.status).toBe(200);
    expect(check.body.rows).toBe(1000);
    expect(check.body.valid).toHaveLength(997);
    expect([...new Set(check.body.errors.map((e) => e.line))]).toEqual(badLines);
    expect(check.body.errors.map((e) => [e.field, e.message])).toEqual([
      ['account', 'A GrabPay account number has 11 digits and starts with 09'],
      ['account', 'Enter a valid e-mail address, like name@example.com'],
      ['amount', 'Jeton Voucher EUR payout minimum is 10.00'],
    ]);
    expect(check.body.valid.find((v) => v.line === 4)?.summary).toBe(
      'Jeton Voucher EUR 1250.00 as 3 vouchers (500.00 + 500.00 + 250.00)',
    );
    expect(payoutsSent()).toBe(0);

    const before = payoutsSent();
    const first = await upload('payout', csv, {}, '&file_name=prizes.csv');
    expect(first.status).toBe(201);
    expect(first.body.counts).toMatchObject({ rows: 1000, invalid: 3, valid: 997 });
    const done = await finished(first.body.id);
    expect(done.counts).toMatchObject({ done: 997, failed: 0, repeated: 0 });
    expect(payoutsSent() - before).toBe(997);
    const paid = new Map(done.rows?.map((r) => [r.line, r.payment_id]));
    expect(new Set(paid.values()).size).toBe(997);

    // The same file again: the same batch, nothing sent.
    const again = await upload('payout', csv, {}, '&file_name=prizes.csv');
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    // Under another batch key (another client, another day): every row finds its payout.
    const other = await upload('payout', csv, { 'idempotency-key': `${run}-second` });
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(first.body.id);
    const repeated = await finished(other.body.id);
    expect(repeated.counts).toMatchObject({ done: 997, repeated: 997 });
    expect(repeated.rows?.every((r) => r.payment_id === paid.get(r.line))).toBe(true);
    expect(payoutsSent() - before).toBe(997);

    // The file corrected: only the three fixed rows are paid.
    const fixed = payoutFile(false, run);
    const third = await upload('payout', fixed.csv);
    const thirdDone = await finished(third.body.id);
    expect(thirdDone.counts).toMatchObject({ invalid: 0, done: 1000, repeated: 997 });
    expect(payoutsSent() - before).toBe(1000);

    await stack.sandbox.idle();
    const settled = await finished(first.body.id);
    expect(settled.counts.by_status).toEqual({ success: 997 });
    const results = await stack.call(
      'GET',
      `/api/merchant/batches/${first.body.id}/results.csv`,
      undefined,
      AUTH,
    );
    expect(results.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await results.text();
    const rows = text.trim().split('\r\n');
    expect(rows[0]).toBe(
      'line,result,method,amount,currency,account,customer_id,payment_id,refund_id,status,repeated,code,message',
    );
    expect(rows).toHaveLength(1001);
    expect(rows.filter((r) => r.includes(',invalid,')).map((r) => Number(r.split(',')[0]))).toEqual(badLines);
  }, 300_000);

  it('refuses a malformed file, an unknown column and a repeated row as a whole', async () => {
    const n = await batchCount();
    const sent = payoutsSent();
    const head = 'method,currency,amount,customer_id,account,name';
    const row = 'grabpay,PHP,100.00,c-1,09171234567,Juan Dela Cruz';
    const cases: [string, string, string][] = [
      [`${head}\n${row}\ngrabpay,PHP,"100.00,c-2\n`, 'csv_invalid', 'line 3: Quoted field unterminated'],
      [`${head},iban\n${row},x\n`, 'csv_invalid', 'Unknown column "iban"'],
      [
        `${head}\n${row}\n${row.replace('c-1', 'c-2')}\n${row}\n`,
        'csv_duplicate_row',
        'line 4 repeats line 2',
      ],
      [`method,currency,amount\n`, 'csv_invalid', 'Missing column: customer_id'],
      [`${head}\n${row},extra\n`, 'csv_invalid', 'line 2: 7 cells where the header has 6'],
      ['', 'csv_invalid', 'empty'],
    ];
    for (const [csv, code, text] of cases) {
      const r = await upload('payout', csv);
      expect(r.status, text).toBe(400);
      expect(r.body.error?.code).toBe(code);
      expect(r.body.error?.message).toContain(text);
    }
    expect((await upload('payroll', `${head}\n${row}\n`)).body.error?.field).toBe('type');
    expect((await stack.json('POST', '/api/merchant/batches?type=payout', { a: 1 }, AUTH)).status).toBe(415);
    expect(
      (
        await stack.json('POST', '/api/merchant/batches?type=payout', `${head}\n${row}\n`, {
          'content-type': 'text/csv',
        })
      ).status,
    ).toBe(401);
    const none = await upload('payout', `${head}\npayco,KRW,100,c-1,,\n`);
    expect(none).toMatchObject({ status: 422, body: { error: { code: 'no_valid_rows' } } });
    expect(await batchCount()).toBe(n);
    expect(payoutsSent()).toBe(sent);
  });
});

describe('bulk refunds', () => {
  async function paidPayco(amount: number): Promise<PaymentView> {
    const s = await stack.createSession({ amount, currency: 'KRW' });
    const r = await stack.pay(s.id, { method: 'payco', currency: 'KRW' }, crypto.randomUUID());
    await stack.sandbox.idle();
    await stack.sandbox.decide(DEMO_PROJECT_ID, r.body.id, 'success');
    return stack.settle(r.body.id);
  }

  it('keeps every refund within what is left, rows above counted', async () => {
    const a = await paidPayco(25_000);
    const b = await paidPayco(10_000);
    const csv = [
      'payment_id,amount,description',
      `${a.id},5000,Damaged item`,
      `${a.id},15000,Second item`,
      `${a.id},6000,Too much`,
      `${b.id},,Whole order`,
      'pay_00000000000000000000000000000000,100,Unknown',
    ].join('\n');
    const check = await dryRun('refund', csv);
    expect(check.body.errors).toEqual([
      { line: 4, field: 'amount', message: 'KRW 6000 is more than the KRW 5000 left to refund' },
      { line: 6, field: 'payment_id', message: 'No payment pay_00000000000000000000000000000000' },
    ]);
    const r = await upload('refund', csv);
    expect(r.status).toBe(201);
    const done = await finished(r.body.id);
    expect(done.counts).toMatchObject({ valid: 3, done: 3, invalid: 2 });
    await stack.sandbox.idle();
    const a2 = await stack.json<PaymentView>('GET', `/api/merchant/payments/${a.id}`, undefined, AUTH);
    expect(a2.body).toMatchObject({ status: 'partially_refunded', refunded_amount: 20_000 });
    const b2 = await stack.json<PaymentView>('GET', `/api/merchant/payments/${b.id}`, undefined, AUTH);
    expect(b2.body.status).toBe('refunded');
    // Uploaded again under another key: the rows find their refunds; nothing is refunded twice.
    const again = await upload('refund', csv, { 'idempotency-key': `again-${a.id}` });
    expect(again.body.counts).toMatchObject({ valid: 3, invalid: 2 });
    const againDone = await finished(again.body.id);
    expect(againDone.counts).toMatchObject({ done: 3, repeated: 3 });
    const refunds = stack.gateRequests.filter(
      (g) => g.path.endsWith('/refund') && [a.id, b.id].includes(g.body.general.payment_id),
    );
    expect(refunds).toHaveLength(3);
  });
});
