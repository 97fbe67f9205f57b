/**
 * The backend's API, as zod/mini schemas (small in browser bundles) with inferred types. The widget
 * validates what it sends and reads with these; the backend validates every input with the same ones.
 */
import * as z from 'zod/mini';
import { messageText } from './messages.ts';
import { email, personName } from './methods/fields.ts';
import {
  advCashPayoutAccount,
  catalog as defaultCatalog,
  grabPayPayoutAccount,
  jetonPayoutAccount,
  isMethodId,
  type Catalog,
  type MethodId,
} from './methods/index.ts';
import { CURRENCIES, type Currency } from './money.ts';
import { PAYMENT_STATES } from './status.ts';

/**
 * Query parameters the backend adds to the merchant's return URL, so the widget on that page resumes the
 * payment: `?ecp_payment=<payment id>&ecp_result=success|decline|return`.
 */
export const RETURN_PARAMS = { payment: 'ecp_payment', result: 'ecp_result' } as const;

/**
 * Builds a module-level schema, at import as before. Bundlers cannot tell that zod's calls are free of
 * side effects, so they would keep every schema here (and the zod code behind it, e.g. `z.url`) in any
 * bundle that imports this module; a call to this function is marked free of them, so a browser bundle
 * keeps only the schemas it uses.
 */
/* @__NO_SIDE_EFFECTS__ */
function schema<T>(build: () => T): T {
  return build();
}

// ── building blocks ─────────────────────────────────────────────────────────────────────────────────

export const currencySchema = schema(() =>
  z.enum(CURRENCIES as [Currency, ...Currency[]], { error: 'currency.invalid' }),
);
/** A method of the catalog: a built-in one or one added with `registerMethod`. */
export const methodIdSchema = schema(
  () =>
    // A string (so the OpenAPI document says so) checked against the catalog at parse time.
    z.string().check(z.refine(isMethodId, 'Unknown payment method')) as unknown as z.ZodMiniType<
      MethodId,
      MethodId
    >,
);
export const paymentStateSchema = schema(() => z.enum(PAYMENT_STATES));

/** An amount in minor units: a positive safe integer. */
export const minorAmountSchema = schema(() =>
  z
    .int({ error: 'amount.integer' })
    .check(z.positive('amount.positive'), z.maximum(Number.MAX_SAFE_INTEGER, 'amount.integer')),
);

export const httpUrlSchema = schema(() => z.url({ protocol: /^https?$/, error: 'url.invalid' }));

const idString = (max = 255) =>
  z
    .string({ error: 'required' })
    .check(z.trim(), z.minLength(1, 'required'), z.maxLength(max, 'text.too_long'));
const text = (max: number) => z.string().check(z.trim(), z.maxLength(max, 'text.too_long'));

export const moneySchema = schema(() => z.object({ currency: currencySchema, amount: minorAmountSchema }));
export type Money = z.infer<typeof moneySchema>;

// ── sessions (merchant server → backend, with the API key) ─────────────────────────────────────────

export const customerSchema = schema(() =>
  z.object({
    id: idString(),
    email: z.optional(email()),
    first_name: z.optional(personName()),
    last_name: z.optional(personName()),
  }),
);
export type Customer = z.infer<typeof customerSchema>;

export const createSessionRequestSchema = schema(() =>
  z
    .object({
      amount: z.optional(minorAmountSchema),
      currency: z.optional(currencySchema),
      /** A price per currency, for ADVCash's currency picker. */
      prices: z.optional(z.partialRecord(currencySchema, minorAmountSchema)),
      customer: customerSchema,
      description: z.optional(text(255)),
      methods: z.optional(z.array(methodIdSchema).check(z.minLength(1, 'required'))),
      /** Where the provider sends the shopper back (the page that hosts the widget). */
      return_url: httpUrlSchema,
      locale: z.optional(text(35)),
      /** Seconds the session stays payable. */
      expires_in: z.optional(z.int().check(z.gte(60), z.lte(7 * 86_400))),
    })
    .check(
      z.superRefine((v, ctx) => {
        const single = v.amount !== undefined || v.currency !== undefined;
        const multi = v.prices !== undefined && Object.keys(v.prices).length > 0;
        if (single && multi)
          ctx.issues.push({ code: 'custom', message: 'prices.conflict', path: ['prices'], input: v });
        else if (!multi && (v.amount === undefined || v.currency === undefined))
          ctx.issues.push({
            code: 'custom',
            message: 'prices.required',
            path: [v.amount === undefined ? 'amount' : 'currency'],
            input: v,
          });
      }),
    ),
);
export type CreateSessionRequest = z.infer<typeof createSessionRequestSchema>;

