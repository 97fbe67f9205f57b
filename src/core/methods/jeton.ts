import * as z from 'zod/mini';
import { exponentOf, type Currency } from '../money.ts';
import { email, fieldsSchemaFrom, payoutAccountSchema } from './fields.ts';
import {
  TEST_DECLINE_AMOUNTS,
  type AmountLimits,
  type FormSpec,
  type MethodDefinition,
  type PayoutAccountSpec,
} from './types.ts';

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

/**
 * The voucher: the 19-digit number (shown in groups of 4 as typed), the expiry as MM/YYYY (the slash comes
 * by itself; not in the past) and the 4-digit security code, masked.
 */
const form: FormSpec = {
  fields: [
    {
      name: 'number',
      kind: 'digits',
      label: 'field.voucher_number',
      hint: 'field.voucher_number.hint',
      mask: { kind: 'digits', max: 19, group: 4 },
      placeholder: '0000 0000 0000 0000 000',
      rule: voucherNumber,
    },
    {
      name: 'expiration',
      kind: 'expiry',
      label: 'field.expiration',
      hint: 'field.expiration.hint',
      mask: { kind: 'expiry' },
      placeholder: 'MM/YYYY',
      rule: voucherExpiration,
    },
    {
      name: 'security_code',
      kind: 'secret',
      label: 'field.security_code',
      hint: 'field.security_code.hint',
      mask: { kind: 'digits', max: 4 },
      inline: true,
      rule: voucherSecurityCode,
    },
  ],
};

export type JetonFields = { number: string; expiration: string; security_code: string };
const fieldsSchema = fieldsSchemaFrom<JetonFields>(() => form);
/** The voucher as the Gate's `account` object wants it. */
export const jetonFields = fieldsSchema('EUR');

/** A Jeton payout needs nothing but the amount; an e-mail may be given to send the vouchers to. */
const payoutAccount: PayoutAccountSpec = {
  title: 'vouchers.title',
  optional: true,
  sentToGate: false,
  fields: [
    {
      name: 'email',
      kind: 'email',
      label: 'field.email',
      optional: true,
      autoComplete: 'email',
      rule: email,
    },
  ],
};
export const jetonPayoutAccount = payoutAccountSchema(payoutAccount);

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
    payout: {
      currencies,
      limits: payoutLimits,
      times: { baseMs: null, limitMs: null },
      account: payoutAccount,
    },
    refunds: 'none',
    customerFields: () => ({ required: [], recommended: [] }),
    returnUrlKeys: [],
    redirect: false,
    purchaseTimes: { baseMs: null, limitMs: null },
    testProject: { declineAmounts: TEST_DECLINE_AMOUNTS },
    form: () => form,
    fieldsSchema,
    // No redirect: the voucher travels with the sale as `account`.
    saleBody: (f) => ({
      account: {
        number: f.number ?? '',
        expiration: f.expiration ?? '',
        security_code: f.security_code ?? '',
      },
    }),
    // Seeds: "Jeton Voucher", "JetonVoucher".
    callbackLabels: ['jeton'],
  };
}

export const jeton = jetonMethod();
