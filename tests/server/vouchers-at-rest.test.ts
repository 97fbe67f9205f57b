/**
 * Jeton vouchers at rest (issue 14, "voucher numbers and security codes are stored in clear"): after a
 * Jeton purchase and a Jeton payout through the in-process sandbox, no voucher number or security code is
 * in clear in any table or any log line; the merchant's payout view still shows them (decrypted); a key
 * rotation keeps old rows readable.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentView } from '../../src/core/api.ts';
import { loadConfig } from '../../src/server/config.ts';
import { createLogger } from '../../src/server/logger.ts';
import { rowsOf } from '../../src/server/store/driver.ts';
import type { Store } from '../../src/server/store/index.ts';
import { DEMO_VOUCHER_KEYS, isSealed, VoucherCipher } from '../../src/server/voucher-crypto.ts';
import { AUTH, newPgliteStore, startStack, type Stack } from './helpers.ts';

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
// Random, so no other value in the database can hold them by chance.
const PURCHASE_VOUCHER = {
  number: `4619${digits(15)}`,
  expiration: '12/2099',
  security_code: digits(4),
};

let stack: Stack;
let store: Store;
let payout: PaymentView;
let purchase: PaymentView;

beforeAll(async () => {
  store = await newPgliteStore();
  stack = await startStack({ store });
  const s = await stack.createSession({ amount: 5_000, currency: 'EUR' });
  const paid = await stack.pay(s.id, { method: 'jeton', currency: 'EUR', fields: PURCHASE_VOUCHER }, 'buy-1');
  expect(paid.status, JSON.stringify(paid.body)).toBe(201);
  purchase = await stack.settle(paid.body.id);
  const r = await stack.json<PaymentView>(
    'POST',
    '/api/merchant/payouts',
    { method: 'jeton', currency: 'EUR', amount: 125_000, customer: { id: 'winner-1' } },
    { ...AUTH, 'idempotency-key': 'payout-1' },
  );
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  await stack.sandbox.idle();
  payout = (await stack.json<PaymentView>('GET', `/api/merchant/payments/${r.body.id}`, undefined, AUTH))
    .body;
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await store?.close();
});

/** Every table of the public schema, every row, as text. */
async function dumpDatabase(): Promise<string> {
  const tables = rowsOf(
    await store.db.execute(
      sql.raw(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`),
    ),
  ) as { table_name: string }[];
  expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['payments', 'callbacks']));
  const parts: string[] = [];
  for (const { table_name: name } of tables) {
    const rows = rowsOf(await store.db.execute(sql.raw(`SELECT * FROM "${name.replace(/"/g, '""')}"`)));
    parts.push(`${name}: ${JSON.stringify(rows)}`);
  }
  return parts.join('\n');
}

/** Where a voucher or a code could be in clear: the value itself, or a code as a field's value. */
function expectNoneInClear(text: string, vouchers: { number: string; security_code: string }[]): void {
  for (const v of vouchers) {
    expect(text).not.toContain(v.number);
    expect(text).not.toContain(`"${v.security_code}"`);
    expect(text).not.toContain(`\\"${v.security_code}\\"`);
  }
  expect(text).not.toMatch(/(security_?code|securityCode)\\?"\s*:\s*\\?"?\d{4}/i);
  expect(text).not.toMatch(/\d{19}/);
}

