import * as z from 'zod/mini';
import type { Currency } from '../money.ts';
import { email, lazySchema, optionalInput, personName } from './fields.ts';
import { DAY, HOUR, MINUTE, TEST_DECLINE_AMOUNTS, type MethodDefinition } from './types.ts';

/**
 * GrabPay — e-wallet, redirect. Seeds 002 (newer, MY + PH; wins) and 000 (older, PH only).
 * Purchases in MYR and PHP; payouts in PHP only; refunds only through the provider's request form
 * (seed 000), so none through the API.
 */

/** PHP: the Gate requires customer.email. */
export const grabPayPhpFields = lazySchema(() => z.object({ email: email() }));

/** MYR: e-mail, first and last name are recommended; when absent the Gate asks for them by clarification. */
export const grabPayMyrFields = lazySchema(() =>
  z.object({
    email: optionalInput(email()),
    first_name: optionalInput(personName()),
    last_name: optionalInput(personName()),
  }),
);

export type GrabPayFields = z.infer<typeof grabPayMyrFields>;

/** Payout account: exactly 11 digits starting with 09, and the holder's full name. */
export const grabPayPayoutAccount = lazySchema(() =>
  z.object({
    number: z.string({ error: 'required' }).check(z.trim(), z.regex(/^09\d{9}$/, 'grabpay.account')),
    customer_name: z
      .string({ error: 'required' })
      .check(
        z.trim(),
        z.minLength(1, 'required'),
        z.maxLength(200, 'name.too_long'),
        z.regex(/^[\p{L}\p{M}.'’-]+(?: +[\p{L}\p{M}.'’-]+)+$/u, 'payout.customer_name'),
      ),
  }),
);

export const grabpay: MethodDefinition<GrabPayFields> = {
  id: 'grabpay',
  name: 'GrabPay',
  kind: 'ewallet',
  paymentPageCodes: ['grabpay-wallet'],
  gate: { sale: '/v2/payment/wallet/grabpay/sale', payout: '/v2/payment/wallet/grabpay/payout' },
  currencies: ['PHP', 'MYR'],
  purchaseLimits: {
    MYR: { min: 100, max: 500_000 },
    PHP: { min: 2_000, max: 2_000_000 },
  },
  payout: {
    currencies: ['PHP'],
    limits: { PHP: { min: 100, max: 5_000_000 } },
    // Seed 002 says to ask the account manager; seed 000 gives 24 h / 48 h.
    times: { baseMs: 24 * HOUR, limitMs: 48 * HOUR },
  },
  refunds: 'none',
  customerFields: (currency: Currency) =>
    currency === 'PHP'
      ? { required: ['email'], recommended: [] }
      : { required: [], recommended: ['email', 'first_name', 'last_name'] },
  returnUrlKeys: ['success'],
  redirect: true,
  purchaseTimes: { baseMs: 30 * MINUTE, limitMs: DAY },
  testProject: { declineAmounts: TEST_DECLINE_AMOUNTS },
  fieldsSchema: (currency: Currency) => (currency === 'PHP' ? grabPayPhpFields : grabPayMyrFields),
};
