import * as z from 'zod/mini';
import { TEST_DECLINE_AMOUNTS, type FormSpec, type MethodDefinition } from './types.ts';

/**
 * Payco — e-wallet, redirect, Republic of Korea. Seed 003. KRW only, without minor units
 * (amount 1000 = ₩1,000). Purchases, full and partial refunds; no payouts. The seed publishes no amount
 * limits and no base/limit times.
 */

export const paycoFields = z.object({});
export type PaycoFields = z.infer<typeof paycoFields>;

/** Nothing to type; KRW is shown in whole won. */
const form: FormSpec = {
  fields: [],
  notes: [{ id: 'form.payco_note' }, { id: 'form.redirect_note', vars: { method: 'PAYCO' } }],
};

export const payco: MethodDefinition<PaycoFields> = {
  id: 'payco',
  name: 'Payco',
  kind: 'ewallet',
  paymentPageCodes: ['payco-wallet'],
  gate: { sale: '/v2/payment/wallet/payco/sale', refund: '/v2/payment/wallet/payco/refund' },
  currencies: ['KRW'],
  purchaseLimits: {},
  refunds: 'full_and_partial',
  customerFields: () => ({ required: [], recommended: [] }),
  // `return`: back to the merchant during or after the payment.
  returnUrlKeys: ['success', 'decline', 'return'],
  redirect: true,
  purchaseTimes: { baseMs: null, limitMs: null },
  testProject: { declineAmounts: TEST_DECLINE_AMOUNTS },
  form: () => form,
  fieldsSchema: () => paycoFields,
  callbackLabels: ['payco'],
};
