/**
 * The webhook outbox's statements: endpoints, claiming due deliveries, recording attempts, a payment's
 * webhook history and resends. The events themselves are written by the triggers of `migration.ts`, in the
 * transaction of the status change.
 *
 * Claiming is one statement, safe with several instances on one PostgreSQL (PGlite runs the same SQL on its
 * one connection): the endpoints with due deliveries are locked `FOR NO KEY UPDATE SKIP LOCKED` (another
 * instance claiming for the same endpoint skips it; the delivery inserts' foreign-key locks do not conflict
 * with that mode, so status changes never wait for a claim), at most `max_concurrency` minus the deliveries
 * in flight are taken per endpoint, and a delivery is taken only if no earlier event of its payment is still
 * undelivered to that endpoint — the order of `sequence`. A claim is a token and a deadline (`due_at`): the
 * result is recorded only by the claim's holder, and a claim whose holder died lapses and is taken again.
 * The UPDATE checks again that the delivery is still due: under READ COMMITTED the statement's snapshot may
 * predate another instance's claim that committed just before this one locked the endpoint, and only the
 * UPDATE's own conditions are re-checked on the newer row (not the `due` CTE) — without them the same
 * delivery was sent twice.
 */
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Store } from '../store/index.ts';
import {
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
  type WebhookAttemptRow,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
  type WebhookEventRow,
} from './schema.ts';

/** A delivery taken for an attempt, with what the attempt needs. */
export interface ClaimedDelivery {
  id: number;
  /** This attempt's number (1 for the first). */
  attempt: number;
  claim: string;
  createdAt: Date;
  endpointId: string;
  url: string;
  secrets: string[];
  endpointFailing: boolean;
  event: {
    id: string;
    sequence: number;
    type: WebhookEventRow['type'];
    createdAt: Date;
    snapshot: Record<string, unknown>;
  };
}

export interface AttemptResult {
  delivery: ClaimedDelivery;
  startedAt: Date;
  durationMs: number;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  /** The delivery's next state: delivered, pending again (with `dueAt`) or failed for good. */
  status: 'delivered' | 'pending' | 'failed';
  dueAt: Date;
  now: Date;
}

export interface PaymentWebhookEvent {
  event: WebhookEventRow;
  deliveries: (WebhookDeliveryRow & { url: string | null; attemptLog: WebhookAttemptRow[] })[];
}

export const CLAIM_SQL = `WITH ep AS (
  SELECT e.id, e.max_concurrency FROM webhook_endpoints e
  WHERE e.enabled AND (
    SELECT 1 FROM webhook_deliveries d
    WHERE d.endpoint_id = e.id AND d.status IN ('pending', 'delivering') AND d.due_at <= $1::timestamptz
    LIMIT 1) IS NOT NULL
  LIMIT 50
  FOR NO KEY UPDATE SKIP LOCKED
), room AS (
  SELECT ep.id, ep.max_concurrency - (
    SELECT count(*) FROM webhook_deliveries f
    WHERE f.endpoint_id = ep.id AND f.status = 'delivering' AND f.due_at > $1::timestamptz)::integer AS free
  FROM ep
), due AS (
  SELECT d.id FROM room CROSS JOIN LATERAL (
    SELECT d.id FROM webhook_deliveries d
    WHERE d.endpoint_id = room.id AND d.status IN ('pending', 'delivering') AND d.due_at <= $1::timestamptz
      AND d.event_sequence = (
        SELECT x.event_sequence FROM webhook_deliveries x
        WHERE x.endpoint_id = d.endpoint_id AND x.payment_id = d.payment_id AND x.status IN ('pending', 'delivering')
        ORDER BY x.endpoint_id, x.payment_id, x.event_sequence
        LIMIT 1)
    ORDER BY d.due_at, d.event_sequence
    LIMIT least(greatest(room.free, 0), $4::integer)
  ) d
)
UPDATE webhook_deliveries w
SET status = 'delivering', due_at = $2::timestamptz, attempts = w.attempts + 1, claim = $3::text
FROM due, webhook_events ev, webhook_endpoints en
WHERE w.id = due.id AND ev.sequence = w.event_sequence AND en.id = w.endpoint_id
  AND w.status IN ('pending', 'delivering') AND w.due_at <= $1::timestamptz
RETURNING w.id, w.attempts, w.created_at, w.endpoint_id, en.url, en.secret, en.previous_secret,
  en.previous_secret_expires_at, en.failing_since, ev.id AS event_id, ev.sequence, ev.type, ev.snapshot,
  ev.created_at AS event_created_at`;

