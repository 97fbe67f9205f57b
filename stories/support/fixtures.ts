/**
 * Story fixtures, every one validated against the API's own schemas (src/core/api.ts) when it is built:
 * a fixture that drifts from the backend's shapes fails its stories instead of showing a state the real
 * backend could never produce.
 */
import * as z from 'zod/mini';
import {
  paymentViewSchema,
  sessionMethodSchema,
  sessionViewSchema,
  voucherSchema,
  type NextAction,
  type PaymentView,
  type SessionMethod,
  type SessionView,
  type Voucher,
} from '../../src/core/api.ts';
import { splitIntoVouchers } from '../../src/core/methods/index.ts';
import type { Currency } from '../../src/core/money.ts';

function parse<T>(schema: z.ZodMiniType<T>, value: unknown, what: string): T {
  const r = z.safeParse(schema, value);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`Invalid ${what} fixture: ${issues}`);
  }
  return r.data;
}

// ── methods, as the backend lists them for a session ───────────────────────────────────────────────

function method(value: SessionMethod): SessionMethod {
  return parse(sessionMethodSchema, value, 'session method');
}

export const METHODS = {
  /** GrabPay in the Philippines: the e-mail is required. ₱1,500.00. */
  grabpayPhp: method({
    method: 'grabpay',
    name: 'GrabPay',
    redirect: true,
    options: [{ currency: 'PHP', amount: 150_000, required: ['email'], recommended: [] }],
  }),
  /** GrabPay in Malaysia: e-mail and names recommended (else a clarification may follow). RM 45.00. */
  grabpayMyr: method({
    method: 'grabpay',
    name: 'GrabPay',
    redirect: true,
    options: [
      { currency: 'MYR', amount: 4_500, required: [], recommended: ['email', 'first_name', 'last_name'] },
    ],
  }),
  /** ADVCash over four prices: the shopper picks the currency. */
  advcash: method({
    method: 'advcash',
    name: 'ADVCash',
    redirect: true,
    options: [
      { currency: 'EUR', amount: 2_500, required: [], recommended: [] },
      { currency: 'USD', amount: 2_700, required: [], recommended: [] },
      { currency: 'UAH', amount: 112_000, required: [], recommended: [] },
      { currency: 'GBP', amount: 2_150, required: [], recommended: [] },
    ],
  }),
  /** Payco: KRW has no minor units, 35000 = ₩35,000. */
  payco: method({
    method: 'payco',
    name: 'Payco',
    redirect: true,
    options: [{ currency: 'KRW', amount: 35_000, required: [], recommended: [] }],
  }),
  /** Jeton Voucher: no redirect, the result comes by callback. €25.00. */
  jeton: method({
    method: 'jeton',
    name: 'Jeton Voucher',
    redirect: false,
    options: [{ currency: 'EUR', amount: 2_500, required: [], recommended: [] }],
  }),
} as const;

export type MethodFixture = keyof typeof METHODS;

// ── sessions ───────────────────────────────────────────────────────────────────────────────────────

export function session(id: string, overrides: Partial<SessionView> = {}): SessionView {
  const methods = overrides.methods ?? [METHODS.grabpayPhp];
  const prices =
    overrides.prices ??
    [...new Map(methods.flatMap((m) => m.options.map((o) => [o.currency, o.amount] as const))).entries()].map(
      ([currency, amount]) => ({ currency, amount }),
    );
  return parse(
    sessionViewSchema,
    {
      id,
      status: 'open',
      prices,
      description: 'Order #1042 · Trail running shoes',
      customer: { email: 'ana.santos@example.com' },
      methods,
      unavailable: [],
      return_url: 'https://shop.example/checkout/return',
      test_mode: true,
      expires_at: '2031-01-01T00:00:00.000Z',
      ...overrides,
    },
    'session',
  );
}

/** A session offering just this method. */
export function sessionFor(id: string, m: MethodFixture, overrides: Partial<SessionView> = {}): SessionView {
  return session(id, { methods: [METHODS[m]], ...overrides });
}

// ── payments ───────────────────────────────────────────────────────────────────────────────────────

const CREATED_AT = '2026-11-24T10:00:00.000Z';

export function payment(overrides: Partial<PaymentView> & Pick<PaymentView, 'id'>): PaymentView {
  return parse(
    paymentViewSchema,
    {
      type: 'purchase',
      method: 'grabpay',
      amount: 150_000,
      currency: 'PHP',
      status: 'processing',
      next_action: { type: 'wait', retry_after_ms: 400 },
      version: 1,
      created_at: CREATED_AT,
      updated_at: CREATED_AT,
      ...overrides,
    },
    'payment',
  );
}

/** The payment a method fixture would create, in the given state. */
export function paymentOf(
  m: MethodFixture,
  overrides: Partial<PaymentView> & Pick<PaymentView, 'id'>,
): PaymentView {
  const option = METHODS[m].options[0];
  if (!option) throw new Error(`${m} has no price`);
  return payment({
    method: METHODS[m].method,
    currency: option.currency,
    amount: option.amount,
    ...overrides,
  });
}

export function redirectAction(
  url: string,
  method: 'GET' | 'POST' = 'GET',
  body: Record<string, string | number | boolean | null> = {},
): NextAction {
  return { type: 'redirect', redirect: { url, method, body } };
}

export const WAIT: NextAction = { type: 'wait', retry_after_ms: 400 };
export const RESULT: NextAction = { type: 'result' };

/** The decline codes the widget explains, and one it does not know (→ the generic text). */
export const DECLINE_CODES = {
  '20101': 'The payment exceeds an amount or frequency limit',
  '20000': 'General decline',
  '20602': 'Payment timed out',
  '100': 'Decline',
  '3028': 'Project is not available',
  '99999': 'A code the widget has no text for',
} as const;

export type DeclineCode = keyof typeof DECLINE_CODES;

// ── vouchers ───────────────────────────────────────────────────────────────────────────────────────

/** Jeton payout vouchers for `amount` (minor units): 1,250.00 EUR → 500 + 500 + 250. */
export function vouchersFor(amount: number, currency: Currency): Voucher[] {
  return splitIntoVouchers(amount, currency).map((value, i) =>
    parse(
      voucherSchema,
      {
        number: `${'4093176252'}${String(180_000_001 + i * 7_919).padStart(9, '0')}`,
        expiration: `0${(i % 9) + 1}/2029`,
        security_code: String(4_817 + i * 1_111).slice(-4),
        amount: value,
        currency,
        created_at: '2026-11-24T10:05:00.000Z',
      },
      'voucher',
    ),
  );
}