describe('Jeton vouchers at rest', () => {
  it('the purchase and the payout went through, and the merchant sees the payout’s vouchers', () => {
    expect(purchase.status).toBe('success');
    expect(payout.status).toBe('success');
    expect(payout.vouchers?.map((v) => v.amount)).toEqual([50_000, 50_000, 25_000]);
    for (const v of payout.vouchers ?? []) {
      expect(v.number).toMatch(/^\d{19}$/);
      expect(v.security_code).toMatch(/^\d{4}$/);
    }
    // The Gate got the purchase's voucher (the stored copies are what is checked below).
    const sent = stack.gateRequests.find((g) => JSON.stringify(g.body).includes(PURCHASE_VOUCHER.number));
    expect(sent).toBeDefined();
  });

  it('no table holds a voucher number or security code in clear', async () => {
    const dump = await dumpDatabase();
    expectNoneInClear(dump, [PURCHASE_VOUCHER, ...(payout.vouchers ?? [])]);
    // The payout's callback was stored (redacted), and the payout row holds its vouchers sealed.
    expect(dump).toMatch(/redacted:hmac-sha256:demo:[0-9a-f]{64}:last4=\d{4}/);
    const [row] = rowsOf(
      await store.db.execute(sql`SELECT vouchers FROM payments WHERE id = ${payout.id}`),
    ) as { vouchers: unknown }[];
    expect(isSealed(row?.vouchers)).toBe(true);
  });

  it('no log line prints them', () => {
    expect(stack.logs.length).toBeGreaterThan(0);
    expectNoneInClear(stack.logs.join('\n'), [PURCHASE_VOUCHER, ...(payout.vouchers ?? [])]);
  });

  it('the logger hides voucher fields even when a caller passes them', () => {
    const lines: string[] = [];
    const log = createLogger({ sink: (l) => lines.push(l) });
    const vouchers = payout.vouchers ?? [];
    log.info('payout.debug', { payout: { vouchers }, account: { ...PURCHASE_VOUCHER } });
    log.warn('callback.odd', { voucherNumber: PURCHASE_VOUCHER.number, securityCode: '4321' });
    expect(lines).toHaveLength(2);
    expectNoneInClear(lines.join('\n'), [
      PURCHASE_VOUCHER,
      ...vouchers,
      { number: PURCHASE_VOUCHER.number, security_code: '4321' },
    ]);
  });

  it('browser-facing views never carry vouchers', async () => {
    expect((await stack.json('GET', `/api/payments/${payout.id}`)).status).toBe(404);
    const seen = await stack.json<PaymentView>('GET', `/api/payments/${purchase.id}`);
    expect(seen.status).toBe(200);
    expect(JSON.stringify(seen.body)).not.toContain(PURCHASE_VOUCHER.number);
    expect(seen.body.vouchers).toBeUndefined();
  });

  it('a payout row written in clear before encryption came is still read', async () => {
    const clear = [{ number: `4619${digits(15)}`, expiration: '12/2099', security_code: digits(4) }];
    await store.db.execute(
      sql`UPDATE payments SET vouchers = ${JSON.stringify(clear)}::jsonb WHERE id = ${payout.id}`,
    );
    const r = await stack.json<PaymentView>('GET', `/api/merchant/payments/${payout.id}`, undefined, AUTH);
    expect(r.body.vouchers).toEqual(clear);
  });
});

describe('VOUCHER_KEYS', () => {
  const key = () => randomBytes(32).toString('base64');
  const voucher = { number: '4619000000000000001', expiration: '12/2099', security_code: '0420' };

  it('rotation: a voucher sealed under an old key id opens after a new key is put first', () => {
    const old = `k2025:${key()}`;
    const before = new VoucherCipher(loadConfig({ VOUCHER_KEYS: old }).voucherKeys);
    const sealed = before.seal('pay_1', [voucher]);
    expect(sealed.kid).toBe('k2025');
    expect(JSON.stringify(sealed)).not.toContain(voucher.number);

    const after = new VoucherCipher(loadConfig({ VOUCHER_KEYS: `k2026:${key()},${old}` }).voucherKeys);
    expect(after.open('pay_1', sealed)).toEqual([voucher]);
    expect(after.seal('pay_1', [voucher]).kid).toBe('k2026');
    // Tampered, bound to another payment, or under a key no longer configured: refused.
    expect(() => after.open('pay_2', sealed)).toThrow();
    expect(() => after.open('pay_1', { ...sealed, data: Buffer.from('x').toString('base64') })).toThrow();
    const dropped = new VoucherCipher(loadConfig({ VOUCHER_KEYS: `k2026:${key()}` }).voucherKeys);
    expect(() => dropped.open('pay_1', sealed)).toThrow(/k2025/);
  });

  it('is required in production, never the demo key, and checked', () => {
    const prod = {
      APP_ENV: 'production',
      ECOMMPAY_PROJECT_ID: '4242',
      ECOMMPAY_SECRET_KEY: 'a-real-secret-key-for-production',
      MERCHANT_API_KEY: 'a-real-merchant-api-key-of-24+chars',
      ECOMMPAY_GATE_URL: 'https://api.ecommpay.com',
      ECOMMPAY_PAYMENT_PAGE_URL: 'https://paymentpage.ecommpay.com/payment',
      PUBLIC_BASE_URL: 'https://shop.example.com',
      DATABASE_URL: 'postgres://u:p@db/shop',
    };
    expect(() => loadConfig(prod)).toThrow(/VOUCHER_KEYS is required in production/);
    expect(() => loadConfig({ ...prod, VOUCHER_KEYS: DEMO_VOUCHER_KEYS })).toThrow(/demo key/);
    expect(loadConfig({ ...prod, VOUCHER_KEYS: `live1:${key()}` }).voucherKeys[0]?.kid).toBe('live1');
    expect(() => loadConfig({ VOUCHER_KEYS: 'nokey' })).toThrow(/kid:base64key/);
    expect(() => loadConfig({ VOUCHER_KEYS: `a:${Buffer.alloc(16).toString('base64')}` })).toThrow(
      /32 bytes/,
    );
    expect(() => loadConfig({ VOUCHER_KEYS: `a:${key()},a:${key()}` })).toThrow(/used twice/);
    expect(loadConfig({}).voucherKeys[0]?.kid).toBe('demo');
  });
});
