/**
 * The tables, for Drizzle's typed queries. The SQL that creates them is in `migrations.ts` (hand-written,
 * applied at start); keep the two in step.
 */
import { bigint, bigserial, boolean, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { Customer, Money } from '../../core/api.ts';
import type { MethodId } from '../../core/methods/index.ts';
import type { PaymentState } from '../../core/status.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(),
  prices: jsonb('prices').$type<Money[]>().notNull(),
  customer: jsonb('customer').$type<Customer>().notNull(),
  description: text('description'),
  methods: jsonb('methods').$type<MethodId[]>(),
  returnUrl: text('return_url').notNull(),
  locale: text('locale'),
  expiresAt: ts('expires_at').notNull(),
  createdAt: ts('created_at').notNull(),
});

/** A redirect as the Gate sent it (checked again with the redirect policy before a browser sees it). */
export interface StoredRedirect {
  url: string;
  method: string;
  body: Record<string, string | number | boolean | null>;
}

/** A payout's vouchers encrypted at rest (AES-256-GCM, base64 fields; see `voucher-crypto.ts`). */
export interface SealedVouchers {
  kid: string;
  iv: string;
  tag: string;
  data: string;
}

export interface StoredVoucher {
  number: string;
  expiration: string;
  security_code: string;
  amount?: number;
  currency?: string;
  created_at?: string;
}

/**
 * How far the Gate request got:
 * - `pending`: being sent (`sending_since` says since when; a stale one may be taken over);
 * - `accepted`: the Gate answered success (or 3041 to a re-send);
 * - `retryable`: a 5xx, a timeout or a network error — the outcome is unknown; a retry re-sends the same
 *   Gate payment_id, and the status sweeper asks the Gate;
 * - `rejected`: the Gate refused the request (the payment is final with the Gate's code);
 * - `payment_page`: created for the Payment Page, which sends its own request.
 */
export type GateState = 'pending' | 'accepted' | 'retryable' | 'rejected' | 'payment_page';

export const payments = pgTable('payments', {
  id: text('id').primaryKey(),
  sessionId: text('session_id'),
  channel: text('channel').$type<'gate' | 'payment_page'>().notNull(),
  type: text('type').$type<'purchase' | 'payout'>().notNull(),
  method: text('method').$type<MethodId>(),
  amount: bigint('amount', { mode: 'number' }).notNull(),
  currency: text('currency').notNull(),
  status: text('status').$type<PaymentState>().notNull(),
  version: integer('version').notNull(),
  idemScope: text('idem_scope').notNull(),
  idempotencyKey: text('idempotency_key'),
  fingerprint: text('fingerprint'),
  customerId: text('customer_id').notNull(),
  description: text('description'),
  gateState: text('gate_state').$type<GateState>().notNull(),
  sendAttempts: integer('send_attempts').notNull(),
  sendingSince: ts('sending_since'),
  requestId: text('request_id'),
  redirect: jsonb('redirect').$type<StoredRedirect>(),
  clarificationFields: jsonb('clarification_fields').$type<Record<string, string[]>>(),
  clarificationSent: boolean('clarification_sent').notNull(),
  // Sealed since vouchers are encrypted at rest; an array in rows written before (read as they are).
  vouchers: jsonb('vouchers').$type<SealedVouchers | StoredVoucher[]>(),
  code: text('code'),
  message: text('message'),
  refundedAmount: bigint('refunded_amount', { mode: 'number' }).notNull(),
  statusCheckedAt: ts('status_checked_at'),
  lastCallbackAt: ts('last_callback_at'),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  /** Held for review: why (e.g. a callback's sum is not the payment's); null when nothing is held. */
  reviewReason: text('review_reason'),
});

export const callbacks = pgTable('callbacks', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  /** SHA-256 of the raw body: the same callback delivered again is stored once. */
  dedupKey: text('dedup_key').notNull(),
  source: text('source').$type<'callback' | 'status'>().notNull(),
  paymentId: text('payment_id'),
  operationType: text('operation_type'),
  paymentStatus: text('payment_status'),
  rawBody: text('raw_body').notNull(),
  /** Whether it changed the payment (false for repeats and out-of-order ones). */
  applied: boolean('applied').notNull(),
  receivedAt: ts('received_at').notNull(),
});

export type RefundStatus = 'sending' | 'pending' | 'unknown' | 'success' | 'decline' | 'error';

export const refunds = pgTable('refunds', {
  id: text('id').primaryKey(),
  paymentId: text('payment_id').notNull(),
  amount: bigint('amount', { mode: 'number' }).notNull(),
  currency: text('currency').notNull(),
  /** Whether the Gate request named no amount (a full refund). */
  full: boolean('full').notNull(),
  description: text('description').notNull(),
  status: text('status').$type<RefundStatus>().notNull(),
  requestId: text('request_id'),
  idempotencyKey: text('idempotency_key'),
  code: text('code'),
  message: text('message'),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

export type SessionRow = typeof sessions.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;
export type NewPaymentRow = typeof payments.$inferInsert;
export type CallbackRow = typeof callbacks.$inferSelect;
export type RefundRow = typeof refunds.$inferSelect;
