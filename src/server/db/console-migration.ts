/**
 * The merchant console's migration: indexes for the payment search, and the bulk payout/refund tables.
 * Appended to `MIGRATIONS` (kept in its own file so that other additions to the list merge cleanly). Its
 * version leaves room below it for migrations written at the same time on other branches; the list is
 * applied in order, each version once.
 */
import type { Migration } from './migrations.ts';

export const CONSOLE_MIGRATION: Migration = {
  version: 20,
  name: 'console_search_and_bulk',
  sql: `
-- Search: a customer's e-mail (sessions hold it), an amount, and the filters with the list's own order.
CREATE INDEX sessions_customer_email ON sessions ((lower(customer->>'email')));
CREATE INDEX payments_amount ON payments (amount, created_at DESC, id DESC);
CREATE INDEX payments_method_list ON payments (method, created_at DESC, id DESC);
CREATE INDEX payments_status_list ON payments (status, created_at DESC, id DESC);
CREATE INDEX payments_type_list ON payments (type, created_at DESC, id DESC);
CREATE INDEX refunds_list ON refunds (created_at DESC, id DESC);
CREATE INDEX refunds_amount ON refunds (amount, created_at DESC, id DESC);

CREATE TABLE bulk_batches (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('payout', 'refund')),
  batch_key text NOT NULL,
  file_name text,
  file_sha256 text NOT NULL,
  client_ip text NOT NULL,
  total_rows integer NOT NULL,
  errors jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX bulk_batches_key ON bulk_batches (kind, batch_key);
CREATE INDEX bulk_batches_list ON bulk_batches (created_at DESC, id DESC);

CREATE TABLE bulk_rows (
  batch_id text NOT NULL REFERENCES bulk_batches(id),
  line integer NOT NULL,
  idempotency_key text NOT NULL,
  request jsonb NOT NULL,
  state text NOT NULL CHECK (state IN ('queued', 'sending', 'done', 'failed')),
  payment_id text,
  refund_id text,
  repeated integer NOT NULL DEFAULT 0,
  code text,
  message text,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (batch_id, line)
);
CREATE INDEX bulk_rows_open ON bulk_rows (batch_id, line) WHERE state IN ('queued', 'sending');
`,
};