const FINISH = `WITH d AS (
  UPDATE webhook_deliveries SET status = $3::text, due_at = $4::timestamptz, last_status = $5::integer,
    last_error = $6::text, delivered_at = $7::timestamptz, claim = NULL
  WHERE id = $1::bigint AND claim = $2::text
  RETURNING id
), a AS (
  INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, response_status, response_body, error)
  SELECT id, $8::integer, $9::timestamptz, $10::integer, $5::integer, $11::text, $6::text
  FROM webhook_deliveries WHERE id = $1::bigint
)
SELECT (SELECT count(*) FROM d)::integer AS updated`;

/** A failure: the endpoint is failing since its first failure after a success; past the limit, disabled. */
const ENDPOINT_FAILED = `UPDATE webhook_endpoints SET
  failing_since = coalesce(failing_since, $2::timestamptz),
  enabled = enabled AND coalesce(failing_since, $2::timestamptz) > $3::timestamptz,
  disabled_reason = CASE WHEN enabled AND coalesce(failing_since, $2::timestamptz) <= $3::timestamptz
    THEN $4::text ELSE disabled_reason END
WHERE id = $1::text
RETURNING enabled`;

type RawStatement = (name: string, text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * The store's named prepared statements (store.ts, \`preparedStatements\`: parsed and planned once, one call
 * into PGlite each; node-postgres named statements on PostgreSQL). The claim is planned in ~15 ms on PGlite,
 * so planning it every time would be most of its cost. Null (plain queries) if the store has none.
 */
function preparedOf(store: Store): RawStatement | null {
  const driver = (store as unknown as { driver?: { raw?: RawStatement } }).driver;
  const raw = driver?.raw;
  return typeof raw === 'function' ? raw.bind(driver) : null;
}

export class WebhookOutbox {
  private readonly raw: RawStatement | null;

  constructor(private readonly store: Store) {
    this.raw = preparedOf(store);
  }

  /** A hot statement: a named prepared statement when the store offers them, else a plain query. */
  private async hot(name: string, text: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    return this.raw ? this.raw(name, text, params) : this.query(text, params);
  }

  private async query(text: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    // Parameters bound positionally: drizzle's sql template would number them itself.
    const chunks = text.split(/\$(\d+)/);
    const parts = chunks.map((c, i) => (i % 2 === 0 ? sql.raw(c) : sql`${params[Number(c) - 1]}`));
    const r = await this.store.db.execute(sql.join(parts));
    const rows = (r as { rows?: unknown }).rows;
    return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
  }

  // ── endpoints ───────────────────────────────────────────────────────────────────────────────────

  async createEndpoint(row: WebhookEndpointRow): Promise<WebhookEndpointRow> {
    await this.store.db.insert(webhookEndpoints).values(row);
    return row;
  }

  async listEndpoints(): Promise<WebhookEndpointRow[]> {
    return this.store.db.select().from(webhookEndpoints).orderBy(asc(webhookEndpoints.createdAt));
  }

  async getEndpoint(id: string): Promise<WebhookEndpointRow | null> {
    const [row] = await this.store.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
    return row ?? null;
  }

  async updateEndpoint(id: string, set: Partial<WebhookEndpointRow>): Promise<WebhookEndpointRow | null> {
    const [row] = await this.store.db
      .update(webhookEndpoints)
      .set(set)
      .where(eq(webhookEndpoints.id, id))
      .returning();
    return row ?? null;
  }

  /** Deletes an endpoint and its deliveries (the events stay, for other endpoints and the history). */
  async deleteEndpoint(id: string): Promise<boolean> {
    const rows = await this.store.db
      .delete(webhookEndpoints)
      .where(eq(webhookEndpoints.id, id))
      .returning({ id: webhookEndpoints.id });
    return rows.length > 0;
  }

  // ── delivery ────────────────────────────────────────────────────────────────────────────────────

  /** Takes up to `limit` due deliveries for this instance until `lockUntil`. */
  async claim(now: Date, lockUntil: Date, token: string, limit: number): Promise<ClaimedDelivery[]> {
    const rows = await this.hot('ecp_wh_claim', CLAIM_SQL, [
      now.toISOString(),
      lockUntil.toISOString(),
      token,
      limit,
    ]);
    return rows.map((r) => {
      const secrets = [r.secret as string];
      const previousUntil = toDate(r.previous_secret_expires_at);
      if (r.previous_secret && previousUntil && previousUntil > now)
        secrets.push(r.previous_secret as string);
      return {
        id: Number(r.id),
        attempt: Number(r.attempts),
        claim: token,
        createdAt: toDate(r.created_at) as Date,
        endpointId: r.endpoint_id as string,
        url: r.url as string,
        secrets,
        endpointFailing: r.failing_since !== null && r.failing_since !== undefined,
        event: {
          id: r.event_id as string,
          sequence: Number(r.sequence),
          type: r.type as WebhookEventRow['type'],
          createdAt: toDate(r.event_created_at) as Date,
          snapshot: r.snapshot as Record<string, unknown>,
        },
      };
    });
  }

