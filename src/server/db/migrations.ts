/**
 * Schema migrations: hand-written SQL in code, applied in order at start and recorded in
 * `schema_migrations`.
 *
 * Why not drizzle-kit's generated folder: the same list must run on PGlite and on PostgreSQL, from the
 * source tree and from any bundle, without a migrations directory to ship or a drizzle config at the
 * project root. A list of SQL strings does that, and the statements are plain PostgreSQL that both
 * engines run. Never edit an applied migration; append a new one.
 *
 * Several instances may start at once against one PostgreSQL: the whole run holds a transaction-level
 * advisory lock, so one instance migrates and the others then see the recorded versions.
 */
import { WEBHOOKS_MIGRATION } from '../webhooks/migration.ts';
import { CONSOLE_MIGRATION } from './console-migration.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Payment states that hold a session's one active payment slot (all but the unsuccessful ends). */
export const SLOT_STATES = [
  'created',
  'awaiting_redirect',
  'awaiting_clarification',
  'processing',
  'success',
  'partially_refunded',
  'refunded',
] as const;

const slotList = SLOT_STATES.map((s) => `'${s}'`).join(', ');

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE sessions (
  id text PRIMARY KEY,
  prices jsonb NOT NULL,
  customer jsonb NOT NULL,
  description text,
  methods jsonb,
  return_url text NOT NULL,
  locale text,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE payments (
  id text PRIMARY KEY,
  session_id text REFERENCES sessions(id),
  channel text NOT NULL CHECK (channel IN ('gate', 'payment_page')),
  type text NOT NULL CHECK (type IN ('purchase', 'payout')),
  method text,
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL,
  status text NOT NULL,
  version integer NOT NULL DEFAULT 1,
  idem_scope text NOT NULL,
  idempotency_key text,
  fingerprint text,
  customer_id text NOT NULL,
  description text,
  gate_state text NOT NULL,
  send_attempts integer NOT NULL DEFAULT 0,
  sending_since timestamptz,
  request_id text,
  redirect jsonb,
  clarification_fields jsonb,
  clarification_sent boolean NOT NULL DEFAULT false,
  vouchers jsonb,
  code text,
  message text,
  refunded_amount bigint NOT NULL DEFAULT 0,
  status_checked_at timestamptz,
  last_callback_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
-- A double click or a retried request with the same Idempotency-Key finds the first payment.
CREATE UNIQUE INDEX payments_idempotency ON payments (idem_scope, idempotency_key);
-- One payment in progress (or paid) per session, whatever the keys: never a second charge.
CREATE UNIQUE INDEX payments_one_active_per_session ON payments (session_id)
  WHERE channel = 'gate' AND type = 'purchase' AND status IN (${slotList});
CREATE INDEX payments_open ON payments (status_checked_at)
  WHERE status IN ('created', 'awaiting_redirect', 'awaiting_clarification', 'processing');
CREATE INDEX payments_list ON payments (created_at DESC, id DESC);
CREATE INDEX payments_session ON payments (session_id, created_at DESC);

CREATE TABLE callbacks (
  id bigserial PRIMARY KEY,
  dedup_key text NOT NULL UNIQUE,
  source text NOT NULL,
  payment_id text,
  operation_type text,
  payment_status text,
  raw_body text NOT NULL,
  applied boolean NOT NULL,
  received_at timestamptz NOT NULL
);
CREATE INDEX callbacks_payment ON callbacks (payment_id);

CREATE TABLE refunds (
  id text PRIMARY KEY,
  payment_id text NOT NULL REFERENCES payments(id),
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL,
  "full" boolean NOT NULL,
  description text NOT NULL,
  status text NOT NULL,
  request_id text,
  idempotency_key text,
  code text,
  message text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX refunds_request_id ON refunds (request_id) WHERE request_id IS NOT NULL;
CREATE UNIQUE INDEX refunds_idempotency ON refunds (payment_id, idempotency_key);
CREATE INDEX refunds_payment ON refunds (payment_id, created_at);
`,
  },
  {
    version: 2,
    name: 'payment_review',
    // Why a payment is held for a person to look at (a callback's sum or currency that is not the
    // payment's); null when nothing is held.
    sql: `ALTER TABLE payments ADD COLUMN IF NOT EXISTS review_reason text;`,
  },
  WEBHOOKS_MIGRATION,
  CONSOLE_MIGRATION,
];

/** An arbitrary constant: the advisory lock key migrations hold. */
export const MIGRATION_LOCK_KEY = 4_780_112_233;
