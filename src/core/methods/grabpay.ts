import * as z from 'zod/mini';
import type { Currency } from '../money.ts';
import { customerFieldSpec, fieldsSchemaFrom, payoutAccountSchema } from './fields.ts';
import {
  DAY,
  HOUR,
  MINUTE,
  TEST_DECLINE_AMOUNTS,
  type FormSpec,
  type MethodDefinition,
  type PayoutAccountSpec,
} from './types.ts';

/**
 * GrabPay — e-wallet, redirect. Seeds 002 (newer, MY + PH; wins) and 000 (older, PH only).
 * Purchases in MYR and PHP; payouts in PHP only; refunds only through the provider's request form
 * (seed 000), so none through the API.
 */

const emailField = (required: boolean) =>
  customerFieldSpec('email', required, required ? 'field.email.hint_php' : 'field.email.hint');

const note = [{ id: 'form.redirect_note', vars: { method: 'GrabPay' } }];

/** PHP: the Gate requires customer.email (prefilled from the session, editable). */
const phpForm: FormSpec = { fields: [emailField(true)], notes: note };

/** MYR: e-mail, first and last name are recommended; when absent the Gate asks for them by clarification. */
const myrForm: FormSpec = {
  fields: [emailField(false), customerFieldSpec('first_name', false), customerFieldSpec('last_name', false)],
  notes: note,
};

const form = (currency: Currency): FormSpec => (currency === 'PHP' ? phpForm : myrForm);
const fieldsSchema = fieldsSchemaFrom<GrabPayFields>(form);

export type GrabPayFields = {
  email?: string | undefined;
  first_name?: string | undefined;
  last_name?: string | undefined;
};
export const grabPayPhpFields = fieldsSchema('PHP');
export const grabPayMyrFields = fieldsSchema('MYR');

/** Payout account: exactly 11 digits starting with 09, and the holder's full name. */
const payoutAccount: PayoutAccountSpec = {
  title: 'payout.grabpay.title',
  fields: [
    {
      name: 'number',
      kind: 'digits',
      label: 'field.account_number',
      hint: 'field.account_number.hint',
      maxLength: 11,
      rule: () => z.string({ error: 'required' }).check(z.trim(), z.regex(/^09\d{9}$/, 'grabpay.account')),
    },
    {
      name: 'customer_name',
      kind: 'name',
      label: 'field.customer_name',
      hint: 'field.customer_name.hint',
      autoComplete: 'name',
      rule: () =>
        z
          .string({ error: 'required' })
          .check(
            z.trim(),
            z.minLength(1, 'required'),
            z.maxLength(200, 'name.too_long'),
            z.regex(/^[\p{L}\p{M}.'’-]+(?: +[\p{L}\p{M}.'’-]+)+$/u, 'payout.customer_name'),
          ),
    },
  ],
};
export const grabPayPayoutAccount = payoutAccountSchema(payoutAccount);

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
    account: payoutAccount,
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
  form,
  fieldsSchema,
  // Seeds: "GrabPay wallet", "grabpay".
  callbackLabels: ['grabpay'],
};
