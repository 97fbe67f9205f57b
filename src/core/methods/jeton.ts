import * as z from 'zod/mini';
import { exponentOf, type Currency } from '../money.ts';
import { email, lazySchema } from './fields.ts';
import { TEST_DECLINE_AMOUNTS, type AmountLimits, type MethodDefinition } from './types.ts';

/**
 * Jeton Voucher — voucher, no redirect. Seed 004. The shopper types the voucher's number, expiry and
 * security code; the result arrives by callback. Purchases and payouts, no refunds. Currencies are agreed
 * with the account manager, so they are configurable. A voucher's face value is 10.00–500.00 in any
 * currency; payouts above 500.00 are split into several vouchers.
 */

export const VOUCHER_MIN_MAJOR = 10;
export const VOUCHER_MAX_MAJOR = 500;
export const DEFAULT_JETON_CURRENCIES: readonly Currency[] = ['EUR', 'USD', 'GBP'];

const EXPIRY = /^(0[1-9]|1[0-2])\/(\d{4})$/;

/** True when an MM/YYYY expiry is the current month or later (a voucher is valid through its month). */
export function isExpiryCurrent(expiration: string, now: Date = new Date()): boolean {
  const m = EXPIRY.exec(expiration);
  if (!m) return false;
  const month = Number(m[1]);
  const year = Number(m[2]);
  return year * 12 + month >= now.getFullYear() * 12 + (now.getMonth() + 1);
}

export const voucherNumber = () =>
  z.string({ error: 'required' }).check(
    z.overwrite((s) => s.replace(/[\s-]/g, '')),
    z.regex(/^\d{19}$/, 'voucher.number'),
  );

export const voucherExpiration = () =>
  z.string({ error: 'required' }).check(
    z.trim(),
    z.regex(EXPIRY, 'voucher.expiration_format'),
    z.refine((v) => !EXPIRY.test(v) || isExpiryCurrent(v), 'voucher.expired'),
  );

export const voucherSecurityCode = () =>
  z.string({ error: 'required' }).check(z.trim(), z.regex(/^\d{4}$/, 'voucher.security_code'));

/** The voucher's fields, each with its own rule (the sandbox's Gate checks them one by one). */
export const jetonFieldsShape = () => ({
  number: voucherNumber(),
  expiration: voucherExpiration(),
  security_code: voucherSecurityCode(),
});

/** The voucher as the Gate's `account` object wants it. */
export const jetonFields = lazySchema(() => z.object(jetonFieldsShape()));
export type JetonFields = z.infer<typeof jetonFields>;

/** A Jeton payout needs nothing but the amount; an e-mail may be given to send the vouchers to. */
export const jetonPayoutAccount = lazySchema(() => z.object({ email: z.optional(email()) }));

function faceValue(major: number, currency: Currency): number {
  return major * 10 ** exponentOf(currency);
}

/**
 * Splits a payout into vouchers of at most 500.00: 1,250.00 → 500 + 500 + 250. If the remainder would
 * fall under the 10.00 minimum face value, the last full voucher gives up the difference
 * (1,005.00 → 500 + 495 + 10), so every voucher stays within 10.00–500.00.
 */
export function splitIntoVouchers(amount: number, currency: Currency): number[] {
  const max = faceValue(VOUCHER_MAX_MAJOR, currency);
  const min = faceValue(VOUCHER_MIN_MAJOR, currency);
  if (!Number.isSafeInteger(amount) || amount < min) {
    throw new RangeError(`A Jeton payout must be at least ${VOUCHER_MIN_MAJOR} ${currency}`);
  }
  const parts: number[] = [];
  let rest = amount;
  while (rest > max) {
    parts.push(max);
    rest -= max;
  }
  if (rest < min) {
    parts[parts.length - 1] = max - (min - rest);
    rest = min;
  }
  parts.push(rest);
  return parts;
}

export function jetonMethod(
  currencies: readonly Currency[] = DEFAULT_JETON_CURRENCIES,
): MethodDefinition<JetonFields> {
  const purchaseLimits: Partial<Record<Currency, AmountLimits>> = {};
  const payoutLimits: Partial<Record<Currency, AmountLimits>> = {};
  for (const c of currencies) {
    // A purchase is paid with one voucher, so its face-value range bounds the amount.
    purchaseLimits[c] = { min: faceValue(VOUCHER_MIN_MAJOR, c), max: faceValue(VOUCHER_MAX_MAJOR, c) };
    payoutLimits[c] = { min: faceValue(VOUCHER_MIN_MAJOR, c) };
  }
  return {
    id: 'jeton',
    name: 'Jeton Voucher',
    kind: 'voucher',
    paymentPageCodes: ['jetonVoucher'],
    gate: { sale: '/v2/payment/voucher/jeton/sale', payout: '/v2/payment/voucher/jeton/payout' },
    currencies,
    purchaseLimits,
    payout: { currencies, limits: payoutLimits, times: { baseMs: null, limitMs: null } },
    refunds: 'none',
    customerFields: () => ({ required: [], recommended: [] }),
    returnUrlKeys: [],
    redirect: false,
    purchaseTimes: { baseMs: null, limitMs: null },
    testProject: { declineAmounts: TEST_DECLINE_AMOUNTS },
    fieldsSchema: () => jetonFields,
  };
}

export const jeton = jetonMethod();
