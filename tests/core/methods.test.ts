import { describe, expect, it, vi, afterEach } from 'vitest';
import * as z from 'zod/mini';
import {
  advcash,
  catalog,
  createCatalog,
  grabpay,
  isExpiryCurrent,
  isMethodId,
  jeton,
  jetonFields,
  METHOD_IDS,
  payco,
  splitIntoVouchers,
  grabPayPayoutAccount,
  advCashPayoutAccount,
  blankToUndefined,
  DAY,
  MINUTE,
} from '../../src/core/methods/index.ts';
import { parseMethodFields } from '../../src/core/api.ts';

afterEach(() => vi.useRealTimers());

describe('method catalog', () => {
  it('has the four methods with their Payment Page codes and Gate paths from the seeds', () => {
    expect(METHOD_IDS).toEqual(['grabpay', 'advcash', 'payco', 'jeton']);
    expect(grabpay.paymentPageCodes).toEqual(['grabpay-wallet']);
    expect(advcash.paymentPageCodes).toEqual(['advcash', 'advcash_direct']);
    expect(payco.paymentPageCodes).toEqual(['payco-wallet']);
    expect(jeton.paymentPageCodes).toEqual(['jetonVoucher']);
    expect(grabpay.gate).toEqual({
      sale: '/v2/payment/wallet/grabpay/sale',
      payout: '/v2/payment/wallet/grabpay/payout',
    });
    expect(advcash.gate).toEqual({ sale: '/v2/payment/advcash/sale', payout: '/v2/payment/advcash/payout' });
    expect(payco.gate).toEqual({
      sale: '/v2/payment/wallet/payco/sale',
      refund: '/v2/payment/wallet/payco/refund',
    });
    expect(jeton.gate).toEqual({
      sale: '/v2/payment/voucher/jeton/sale',
      payout: '/v2/payment/voucher/jeton/payout',
    });
    expect(isMethodId('payco')).toBe(true);
    expect(isMethodId('card')).toBe(false);
  });

  it('records currencies, return URLs, redirects, refunds and times', () => {
    expect(grabpay.currencies).toEqual(['PHP', 'MYR']);
    expect(advcash.currencies).toEqual(['EUR', 'BRL', 'GBP', 'KZT', 'RUB', 'UAH', 'USD']);
    expect(payco.currencies).toEqual(['KRW']);
    expect(grabpay.returnUrlKeys).toEqual(['success']);
    expect(advcash.returnUrlKeys).toEqual(['success', 'decline']);
    expect(payco.returnUrlKeys).toEqual(['success', 'decline', 'return']);
    expect(jeton.returnUrlKeys).toEqual([]);
    expect([grabpay.redirect, advcash.redirect, payco.redirect, jeton.redirect]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(payco.refunds).toBe('full_and_partial');
    expect(payco.payout).toBeUndefined();
    expect(grabpay.payout?.currencies).toEqual(['PHP']);
    expect(grabpay.purchaseTimes).toEqual({ baseMs: 30 * MINUTE, limitMs: DAY });
    expect(advcash.purchaseTimes).toEqual({ baseMs: 3 * MINUTE, limitMs: 35 * DAY });
    expect(advcash.testProject.currencies).toEqual(['UAH']);
    expect(jeton.testProject.declineAmounts).toEqual([40000, 40400]);
  });

  it('knows which customer fields each currency needs', () => {
    expect(grabpay.customerFields('PHP')).toEqual({ required: ['email'], recommended: [] });
    expect(grabpay.customerFields('MYR')).toEqual({
      required: [],
      recommended: ['email', 'first_name', 'last_name'],
    });
    expect(payco.customerFields('KRW').required).toEqual([]);
  });

  it('makes the ADVCash Payment Page code configurable', () => {
    expect(catalog.paymentPageCode('advcash')).toBe('advcash');
    expect(createCatalog({ advcashPaymentPageCode: 'advcash_direct' }).paymentPageCode('advcash')).toBe(
      'advcash_direct',
    );
    expect(catalog.paymentPageCode('jeton')).toBe('jetonVoucher');
    expect(() => catalog.get('card' as never)).toThrow(/Unknown payment method/);
  });
});

describe('purchase limits at and beyond their edges', () => {
  const cases: [
    Parameters<typeof catalog.check>[0],
    Parameters<typeof catalog.check>[2],
    number,
    number,
    string,
    string,
  ][] = [
    ['grabpay', 'PHP', 2000, 2_000_000, 'GrabPay PHP minimum is 20.00', 'GrabPay PHP maximum is 20000.00'],
    ['grabpay', 'MYR', 100, 500_000, 'GrabPay MYR minimum is 1.00', 'GrabPay MYR maximum is 5000.00'],
    [
      'jeton',
      'EUR',
      1000,
      50_000,
      'Jeton Voucher EUR minimum is 10.00',
      'Jeton Voucher EUR maximum is 500.00',
    ],
  ];
  for (const [id, currency, min, max, minMsg, maxMsg] of cases) {
    it(`${id} ${currency}: ${min}..${max}`, () => {
      expect(catalog.check(id, min, currency)).toBeNull();
      expect(catalog.check(id, max, currency)).toBeNull();
      expect(catalog.check(id, min - 1, currency)).toMatchObject({ code: 'below_minimum', message: minMsg });
      expect(catalog.check(id, max + 1, currency)).toMatchObject({ code: 'above_maximum', message: maxMsg });
    });
  }

  it('takes KRW amounts in whole won for Payco, and refuses other currencies', () => {
    expect(catalog.check('payco', 1, 'KRW')).toBeNull();
    expect(catalog.check('payco', 10_000_000, 'KRW')).toBeNull();
    expect(catalog.check('payco', 1000, 'USD')).toMatchObject({
      code: 'currency_not_supported',
      message: 'Payco accepts KRW only',
    });
  });

  it('has no published limits for ADVCash', () => {
    expect(catalog.check('advcash', 1, 'USD')).toBeNull();
    expect(catalog.check('advcash', 10 ** 12, 'RUB')).toBeNull();
  });

  it('narrows ADVCash to UAH in a test project', () => {
    const test = createCatalog({ testProject: true });
    expect(test.check('advcash', 1000, 'USD')).toMatchObject({
      code: 'test_currency_only',
      currencies: ['UAH'],
    });
    expect(test.check('advcash', 1000, 'UAH')).toBeNull();
    expect(test.currenciesOf('grabpay')).toEqual(['PHP', 'MYR']);
    expect(test.checkPayout('advcash', 1000, 'EUR')).toMatchObject({ code: 'test_currency_only' });
    expect(test.checkPayout('advcash', 1000, 'UAH')).toBeNull();
    expect(test.checkPayout('grabpay', 1000, 'PHP')).toBeNull();
  });

  it('checks payouts: GrabPay PHP only 1.00..50000.00, Payco none', () => {
    expect(catalog.checkPayout('grabpay', 100, 'PHP')).toBeNull();
    expect(catalog.checkPayout('grabpay', 5_000_000, 'PHP')).toBeNull();
    expect(catalog.checkPayout('grabpay', 99, 'PHP')).toMatchObject({
      message: 'GrabPay PHP payout minimum is 1.00',
    });
    expect(catalog.checkPayout('grabpay', 5_000_001, 'PHP')).toMatchObject({ code: 'above_maximum' });
    expect(catalog.checkPayout('grabpay', 1000, 'MYR')).toMatchObject({ code: 'currency_not_supported' });
    expect(catalog.checkPayout('payco', 1000, 'KRW')).toMatchObject({ code: 'not_enabled' });
    expect(catalog.checkPayout('jeton', 999, 'EUR')).toMatchObject({ code: 'below_minimum' });
    expect(catalog.checkPayout('jeton', 125_000, 'EUR')).toBeNull();
    expect(catalog.checkPayout('advcash', 1, 'KZT')).toBeNull();
  });
});

describe('availability', () => {
  it('answers which methods take an amount and why the others cannot', () => {
    const a = catalog.availability({ PHP: 1999 });
    expect(a.available).toEqual([]);
    const reasons = Object.fromEntries(a.unavailable.map((u) => [u.method, u.reason.message]));
    expect(reasons).toEqual({
      grabpay: 'GrabPay PHP minimum is 20.00',
      advcash: 'ADVCash accepts EUR, BRL, GBP, KZT, RUB, UAH, USD only',
      payco: 'Payco accepts KRW only',
      jeton: 'Jeton Voucher accepts EUR, USD, GBP only',
    });
    expect(catalog.availability({ PHP: 2000 }).available).toEqual([
      { method: 'grabpay', options: [{ currency: 'PHP', amount: 2000 }] },
    ]);
  });

  it('offers every price a method can take, for the ADVCash picker', () => {
    const a = catalog.availability({ EUR: 1500, USD: 1700, UAH: 60000, KRW: 20000 });
    expect(a.available.find((m) => m.method === 'advcash')?.options.map((o) => o.currency)).toEqual([
      'EUR',
      'USD',
      'UAH',
    ]);
    expect(a.available.find((m) => m.method === 'payco')?.options).toEqual([
      { currency: 'KRW', amount: 20000 },
    ]);
    expect(a.available.find((m) => m.method === 'jeton')?.options.map((o) => o.currency)).toEqual([
      'EUR',
      'USD',
    ]);
    expect(a.unavailable.map((u) => u.method)).toEqual(['grabpay']);
  });

  it('prefers a limit reason over a currency reason', () => {
    const a = catalog.availability({ USD: 500, EUR: 100 });
    expect(a.unavailable.find((u) => u.method === 'jeton')?.reason.code).toBe('below_minimum');
  });

  it('says when a method is not enabled for the order', () => {
    const a = catalog.availability({ KRW: 5000 }, ['grabpay']);
    expect(a.unavailable.find((u) => u.method === 'payco')?.reason).toMatchObject({ code: 'not_enabled' });
    expect(a.available).toEqual([]);
    expect(catalog.availability({}).unavailable.find((u) => u.method === 'advcash')?.reason.code).toBe(
      'currency_not_supported',
    );
  });

  it('uses configured Jeton currencies', () => {
    const c = createCatalog({ jetonCurrencies: ['PHP'] });
    expect(c.availability({ PHP: 5000 }).available.map((m) => m.method)).toEqual(['grabpay', 'jeton']);
  });
});

describe('method field schemas', () => {
  it('GrabPay PHP requires a valid e-mail, MYR only recommends it', () => {
    expect(parseMethodFields('grabpay', 'PHP', {})).toMatchObject({
      ok: false,
      issues: [{ field: 'email', key: 'required' }],
    });
    const bad = parseMethodFields('grabpay', 'PHP', { email: 'not-an-email' });
    expect(bad).toMatchObject({
      ok: false,
      issues: [{ field: 'email', key: 'email.invalid', message: expect.stringContaining('valid e-mail') }],
    });
    expect(parseMethodFields('grabpay', 'PHP', { email: 'ana@example.com' })).toEqual({
      ok: true,
      data: { email: 'ana@example.com' },
    });
    expect(parseMethodFields('grabpay', 'MYR', {})).toEqual({ ok: true, data: {} });
    expect(
      parseMethodFields('grabpay', 'MYR', { email: '', first_name: ' Siti ', last_name: 'Nurhaliza' }),
    ).toEqual({
      ok: true,
      data: { first_name: 'Siti', last_name: 'Nurhaliza' },
    });
    expect(parseMethodFields('grabpay', 'MYR', { first_name: '1234' })).toMatchObject({
      ok: false,
      issues: [{ key: 'name.invalid' }],
    });
    expect(parseMethodFields('grabpay', 'MYR', { first_name: 'A'.repeat(101) })).toMatchObject({
      ok: false,
      issues: [{ key: 'name.too_long' }],
    });
  });

  it('ADVCash and Payco need no fields', () => {
    expect(parseMethodFields('advcash', 'USD', undefined)).toEqual({ ok: true, data: {} });
    expect(parseMethodFields('payco', 'KRW', {})).toEqual({ ok: true, data: {} });
  });

  it('Jeton: 19-digit number (groups allowed), MM/YYYY not in the past, 4-digit code', () => {
    vi.useFakeTimers({ now: new Date('2026-11-24T12:00:00Z'), toFake: ['Date'] });
    const ok = { number: '1234 5678 9012 3456 789', expiration: '11/2026', security_code: '1234' };
    expect(parseMethodFields('jeton', 'EUR', ok)).toEqual({
      ok: true,
      data: { number: '1234567890123456789', expiration: '11/2026', security_code: '1234' },
    });
    const keys = (f: object) => {
      const r = parseMethodFields('jeton', 'EUR', { ...ok, ...f });
      return r.ok ? [] : r.issues.map((i) => i.key);
    };
    expect(keys({ number: '123456789012345678' })).toEqual(['voucher.number']);
    expect(keys({ number: '12345678901234567890' })).toEqual(['voucher.number']);
    expect(keys({ number: '1234-5678-9012-3456-78a' })).toEqual(['voucher.number']);
    expect(keys({ expiration: '10/2026' })).toEqual(['voucher.expired']);
    expect(keys({ expiration: '13/2027' })).toEqual(['voucher.expiration_format']);
    expect(keys({ expiration: '1/2027' })).toEqual(['voucher.expiration_format']);
    expect(keys({ expiration: '01/27' })).toEqual(['voucher.expiration_format']);
    expect(keys({ security_code: '123' })).toEqual(['voucher.security_code']);
    expect(keys({ security_code: '12345' })).toEqual(['voucher.security_code']);
    expect(parseMethodFields('jeton', 'EUR', {})).toMatchObject({ ok: false });
  });

  it('isExpiryCurrent compares months', () => {
    const now = new Date(2026, 10, 24);
    expect(isExpiryCurrent('11/2026', now)).toBe(true);
    expect(isExpiryCurrent('12/2026', now)).toBe(true);
    expect(isExpiryCurrent('01/2027', now)).toBe(true);
    expect(isExpiryCurrent('10/2026', now)).toBe(false);
    expect(isExpiryCurrent('12/2025', now)).toBe(false);
    expect(isExpiryCurrent('garbage', now)).toBe(false);
    expect(z.safeParse(jetonFields, { number: 1, expiration: 2, security_code: 3 }).success).toBe(false);
  });

  it('GrabPay payout account: 11 digits starting with 09 and a full name', () => {
    const ok = { number: '09171234567', customer_name: 'Juan dela Cruz' };
    expect(z.safeParse(grabPayPayoutAccount, ok).success).toBe(true);
    for (const number of ['0917123456', '091712345678', '08171234567', '9171234567a', '+639171234567']) {
      expect(z.safeParse(grabPayPayoutAccount, { ...ok, number }).success, number).toBe(false);
    }
    expect(z.safeParse(grabPayPayoutAccount, { ...ok, customer_name: 'Juan' }).success).toBe(false);
    expect(z.safeParse(advCashPayoutAccount, { number: 'wallet@example.com' }).success).toBe(true);
    expect(z.safeParse(advCashPayoutAccount, { number: 'U1234567' }).success).toBe(false);
  });

  it('blankToUndefined drops empty inputs', () => {
    expect(blankToUndefined({ a: '', b: 'x', c: undefined })).toEqual({ b: 'x' });
  });
});

describe('Jeton payout vouchers', () => {
  it('splits payouts above 500.00 into vouchers of at most 500.00', () => {
    expect(splitIntoVouchers(125_000, 'EUR')).toEqual([50_000, 50_000, 25_000]);
    expect(splitIntoVouchers(50_000, 'EUR')).toEqual([50_000]);
    expect(splitIntoVouchers(50_001 + 999, 'EUR')).toEqual([50_000, 1000]);
    expect(splitIntoVouchers(1000, 'USD')).toEqual([1000]);
    expect(splitIntoVouchers(100_500, 'EUR')).toEqual([50_000, 49_500, 1000]);
    expect(splitIntoVouchers(1250, 'KRW')).toEqual([500, 500, 250]);
    expect(() => splitIntoVouchers(999, 'EUR')).toThrow(RangeError);
    expect(() => splitIntoVouchers(10.5 as number, 'EUR')).toThrow(RangeError);
  });

  it('every voucher stays within 10.00..500.00 and they add up', () => {
    for (let amount = 1000; amount < 300_000; amount += 777) {
      const parts = splitIntoVouchers(amount, 'EUR');
      expect(parts.reduce((a, b) => a + b, 0)).toBe(amount);
      for (const p of parts) expect(p >= 1000 && p <= 50_000).toBe(true);
    }
  });
});
