/** The webhook tables, for Drizzle's typed queries (the SQL that creates them: `migration.ts`). */
import { bigint, bigserial, boolean, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { WebhookEventType } from '../../core/webhooks.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  description: text('description'),
  eventTypes: text('event_types').array().$type<WebhookEventType[]>().notNull(),
  /** `whsec_<base64>`: the HMAC key is the decoded base64. */
  secret: text('secret').notNull(),
  /** After a rotation, the old secret signs too until it expires (receivers switch without a gap). */
  previousSecret: text('previous_secret'),
  previousSecretExpiresAt: ts('previous_secret_expires_at'),
  enabled: boolean('enabled').notNull(),
  disabledReason: text('disabled_reason'),
  /** At most this many deliveries to the endpoint at once, across instances. */
  maxConcurrency: integer('max_concurrency').notNull(),
  /** Since when every delivery failed (null after a success); past the limit the endpoint is disabled. */
  failingSince: ts('failing_since'),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

export const webhookEvents = pgTable('webhook_events', {
  sequence: bigserial('sequence', { mode: 'number' }).primaryKey(),
  id: text('id').notNull(),
  type: text('type').$type<WebhookEventType>().notNull(),
  paymentId: text('payment_id').notNull(),
  refundId: text('refund_id'),
  /** The payment (or refund) row as the change left it: `to_jsonb` of the row, snake_case. */
  snapshot: jsonb('snapshot').$type<Record<string, unknown>>().notNull(),
  createdAt: ts('created_at').notNull(),
});

export type DeliveryStatus = 'pending' | 'delivering' | 'delivered' | 'failed';

export const webhookDeliveries = pgTable('webhook_deliveries', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  eventSequence: bigint('event_sequence', { mode: 'number' }).notNull(),
  endpointId: text('endpoint_id').notNull(),
  paymentId: text('payment_id').notNull(),
  status: text('status').$type<DeliveryStatus>().notNull(),
  attempts: integer('attempts').notNull(),
  /** pending: when the next attempt is due; delivering: when the claim lapses (a crashed instance). */
  dueAt: ts('due_at').notNull(),
  claim: text('claim'),
  lastStatus: integer('last_status'),
  lastError: text('last_error'),
  deliveredAt: ts('delivered_at'),
  createdAt: ts('created_at').notNull(),
});

export const webhookAttempts = pgTable('webhook_attempts', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  deliveryId: bigint('delivery_id', { mode: 'number' }).notNull(),
  attempt: integer('attempt').notNull(),
  startedAt: ts('started_at').notNull(),
  durationMs: integer('duration_ms').notNull(),
  responseStatus: integer('response_status'),
  responseBody: text('response_body'),
  error: text('error'),
});

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookEventRow = typeof webhookEvents.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type WebhookAttemptRow = typeof webhookAttempts.$inferSelect;
