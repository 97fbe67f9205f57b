/**
 * The webhook outbox: endpoints, events, deliveries (one per event and endpoint) and their attempts.
 *
 * Events are written by triggers on `payments` and `refunds`, so an event is inserted by the very statement
 * that changes the status — the data-modifying CTE of a callback, the locked transaction, the sweeper's
 * decline — in its transaction: a backend killed after the commit still has the event, and a rolled-back
 * change never has one. No status-change statement had to learn about webhooks, and the callback's one
 * statement stays one statement. The trigger's WHEN clause is evaluated without calling the function, so
 * updates that do not change the status cost nothing; with no endpoint subscribed to the type the function
 * returns after one indexed look-up, and nothing is stored.
 *
 * `sequence` (bigserial) orders events: the status changes of one payment are made under its row lock, so
 * their sequences grow in the order the changes were committed. The times come from the changed row's
 * `updated_at` (the backend's clock, which tests may set), not the database's.
 */
import type { Migration } from '../db/migrations.ts';

/** The payment states that make an event, by payment type (see `eventTypeSql`). */
const PAYMENT_EVENT_STATES = [
  'success',
  'decline',
  'cancelled',
  'error',
  'expired',
  'awaiting_clarification',
];
const REFUND_EVENT_STATES = ['success', 'decline', 'error'];
const list = (xs: string[]) => xs.map((s) => `'${s}'`).join(', ');

/**
 * The trigger function. The migration runner splits statements at a semicolon that ends a line, so the
 * body's statements are joined on one line each (`oneLine`).
 */
const FUNCTION = `CREATE FUNCTION ecp_webhook_event() RETURNS trigger LANGUAGE plpgsql AS $body$
DECLARE event_type text; pid text; rid text; at timestamptz; seq bigint;
BEGIN
  IF TG_TABLE_NAME = 'payments' THEN
    event_type := CASE
      WHEN NEW.type = 'purchase' AND NEW.status = 'success' THEN 'payment.succeeded'
      WHEN NEW.type = 'purchase' AND NEW.status IN ('decline', 'cancelled', 'error') THEN 'payment.declined'
      WHEN NEW.type = 'purchase' AND NEW.status = 'expired' THEN 'payment.expired'
      WHEN NEW.type = 'purchase' AND NEW.status = 'awaiting_clarification' THEN 'payment.requires_action'
      WHEN NEW.type = 'payout' AND NEW.status = 'success' THEN 'payout.succeeded'
      WHEN NEW.type = 'payout' AND NEW.status IN ('decline', 'cancelled', 'error', 'expired') THEN 'payout.declined'
    END;
    pid := NEW.id;
  ELSE
    event_type := CASE WHEN NEW.status = 'success' THEN 'refund.succeeded' ELSE 'refund.declined' END;
    pid := NEW.payment_id;
    rid := NEW.id;
  END IF;
  IF event_type IS NULL OR NOT EXISTS (
    SELECT 1 FROM webhook_endpoints WHERE enabled AND event_type = ANY (event_types)
  ) THEN
    RETURN NULL;
  END IF;
  at := coalesce(NEW.updated_at, now());
  INSERT INTO webhook_events (id, type, payment_id, refund_id, snapshot, created_at)
  VALUES ('evt_' || replace(gen_random_uuid()::text, '-', ''), event_type, pid, rid, to_jsonb(NEW), at)
  RETURNING sequence INTO seq;
  INSERT INTO webhook_deliveries (event_sequence, endpoint_id, payment_id, status, due_at, created_at)
  SELECT seq, e.id, pid, 'pending', at, at FROM webhook_endpoints e
  WHERE e.enabled AND event_type = ANY (e.event_types);
  PERFORM pg_notify('ecp_payment_changed', 'webhooks');
  RETURN NULL;
END
$body$`;

/** Joins each statement of the function body onto the next line's start (see FUNCTION). */
const oneLine = (text: string) => text.replace(/;\s*\n\s*/g, '; ');

export const WEBHOOKS_MIGRATION: Migration = {
  // Numbered apart from the main list so that migrations added on other branches do not collide.
  version: 12,
  name: 'webhooks',
  sql: `
CREATE TABLE webhook_endpoints (
  id text PRIMARY KEY,
  url text NOT NULL,
  description text,
  event_types text[] NOT NULL,
  secret text NOT NULL,
  previous_secret text,
  previous_secret_expires_at timestamptz,
  enabled boolean NOT NULL DEFAULT true,
  disabled_reason text,
  max_concurrency integer NOT NULL,
  failing_since timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE webhook_events (
  sequence bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  type text NOT NULL,
  payment_id text NOT NULL,
  refund_id text,
  snapshot jsonb NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX webhook_events_payment ON webhook_events (payment_id, sequence);

CREATE TABLE webhook_deliveries (
  id bigserial PRIMARY KEY,
  event_sequence bigint NOT NULL REFERENCES webhook_events(sequence),
  endpoint_id text NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  payment_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'delivering', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  due_at timestamptz NOT NULL,
  claim text,
  last_status integer,
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL,
  UNIQUE (event_sequence, endpoint_id)
);
-- What is due per endpoint (pending: the next attempt; delivering: when the claim lapses).
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint_id, due_at, event_sequence)
  WHERE status IN ('pending', 'delivering');
-- The deliveries in flight per endpoint (its concurrency limit).
CREATE INDEX webhook_deliveries_in_flight ON webhook_deliveries (endpoint_id, due_at)
  WHERE status = 'delivering';
-- The earlier undelivered events of a payment, which hold its later ones back.
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (endpoint_id, payment_id, event_sequence)
  WHERE status IN ('pending', 'delivering');

CREATE TABLE webhook_attempts (
  id bigserial PRIMARY KEY,
  delivery_id bigint NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
  attempt integer NOT NULL,
  started_at timestamptz NOT NULL,
  duration_ms integer NOT NULL,
  response_status integer,
  response_body text,
  error text
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

${oneLine(FUNCTION)};

CREATE TRIGGER payments_webhook_insert AFTER INSERT ON payments FOR EACH ROW
  WHEN (NEW.status IN (${list(PAYMENT_EVENT_STATES)})) EXECUTE FUNCTION ecp_webhook_event();
CREATE TRIGGER payments_webhook_update AFTER UPDATE OF status ON payments FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.status IN (${list(PAYMENT_EVENT_STATES)}))
  EXECUTE FUNCTION ecp_webhook_event();
CREATE TRIGGER refunds_webhook_insert AFTER INSERT ON refunds FOR EACH ROW
  WHEN (NEW.status IN (${list(REFUND_EVENT_STATES)})) EXECUTE FUNCTION ecp_webhook_event();
CREATE TRIGGER refunds_webhook_update AFTER UPDATE OF status ON refunds FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.status IN (${list(REFUND_EVENT_STATES)}))
  EXECUTE FUNCTION ecp_webhook_event();
`,
};
