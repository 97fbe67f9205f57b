import type * as z from 'zod/mini';
import type { Currency } from '../money.ts';

/**
 * The ids of the four methods this package ships. A method added with `registerMethod` has an id of its
 * own at run time; the types keep naming the built-in ones, so records over them stay complete.
 */
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

/**
 * What a form field is; the widget picks the input from it (`email` → type=email, `secret` → a masked
 * password input, `phone` → type=tel; the rest are text inputs).
 */
export type FieldKind = 'text' | 'email' | 'name' | 'phone' | 'digits' | 'expiry' | 'secret';

/** How typed input is reshaped as it is typed (the value the schema sees is the reshaped one). */
export type FieldMask =
  /** Digits only, at most `max`, in groups of `group` separated by a space when `group` is set. */
  | { kind: 'digits'; max: number; group?: number }
  /** A month and year, the slash added by itself: `0827` → `08/27`, `082027` → `08/2027`. */
  | { kind: 'expiry' };

/**
 * One input of a method's form: the widget renders it (label, hint, error, autocomplete, inputmode, mask)
 * and the method's schema is built from the rules of its fields (`formSchema`), so the form, the backend and
 * the sandbox check the same thing. Texts are message ids of the widget's locale tables.
 */
export interface FieldSpec {
  /** The field's key in the method's fields (and in the Gate's `customer` or `account` object). */
  name: string;
  kind: FieldKind;
  /** Message id of the label. */
  label: string;
  /** Message id of the hint under the label. */
  hint?: string;
  /** An optional field is labelled so, and left out when blank; the others must be filled. */
  optional?: true;
  /** The `autocomplete` attribute; `off` when absent. */
  autoComplete?: string;
  /** Default: `email` for an e-mail, `tel` for a phone, `numeric` for digits, an expiry or a digit mask. */
  inputMode?: 'text' | 'email' | 'numeric' | 'tel';
  mask?: FieldMask;
  /** Default: what the mask lets through (grouped digits with their spaces, MM/YYYY). */
  maxLength?: number;
  placeholder?: string;
  /** Shown on one row with the field before it (e.g. expiry and security code). */
  inline?: boolean;
  /** The value's rule; its issue messages are message ids (`MESSAGES_EN`). */
  rule(): z.ZodMiniType<string>;
}

/** A message id with its placeholders, shown as a note under a form. */
export interface FormNote {
  id: string;
  vars?: Record<string, string>;
}

/** What the shopper fills in for a purchase in one currency. */
export interface FormSpec {
  fields: readonly FieldSpec[];
  notes?: readonly FormNote[];
}

/** What a merchant's payout form asks for: the Gate's `account` object. */
export interface PayoutAccountSpec {
  /** Message id of the form's heading. */
  title: string;
  fields: readonly FieldSpec[];
  /** The whole account may be left out (Jeton: an e-mail to send the vouchers to, if any). */
  optional?: boolean;
  /** `false`: the account stays with the merchant and the Gate's payout gets none (Jeton). */
  sentToGate?: false;
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
  /** Payouts: the currencies, limits, times and account; absent when the method has no payouts. */
  payout?: {
    currencies: readonly Currency[];
    limits: Partial<Record<Currency, AmountLimits>>;
    times: OperationTimes;
    account: PayoutAccountSpec;
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
  /** The purchase form in a currency: its fields (the schema below is built from them) and notes. */
  form(currency: Currency): FormSpec;
  /** The fields the shopper fills in, per currency; the same schema validates the widget form and the backend. */
  fieldsSchema(currency: Currency): z.ZodMiniType<Fields>;
  /**
   * The method's own part of a Gate sale body, from the shopper's parsed fields (Jeton: the voucher as
   * `account`). Customer details go by `customerFields`; nothing else is added when absent.
   */
  saleBody?(fields: Readonly<Record<string, string>>): { account?: Record<string, string> };
  /**
   * How callbacks spell `payment.method`, lowercased with everything but letters dropped, as prefixes
   * (seeds: "GrabPay wallet" → `grabpay`, "Jeton Voucher" / "JetonVoucher" → `jeton`).
   */
  callbackLabels: readonly string[];
  /**
   * Texts of a method added with `registerMethod`, per language (`en` first): the message ids its form
   * spec and picker use (`method.<id>.hint`). The built-in methods' texts are in the widget's tables.
   */
  messages?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Amounts the test projects decline (seeds: ADVCash and Jeton test projects; the sandbox applies it to every method). */
export const TEST_DECLINE_AMOUNTS = [40000, 40400] as const;
