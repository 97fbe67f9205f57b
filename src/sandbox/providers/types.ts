import type { Hono } from 'hono';
import type { MethodDefinition, MethodId } from '../../core/methods/index.ts';
import type { Currency } from '../../core/money.ts';
import type { PaymentRecord, RedirectData } from '../ledger.ts';
import type { Voucher } from '../types.ts';

/** Why a provider declines a payment (the final callback's code, message and description). */
export interface DeclineReason {
  code: string;
  message: string;
  description?: string;
}

/** The method's own parts of a Gate sale, after its checks (a bad field is refused with `parse`). */
export interface SaleParts {
  /** The customer details the sale keeps (checked by the method's rules). */
  customer: Record<string, string>;
  /** The Gate's `account` object (Jeton: the voucher). */
  account?: Record<string, string>;
  /** Details missing that the provider asks for by a clarification callback. */
  clarificationFields?: Record<string, string[]>;
}

export interface SaleInput {
  method: MethodDefinition;
  currency: Currency;
  /** The request's JSON body (general, payment, customer, account…). */
  data: Record<string, unknown>;
  /** The request's `customer` details (e-mail, names) as given. */
  customer: Record<string, string>;
}

export interface RedirectContext {
  publicUrl: string;
  /** How the browser is to come (the sandbox's `redirectMethod` setting). */
  method: 'GET' | 'POST';
  operationId: number;
  now: number;
  /** Records the token the provider page finds the payment by. */
  setToken(token: string): void;
}

/** A provider page the shopper is redirected to (redirect methods). */
export interface ProviderPage {
  /** The provider's name on its page. */
  name: string;
  /** The page's path under the sandbox's public URL. */
  path: string;
  /** The field (query or form) the page finds its payment by. */
  tokenField: string;
  /** Offers "Return to the shop" when the sale gave a `return` URL (Payco). */
  returnButton?: boolean;
  /** `redirect_data` shaped like the seeds' example for the method. */
  redirect(record: PaymentRecord, ctx: RedirectContext): RedirectData;
  /** Other routes the provider answers (ADVCash's status URL). */
  routes?(app: Hono): void;
}

/** An input of the Payment Page emulator's form for the method. */
export interface PageField {
  /** The input's name in the page's form. */
  name: string;
  /** The method's field it fills (`FieldSpec.name`). */
  field: string;
  /** English label (the emulator is not translated). */
  label: string;
  hint?: string;
}

/**
 * What the sandbox emulates of one method's provider: how callbacks name it, what its Gate sale checks,
 * its redirect page, the Payment Page's inputs, and its own decisions. The generic sandbox (Gate routes,
 * engine, Payment Page, provider pages) asks the method's provider and never branches on a method id.
 */
export interface SandboxProvider {
  method: MethodId;
  /** `payment.method` in callbacks, as the seeds spell it (the backend maps it by `callbackLabels`). */
  callbackLabel: string;
  /** `operation.provider.id` as in the seeds. */
  providerId: number;
  /** The method's checks of a Gate sale; without it the sale keeps the customer details as given. */
  parseSale?(input: SaleInput): SaleParts;
  /** The page a redirect method sends the shopper to. */
  page?: ProviderPage;
  /** The Payment Page emulator's inputs for the method's form fields (those of the currency shown). */
  pageFields?: readonly PageField[];
  /** For a purchase without a redirect: a reason the provider declines it (Jeton: an expired voucher). */
  declineReason?(record: PaymentRecord, now: number): DeclineReason | undefined;
  /** What a successful payout hands out (Jeton: vouchers). */
  payoutVouchers?(record: PaymentRecord, now: number): Voucher[];
}
