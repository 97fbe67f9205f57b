import * as z from 'zod/mini';
import { isExpiryCurrent, jetonFieldsShape, splitIntoVouchers } from '../../core/methods/index.ts';
import { CODES } from '../codes.ts';
import { obj, parse } from '../refusals.ts';
import { definedStrings, digits, gateDate, voucherDate } from '../util.ts';
import type { SandboxProvider } from './types.ts';

/**
 * Jeton Voucher (seed 004): no redirect. The sale's voucher is checked field by field (a malformed expiry
 * is refused; an expired voucher is the provider's decline, by callback); a payout issues vouchers of at
 * most 500.00 each.
 */
export const jetonProvider: SandboxProvider = {
  method: 'jeton',
  callbackLabel: 'Jeton Voucher',
  providerId: 1084,
  parseSale: ({ data, customer }) => {
    const shape = jetonFieldsShape();
    const a = parse(
      obj({
        number: shape.number,
        expiration: z.string({ error: 'must be a string' }),
        security_code: shape.security_code,
      }),
      data.account,
      'account',
    );
    const exp = z.safeParse(shape.expiration, a.expiration);
    if (!exp.success && exp.error.issues.some((i) => i.message !== 'voucher.expired')) {
      parse(shape.expiration, a.expiration, 'account.expiration');
    }
    return {
      customer: definedStrings(customer, ['email', 'first_name', 'last_name']),
      account: { number: a.number, expiration: a.expiration.trim(), security_code: a.security_code },
    };
  },
  pageFields: [
    { name: 'voucher_number', field: 'number', label: 'Voucher number', hint: '19 digits' },
    { name: 'voucher_expiration', field: 'expiration', label: 'Expiry date', hint: 'MM/YYYY, e.g. 08/2027' },
    { name: 'voucher_security_code', field: 'security_code', label: 'Security code', hint: '4 digits' },
  ],
  declineReason: (record, now) => {
    const expiration = record.account?.expiration;
    if (record.type !== 'purchase' || expiration === undefined) return undefined;
    return isExpiryCurrent(expiration, new Date(now))
      ? undefined
      : { ...CODES.generalDecline, description: 'The voucher has expired' };
  },
  payoutVouchers: (record, now) => {
    const yearLater = new Date(now);
    yearLater.setUTCFullYear(yearLater.getUTCFullYear() + 1);
    return splitIntoVouchers(record.amount, record.currency).map((part) => ({
      voucherNumber: `4619${digits(15)}`,
      expiration: voucherDate(yearLater.getTime()),
      securityCode: digits(4),
      createDate: gateDate(now),
      amount: part,
      currency: record.currency,
    }));
  },
};