/** The session's prices as a list, whichever way they were given. */
export function sessionPrices(req: CreateSessionRequest): Money[] {
  if (req.prices && Object.keys(req.prices).length > 0) {
    return Object.entries(req.prices).map(([currency, amount]) => ({
      currency: currency as Currency,
      amount: amount as number,
    }));
  }
  return [{ currency: req.currency as Currency, amount: req.amount as number }];
}

export const unavailableReasonSchema = schema(() =>
  z.object({
    code: z.enum([
      'not_enabled',
      'currency_not_supported',
      'test_currency_only',
      'below_minimum',
      'above_maximum',
    ]),
    message: z.string(),
    currency: z.optional(currencySchema),
    limit: z.optional(z.string()),
    currencies: z.optional(z.array(currencySchema)),
  }),
);

const customerFieldSchema = schema(() => z.enum(['email', 'first_name', 'last_name']));

export const sessionMethodSchema = schema(() =>
  z.object({
    method: methodIdSchema,
    name: z.string(),
    redirect: z.boolean(),
    options: z.array(
      z.object({
        currency: currencySchema,
        amount: minorAmountSchema,
        required: z.array(customerFieldSchema),
        recommended: z.array(customerFieldSchema),
      }),
    ),
  }),
);
export type SessionMethod = z.infer<typeof sessionMethodSchema>;

/** What the browser may read of a session. */
export const sessionViewSchema = schema(() =>
  z.object({
    id: z.string(),
    status: z.enum(['open', 'completed', 'expired']),
    prices: z.array(moneySchema),
    description: z.optional(z.string()),
    customer: z.object({
      email: z.optional(z.string()),
      first_name: z.optional(z.string()),
      last_name: z.optional(z.string()),
    }),
    methods: z.array(sessionMethodSchema),
    unavailable: z.array(z.object({ method: methodIdSchema, reason: unavailableReasonSchema })),
    return_url: z.string(),
    locale: z.optional(z.string()),
    test_mode: z.boolean(),
    expires_at: z.string(),
    /** The session's latest payment, so a returning shopper resumes it. */
    payment: z.optional(z.object({ id: z.string(), status: paymentStateSchema })),
    /**
     * The hosts a payment's redirect may go to (the backend's allowlist: the Gate's, the Payment Page's,
     * the providers'); the widget's default `allowedHosts`.
     */
    redirect_hosts: z.optional(z.array(z.string())),
  }),
);
export type SessionView = z.infer<typeof sessionViewSchema>;

// ── payments (browser → backend) ───────────────────────────────────────────────────────────────────

export const createPaymentRequestSchema = schema(() =>
  z.object({
    method: methodIdSchema,
    currency: currencySchema,
    /** The method's fields; validated against the method's own schema by `parseMethodFields`. */
    fields: z.optional(z.record(z.string(), z.unknown())),
  }),
);
export type CreatePaymentRequest = z.infer<typeof createPaymentRequestSchema>;

export interface FieldIssue {
  field: string;
  /** A key of MESSAGES_EN (or zod's own text). */
  key: string;
  message: string;
}

/** Validates a method's fields with its schema for the currency: one rule, shared by widget and backend. */
export function parseMethodFields(
  method: MethodId,
  currency: Currency,
  fields: unknown,
  cat: Catalog = defaultCatalog,
): { ok: true; data: Record<string, string> } | { ok: false; issues: FieldIssue[] } {
  const r = z.safeParse(cat.get(method).fieldsSchema(currency), fields ?? {});
  if (r.success) {
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.data as Record<string, unknown>))
      if (typeof v === 'string' && v !== '') data[k] = v;
    return { ok: true, data };
  }
  return { ok: false, issues: toFieldIssues(r.error) };
}

export const redirectSchema = schema(() =>
  z.object({
    url: z.string(),
    method: z.enum(['GET', 'POST']),
    body: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  }),
);

export const voucherSchema = schema(() =>
  z.object({
    number: z.string(),
    expiration: z.string(),
    security_code: z.string(),
    amount: z.optional(z.int()),
    currency: z.optional(z.string()),
    created_at: z.optional(z.string()),
  }),
);
export type Voucher = z.infer<typeof voucherSchema>;

export const nextActionSchema = schema(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('redirect'), redirect: redirectSchema }),
    z.object({
      type: z.literal('clarification'),
      /** Requested fields by object, as ecommpay lists them: { customer: ['first_name', 'last_name'] }. */
      fields: z.record(z.string(), z.array(z.string())),
    }),
    z.object({ type: z.literal('wait'), retry_after_ms: z.int() }),
    z.object({ type: z.literal('result') }),
  ]),
);
export type NextAction = z.infer<typeof nextActionSchema>;

