import type * as z from 'zod/mini';
import type { Currency } from '../money.ts';

export type MethodId = 'grabpay' | 'advcash' | 'payco' | 'jeton';

/** Amount range in minor units, both ends inclusive; an absent end is unbounded. */
export interface AmountLimits {
  min?: number;
  max?: number;
}

/** Time in milliseconds; `null` where the seeds publish no figure (ask the account manager). */
export interface OperationTimes {
  /** Typical time to the result callback: past it, ask the Gate for the status. */
  baseMs: number | null;
  /** After it the payment is declined automatically. */
  limitMs: number | null;
}

export type CustomerField = 'email' | 'first_name' | 'last_name';
export type ReturnUrlKey = 'success' | 'decline' | 'return';

export interface CustomerFieldRules {
  required: readonly CustomerField[];
  recommended: readonly CustomerField[];
}

export interface MethodDefinition<Fields = unknown> {
  id: MethodId;
  name: string;
  kind: 'ewallet' | 'voucher';
  /** Payment Page `force_payment_method` codes; the first is the default. */
  paymentPageCodes: readonly string[];
  gate: { sale: string; payout?: string; refund?: string };
  currencies: readonly Currency[];
  purchaseLimits: Partial<Record<Currency, AmountLimits>>;
  /** Payouts: the currencies and limits; absent when the method has no payouts. */
  payout?: {
    currencies: readonly Currency[];
    limits: Partial<Record<Currency, AmountLimits>>;
    times: OperationTimes;
  };
  refunds: 'none' | 'full_and_partial';
  customerFields(currency: Currency): CustomerFieldRules;
  /** `return_url` keys the Gate requires for a sale. */
  returnUrlKeys: readonly ReturnUrlKey[];
  /** Whether the shopper is sent to the provider (redirect_data) or the result comes by callback alone. */
  redirect: boolean;
  purchaseTimes: OperationTimes;
  /** Test-project rules from the seeds. */
  testProject: { declineAmounts: readonly number[]; currencies?: readonly Currency[] };
  /** The fields the shopper fills in, per currency; the same schema validates the widget form and the backend. */
  fieldsSchema(currency: Currency): z.ZodMiniType<Fields>;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Amounts the test projects decline (seeds: ADVCash and Jeton test projects; the sandbox applies it to every method). */
export const TEST_DECLINE_AMOUNTS = [40000, 40400] as const;
