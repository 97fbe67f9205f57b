import * as z from 'zod/mini';
import { email, payoutAccountSchema } from './fields.ts';
import {
  DAY,
  MINUTE,
  TEST_DECLINE_AMOUNTS,
  type FormSpec,
  type MethodDefinition,
  type PayoutAccountSpec,
} from './types.ts';

/**
 * ADVCash — e-wallet, redirect. Seed 001. Seven currencies, no conversion, no published amount limits,
 * purchases and payouts, no refunds. The shopper may choose the payment currency (our currency picker
 * chooses among the prices the merchant's server put in the session).
 */

/** Nothing to type for a purchase: the wallet is chosen at ADVCash. */
export const advCashFields = z.object({});
export type AdvCashFields = z.infer<typeof advCashFields>;

const form: FormSpec = { fields: [], notes: [{ id: 'form.redirect_note', vars: { method: 'ADVCash' } }] };

/** Payout account: the e-mail the ADVCash wallet is bound to. */
const payoutAccount: PayoutAccountSpec = {
  title: 'payout.advcash.title',
  fields: [
    {
      name: 'number',
      kind: 'email',
      label: 'field.wallet_email',
      hint: 'field.wallet_email.hint',
      autoComplete: 'email',
      rule: email,
    },
  ],
};
export const advCashPayoutAccount = payoutAccountSchema(payoutAccount);

/** Which Payment Page code the project uses is agreed with the account manager: configurable. */
export type AdvCashPaymentPageCode = 'advcash' | 'advcash_direct';

export const advcash: MethodDefinition<AdvCashFields> = {
  id: 'advcash',
  name: 'ADVCash',
  kind: 'ewallet',
  paymentPageCodes: ['advcash', 'advcash_direct'],
  gate: { sale: '/v2/payment/advcash/sale', payout: '/v2/payment/advcash/payout' },
  currencies: ['EUR', 'BRL', 'GBP', 'KZT', 'RUB', 'UAH', 'USD'],
  purchaseLimits: {},
  payout: {
    currencies: ['EUR', 'BRL', 'GBP', 'KZT', 'RUB', 'UAH', 'USD'],
    limits: {},
    times: { baseMs: 3 * MINUTE, limitMs: null },
    account: payoutAccount,
  },
  refunds: 'none',
  customerFields: () => ({ required: [], recommended: [] }),
  returnUrlKeys: ['success', 'decline'],
  redirect: true,
  // Seed: base 2–3 minutes (the upper end is used), limit 35 days.
  purchaseTimes: { baseMs: 3 * MINUTE, limitMs: 35 * DAY },
  testProject: { declineAmounts: TEST_DECLINE_AMOUNTS, currencies: ['UAH'] },
  form: () => form,
  fieldsSchema: () => advCashFields,
  callbackLabels: ['advcash'],
};