export const paymentViewSchema = schema(() =>
  z.object({
    id: z.string(),
    session_id: z.optional(z.string()),
    type: z.enum(['purchase', 'payout']),
    /** Absent only for a Payment Page payment whose method the shopper has not chosen yet. */
    method: z.optional(methodIdSchema),
    amount: minorAmountSchema,
    currency: currencySchema,
    status: paymentStateSchema,
    /** ecommpay's result code and message, once there is one. */
    code: z.optional(z.string()),
    message: z.optional(z.string()),
    next_action: nextActionSchema,
    vouchers: z.optional(z.array(voucherSchema)),
    refunded_amount: z.optional(z.int()),
    /**
     * Merchant views only: the payment is held for a person to look at (a callback's sum or currency was
     * not the payment's, so it was not marked paid), and why.
     */
    requires_review: z.optional(z.boolean()),
    review_reason: z.optional(z.string()),
    /** Increases with every change; long-polls wait for a version above the one the caller has. */
    version: z.int(),
    created_at: z.string(),
    updated_at: z.string(),
  }),
);
export type PaymentView = z.infer<typeof paymentViewSchema>;

export const clarificationRequestSchema = schema(() =>
  z.object({
    customer: z.optional(
      z.object({
        email: z.optional(email()),
        first_name: z.optional(personName()),
        last_name: z.optional(personName()),
      }),
    ),
  }),
);
export type ClarificationRequest = z.infer<typeof clarificationRequestSchema>;

// ── merchant endpoints (API key) ───────────────────────────────────────────────────────────────────

const payoutBase = schema(() => ({
  amount: minorAmountSchema,
  customer: z.object({
    id: idString(),
    /** The payee's IP address, when the merchant knows it; else the merchant server's request IP is sent. */
    ip_address: z.optional(z.union([z.ipv4(), z.ipv6()], { error: 'ip.invalid' })),
  }),
  description: z.optional(text(255)),
}));

export const payoutRequestSchema = schema(() =>
  z.discriminatedUnion('method', [
    z.object({
      method: z.literal('grabpay'),
      currency: currencySchema,
      account: grabPayPayoutAccount,
      ...payoutBase,
    }),
    z.object({
      method: z.literal('advcash'),
      currency: currencySchema,
      account: advCashPayoutAccount,
      ...payoutBase,
    }),
    z.object({
      method: z.literal('jeton'),
      currency: currencySchema,
      account: z.optional(jetonPayoutAccount),
      ...payoutBase,
    }),
  ]),
);
export type PayoutRequest = z.infer<typeof payoutRequestSchema>;

export const refundRequestSchema = schema(() =>
  z.object({
    description: z
      .string({ error: 'description.required' })
      .check(z.trim(), z.minLength(1, 'description.required'), z.maxLength(255, 'text.too_long')),
    /** Absent for a full refund. The currency is the purchase's. */
    amount: z.optional(minorAmountSchema),
  }),
);
export type RefundRequest = z.infer<typeof refundRequestSchema>;

export const paymentPageRequestSchema = schema(() =>
  z.object({
    method: z.optional(methodIdSchema),
    currency: z.optional(currencySchema),
  }),
);
export type PaymentPageRequest = z.infer<typeof paymentPageRequestSchema>;

export const paymentPageResponseSchema = schema(() =>
  z.object({
    url: z.string(),
    /** Parameters for EPayWidget.run (without frame_mode, which the caller adds). */
    config: z.record(z.string(), z.union([z.string(), z.number()])),
    payment_id: z.string(),
  }),
);
export type PaymentPageResponse = z.infer<typeof paymentPageResponseSchema>;

// ── errors ─────────────────────────────────────────────────────────────────────────────────────────

export const errorBodySchema = schema(() =>
  z.object({
    error: z.object({ code: z.string(), message: z.string(), field: z.optional(z.string()) }),
  }),
);
export type ErrorBody = z.infer<typeof errorBodySchema>;

export function toFieldIssues(error: z.core.$ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join('.'),
    key: issue.message,
    message: messageText(issue.message),
  }));
}

/** The `{error}` body for a failed validation: the first issue's field and message. */
export function validationError(error: z.core.$ZodError): ErrorBody {
  const [first] = toFieldIssues(error);
  return {
    error: {
      code: 'validation_error',
      message: first ? (first.field ? `${first.field}: ${first.message}` : first.message) : 'Invalid request',
      ...(first?.field ? { field: first.field } : {}),
    },
  };
}