  /**
   * Records an attempt and the delivery's next state (only while this instance holds the claim); on a
   * failure marks the endpoint failing, and disables it once it has failed since `disableBefore`. Answers
   * whether the endpoint is still enabled.
   */
  async finish(
    r: AttemptResult,
    disableBefore: Date,
  ): Promise<{ recorded: boolean; endpointEnabled: boolean }> {
    const d = r.delivery;
    const [row] = await this.hot('ecp_wh_finish', FINISH, [
      d.id,
      d.claim,
      r.status,
      r.dueAt.toISOString(),
      r.responseStatus,
      r.error,
      r.status === 'delivered' ? r.now.toISOString() : null,
      d.attempt,
      r.startedAt.toISOString(),
      Math.round(r.durationMs),
      r.responseBody,
    ]);
    let endpointEnabled = true;
    if (r.status === 'delivered') {
      if (d.endpointFailing)
        await this.hot(
          'ecp_wh_endpoint_ok',
          `UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1::text`,
          [d.endpointId],
        );
    } else {
      const reason = `Every delivery failed since ${disableBefore.toISOString()} or earlier (last: ${r.error ?? `HTTP ${r.responseStatus}`})`;
      const [e] = await this.hot('ecp_wh_endpoint_failed', ENDPOINT_FAILED, [
        d.endpointId,
        r.now.toISOString(),
        disableBefore.toISOString(),
        reason.slice(0, 500),
      ]);
      endpointEnabled = e?.enabled === true;
    }
    return { recorded: Number(row?.updated ?? 0) > 0, endpointEnabled };
  }

  // ── history and resends (the console's payment history) ─────────────────────────────────────────

  /** A payment's webhook events, oldest first, each with its deliveries and their attempts. */
  async paymentHistory(paymentId: string): Promise<PaymentWebhookEvent[]> {
    const db = this.store.db;
    const events = await db
      .select()
      .from(webhookEvents)
      .where(eq(webhookEvents.paymentId, paymentId))
      .orderBy(asc(webhookEvents.sequence));
    if (events.length === 0) return [];
    const deliveries = await db
      .select({ d: webhookDeliveries, url: webhookEndpoints.url })
      .from(webhookDeliveries)
      .leftJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(eq(webhookDeliveries.paymentId, paymentId))
      .orderBy(asc(webhookDeliveries.id));
    const ids = deliveries.map((x) => x.d.id);
    const attempts =
      ids.length === 0
        ? []
        : await db
            .select()
            .from(webhookAttempts)
            .where(inArray(webhookAttempts.deliveryId, ids))
            .orderBy(asc(webhookAttempts.id));
    return events.map((event) => ({
      event,
      deliveries: deliveries
        .filter((x) => x.d.eventSequence === event.sequence)
        .map((x) => ({ ...x.d, url: x.url, attemptLog: attempts.filter((a) => a.deliveryId === x.d.id) })),
    }));
  }

  async getEvent(id: string): Promise<WebhookEventRow | null> {
    const [row] = await this.store.db.select().from(webhookEvents).where(eq(webhookEvents.id, id));
    return row ?? null;
  }

  /**
   * Sends an event again: to one endpoint (a new delivery if it had none), or to every endpoint it went to.
   * A delivery in flight is left alone. The retry window starts again. Answers how many were queued.
   */
  async resend(event: WebhookEventRow, endpointId: string | null, now: Date): Promise<number> {
    if (endpointId) {
      const rows = await this.query(
        `INSERT INTO webhook_deliveries (event_sequence, endpoint_id, payment_id, status, due_at, created_at)
VALUES ($1::bigint, $2::text, $3::text, 'pending', $4::timestamptz, $4::timestamptz)
ON CONFLICT (event_sequence, endpoint_id) DO UPDATE SET status = 'pending', due_at = $4::timestamptz,
  created_at = $4::timestamptz, claim = NULL
WHERE webhook_deliveries.status <> 'delivering'
RETURNING id`,
        [event.sequence, endpointId, event.paymentId, now.toISOString()],
      );
      return rows.length;
    }
    const rows = await this.store.db
      .update(webhookDeliveries)
      .set({ status: 'pending', dueAt: now, createdAt: now, claim: null })
      .where(
        and(eq(webhookDeliveries.eventSequence, event.sequence), ne(webhookDeliveries.status, 'delivering')),
      )
      .returning({ id: webhookDeliveries.id });
    return rows.length;
  }

  /** Counts by delivery status (the benchmark and tests). */
  async countDeliveries(): Promise<Record<string, number>> {
    const rows = await this.query(
      `SELECT status, count(*)::integer AS n FROM webhook_deliveries GROUP BY status`,
      [],
    );
    return Object.fromEntries(rows.map((r) => [r.status as string, Number(r.n)]));
  }
}

/** A timestamp as either driver answers it (PGlite: text; pg: a Date). */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(value as string);
}
