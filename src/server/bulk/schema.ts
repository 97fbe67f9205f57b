/**
 * Tables of bulk payouts and refunds (the SQL is the `console_search_and_bulk` migration in
 * `db/console-migration.ts`; keep the two in step).
 */
import { integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export type BatchKind = 'payout' | 'refund';
/** A row's run: `queued` → `sending` → `done` (the API answered; the payment's own status says the rest) or `failed`. */
export type BatchRowState = 'queued' | 'sending' | 'done' | 'failed';

export interface RowIssue {
  line: number;
  field?: string;
  message: string;
}

export const bulkBatches = pgTable('bulk_batches', {
  id: text('id').primaryKey(),
  kind: text('kind').$type<BatchKind>().notNull(),
  /** The client's Idempotency-Key, else the file's SHA-256: the same upload finds the same batch. */
  batchKey: text('batch_key').notNull(),
  fileName: text('file_name'),
  fileSha256: text('file_sha256').notNull(),
  /** The uploader's IP, sent to the Gate as the payee's for payouts (the row's request never holds it). */
  clientIp: text('client_ip').notNull(),
  totalRows: integer('total_rows').notNull(),
  /** The rows refused by validation (with their line numbers); they are never run. */
  errors: jsonb('errors').$type<RowIssue[]>().notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

export const bulkRows = pgTable(
  'bulk_rows',
  {
    batchId: text('batch_id').notNull(),
    line: integer('line').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** The validated request: a payout request, or `{payment_id, amount?, description}`. */
    request: jsonb('request').$type<Record<string, unknown>>().notNull(),
    state: text('state').$type<BatchRowState>().notNull(),
    paymentId: text('payment_id'),
    refundId: text('refund_id'),
    /** Whether the API found an earlier payout/refund with this row's key (nothing was paid again). */
    repeated: integer('repeated').notNull(),
    code: text('code'),
    message: text('message'),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.line] })],
);

export type BatchRow = typeof bulkBatches.$inferSelect;
export type BulkRowRow = typeof bulkRows.$inferSelect;
