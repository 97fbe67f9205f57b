/**
 * The store: one module over Drizzle that serves PGlite (embedded; file-backed, or in memory for tests)
 * and PostgreSQL (`DATABASE_URL`). Every write that matters is one transaction; unique indexes do the
 * idempotency work, so several instances can share one PostgreSQL without in-process state.
 *
 * Change notifications: a transaction that changes a payment visibly calls `pg_notify` (delivered at
 * commit, so a listener never sees uncommitted data). On PostgreSQL every instance LISTENs, so a callback
 * stored by one instance wakes the long-polls held by another. PGlite has one process by nature: the
 * in-process emitter is enough. Every instance also emits locally after commit; a waiter that is woken
 * twice just reads the row again.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { and, asc, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PGlite, protocol } from '@electric-sql/pglite';
import type { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { Database } from './config.ts';
import { MIGRATION_LOCK_KEY, MIGRATIONS } from './db/migrations.ts';
import * as schema from './db/schema.ts';
import { callbacks, payments, refunds, sessions } from './db/schema.ts';
import type { NewPaymentRow, PaymentRow, RefundRow, RefundStatus, SessionRow } from './db/schema.ts';
import type { Logger } from './logger.ts';
import { applyUpdate, refundResult, type GateUpdate, type PaymentPatch } from './updates.ts';

type Schema = typeof schema;
type Db = PgDatabase<PgQueryResultHKT, Schema>;
type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
type Exec = Db | Tx;

export const NOTIFY_CHANNEL = 'ecp_payment_changed';

/**
 * PGlite runs Postgres inside this process, so its buffers are this process's memory. Postgres's default of
 * 128 MB of shared buffers made a third of the backend's RSS; the pages also sit in the OS page cache (a
 * file-backed data dir) or in memory already (memory://), so 16 MB costs no measurable throughput and ~120 MB
 * less RSS (scripts/bench/backend.mjs).
 */
export const PGLITE_SETTINGS = ['-c', 'shared_buffers=16MB'];

export const OPEN_STATES = ['created', 'awaiting_redirect', 'awaiting_clarification', 'processing'] as const;

interface Driver {
  kind: 'pglite' | 'postgres';
  db: Db;
  /**
   * One parameterised statement straight to the client, for the hot paths (see `HOT` below). `name` makes it
   * a prepared statement on PostgreSQL (parsed and planned once per connection); PGlite has no statement
   * cache to keep one in.
   */
  raw(name: string, text: string, params: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export interface StoreOptions {
  log?: Logger | undefined;
}

export interface RecordResult {
  /** The same raw body was stored before: nothing was done again. */
  duplicate: boolean;
  /** Whether the payment changed visibly. */
  applied: boolean;
  payment: PaymentRow | null;
}

export type RefundCheck =
  | { ok: true; refund: RefundRow; payment: PaymentRow; created: boolean }
  | {
      ok: false;
      code: 'not_found' | 'not_refundable' | 'exceeds_remaining';
      message: string;
      remaining?: number;
    };

export interface GateMessageInput {
  rawBody: string;
  dedupKey: string;
  source: 'callback' | 'status';
  update: GateUpdate;
  now: Date;
  newRefundId: () => string;
}

export interface ListQuery {
  limit: number;
  cursor?: { createdAt: Date; id: string } | undefined;
  type?: 'purchase' | 'payout' | undefined;
  status?: string | undefined;
  sessionId?: string | undefined;
}

export class Store {
  private readonly emitter = new EventEmitter();
  private listener: { close(): Promise<void> } | null = null;
  private closed = false;

  private constructor(
    private readonly driver: Driver,
    private readonly databaseUrl: string | null,
    private readonly log: Logger | undefined,
  ) {
    this.emitter.setMaxListeners(0);
  }

  get kind(): 'pglite' | 'postgres' {
    return this.driver.kind;
  }

  get db(): Db {
    return this.driver.db;
  }

  /** Opens the database and applies pending migrations. */
  static async open(database: Database, options: StoreOptions = {}): Promise<Store> {
    let store: Store;
    if (database.kind === 'postgres') {
      const { default: pg } = await import('pg');
      const { drizzle } = await import('drizzle-orm/node-postgres');
      const pool = new pg.Pool({ connectionString: database.url, max: 10 });
      pool.on('error', (error) => options.log?.error('db.pool_error', { error: error.message }));
      const db = drizzle({ client: pool, schema }) as unknown as Db;
      const raw = async (name: string, text: string, values: unknown[]) =>
        (await pool.query<Record<string, unknown>>({ name, text, values })).rows;
      store = new Store({ kind: 'postgres', db, raw, close: () => pool.end() }, database.url, options.log);
    } else {
      const { PGlite, protocol } = await import('@electric-sql/pglite');
      const { drizzle } = await import('drizzle-orm/pglite');
      if (database.dataDir) mkdirSync(database.dataDir, { recursive: true });
      const startParams = [...PGlite.defaultStartParams, ...PGLITE_SETTINGS];
      const client = database.dataDir
        ? await PGlite.create({ dataDir: database.dataDir, startParams })
        : await PGlite.create({ startParams });
      store = new Store(pgliteDriver(client, drizzle, protocol.serialize), null, options.log);
    }
    return Store.init(store);
  }

  /** Wraps an open PGlite (e.g. one loaded from a data-dir dump) and migrates it; `close()` closes it. */
  static async fromPglite(client: PGlite, options: StoreOptions = {}): Promise<Store> {
    const { drizzle } = await import('drizzle-orm/pglite');
    const { protocol } = await import('@electric-sql/pglite');
    return Store.init(new Store(pgliteDriver(client, drizzle, protocol.serialize), null, options.log));
  }

  private static async init(store: Store): Promise<Store> {
    try {
      await store.migrate();
      if (store.databaseUrl) await store.listen(store.databaseUrl);
    } catch (error) {
      await store.driver.close().catch(() => undefined);
      throw error;
    }
    return store;
  }

  /** Applies the migrations not yet recorded; returns their versions. */
  async migrate(): Promise<number[]> {
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
      await tx.execute(
        sql`create table if not exists schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())`,
      );
      const done = await tx.execute(sql`select version from schema_migrations`);
      const applied = new Set((rowsOf(done) as { version: number }[]).map((r) => Number(r.version)));
      const ran: number[] = [];
      for (const m of MIGRATIONS) {
        if (applied.has(m.version)) continue;
        for (const statement of splitStatements(m.sql)) await tx.execute(sql.raw(statement));
        await tx.execute(sql`insert into schema_migrations (version, name) values (${m.version}, ${m.name})`);
        ran.push(m.version);
      }
      if (ran.length > 0) this.log?.info('db.migrated', { versions: ran, driver: this.kind });
      return ran;
    });
  }

  private async listen(url: string): Promise<void> {
    const { default: pg } = await import('pg');
    let client: InstanceType<typeof pg.Client> | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    const connect = async (): Promise<void> => {
      const c = new pg.Client({ connectionString: url });
      c.on('notification', (msg) => {
        if (msg.channel === NOTIFY_CHANNEL && msg.payload) this.emitter.emit(msg.payload);
      });
      c.on('error', (error) => {
        // Long-polls still end at their timeout and read the row, so a lost listener costs latency only.
        this.log?.warn('db.listener_error', { error: error.message });
        void c.end().catch(() => undefined);
        if (client === c) client = null;
        if (!this.closed && !retry) {
          retry = setTimeout(() => {
            retry = null;
            void connect().catch((e: unknown) =>
              this.log?.warn('db.listener_reconnect_failed', { error: String(e) }),
            );
          }, 1000);
          retry.unref();
        }
      });
      await c.connect();
      await c.query(`LISTEN ${NOTIFY_CHANNEL}`);
      client = c;
    };
    await connect();
    this.listener = {
      close: async () => {
        if (retry) clearTimeout(retry);
        const c = client;
        client = null;
        await c?.end().catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.listener?.close();
    await this.driver.close();
  }

  async health(): Promise<boolean> {
    const r = await this.db.execute(sql`select 1 as ok`);
    return (rowsOf(r) as { ok: number }[])[0]?.ok === 1;
  }

  /** Calls `fn` when payment `id` changes (here or, on PostgreSQL, in another instance). */
  subscribe(id: string, fn: () => void): () => void {
    this.emitter.on(id, fn);
    return () => this.emitter.off(id, fn);
  }

  private async notify(tx: Exec, id: string): Promise<void> {
    if (this.kind === 'postgres') await tx.execute(sql`select pg_notify(${NOTIFY_CHANNEL}, ${id})`);
  }

  private emitLocal(id: string): void {
    // On PostgreSQL the LISTEN connection echoes our own notifications too; emitting now saves the round trip.
    queueMicrotask(() => this.emitter.emit(id));
  }

  // ── sessions ────────────────────────────────────────────────────────────────────────────────────

  async insertSession(row: SessionRow): Promise<void> {
    await this.db.insert(sessions).values(row);
  }

  async getSession(id: string): Promise<SessionRow | null> {
    const [row] = await this.driver.raw('ecp_session_by_id', HOT.sessionById, [id]);
    return row ? sessionFromRow(row) : null;
  }

  // ── payments ────────────────────────────────────────────────────────────────────────────────────

  /** Inserts a payment; null when a unique index (idempotency key, one active per session) refuses it. */
  async insertPayment(row: NewPaymentRow): Promise<PaymentRow | null> {
    // The row is what was written: no need to read 29 columns back.
    const complete = completePaymentRow(row);
    const inserted = await this.driver.raw(
      'ecp_insert_payment',
      HOT.insertPayment,
      PAYMENT_COLUMNS.map(([key, kind]) => toParam(complete[key], kind)),
    );
    return inserted.length > 0 ? complete : null;
  }

  async getPayment(id: string): Promise<PaymentRow | null> {
    const [row] = await this.driver.raw('ecp_payment_by_id', HOT.paymentById, [id]);
    return row ? paymentFromRow(row) : null;
  }

  async findByIdempotencyKey(scope: string, key: string): Promise<PaymentRow | null> {
    const [row] = await this.db
      .select()
      .from(payments)
      .where(and(eq(payments.idemScope, scope), eq(payments.idempotencyKey, key)))
      .limit(1);
    return row ?? null;
  }

  /** The session's payment that holds its one active slot (in progress or paid), if any. */
  async findSlotPayment(sessionId: string): Promise<PaymentRow | null> {
    const [row] = await this.db
      .select()
      .from(payments)
      .where(
        and(
          eq(payments.sessionId, sessionId),
          eq(payments.channel, 'gate'),
          eq(payments.type, 'purchase'),
          inArray(payments.status, [...OPEN_STATES, 'success', 'partially_refunded', 'refunded']),
        ),
      )
      .limit(1);
    return row ?? null;
  }

  async latestSessionPayment(sessionId: string): Promise<PaymentRow | null> {
    const [row] = await this.db
      .select()
      .from(payments)
      .where(eq(payments.sessionId, sessionId))
      .orderBy(desc(payments.createdAt), desc(payments.id))
      .limit(1);
    return row ?? null;
  }

  async sessionPaid(sessionId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: payments.id })
      .from(payments)
      .where(
        and(
          eq(payments.sessionId, sessionId),
          inArray(payments.status, ['success', 'partially_refunded', 'refunded']),
        ),
      )
      .limit(1);
    return row !== undefined;
  }

  /**
   * Read-modify-write of one payment under its row lock. `fn` returns the patch (or null for none); the
   * version grows when the patch is visible, and waiters are woken after commit.
   */
  async mutatePayment(
    id: string,
    now: Date,
    fn: (p: PaymentRow) => Pick<PaymentPatch, 'changes' | 'visible'> | null,
  ): Promise<PaymentRow | null> {
    let notifyId: string | null = null;
    const result = await this.db.transaction(async (tx) => {
      const [p] = await tx.select().from(payments).where(eq(payments.id, id)).for('update');
      if (!p) return null;
      const patch = fn(p);
      if (!patch) return p;
      const updated = await this.writePatch(tx, p, patch, now);
      if (patch.visible) notifyId = p.id;
      return updated;
    });
    if (notifyId) this.emitLocal(notifyId);
    return result;
  }

  private async writePatch(
    tx: Tx,
    p: PaymentRow,
    patch: Pick<PaymentPatch, 'changes' | 'visible'>,
    now: Date,
    extra: Partial<PaymentRow> = {},
  ): Promise<PaymentRow> {
    const set: Partial<PaymentRow> = { ...patch.changes, ...extra };
    if (patch.visible) {
      set.version = p.version + 1;
      set.updatedAt = now;
    }
    for (const key of Object.keys(set) as (keyof PaymentRow)[]) if (set[key] === undefined) delete set[key];
    if (Object.keys(set).length === 0) return p;
    // The row is locked (SELECT … FOR UPDATE): the new row is the old one with these changes.
    await tx.update(payments).set(set).where(eq(payments.id, p.id));
    if (patch.visible) await this.notify(tx, p.id);
    return { ...p, ...set };
  }

  /**
   * The Gate took a send whose acceptance changes nothing the shopper sees (a redirect purchase): one
   * statement, evaluated on the row as it is (a callback may have come first), no version, no notification.
   */
  async markAccepted(id: string, requestId: string | null, known?: PaymentRow): Promise<PaymentRow | null> {
    // Only what can have changed since the row the caller has (`known`, as it was written) comes back; when
    // anything else did (a callback moved the version, another send was claimed), or there is no such row
    // at hand, the row is read.
    const [r] = await this.driver.raw('ecp_mark_accepted', HOT.markAccepted, [id, requestId || null]);
    if (!r) return null;
    if (!known || Number(r.version) !== known.version || Number(r.send_attempts) !== known.sendAttempts)
      return this.getPayment(id);
    return {
      ...known,
      sendingSince: null,
      gateState: r.gate_state as PaymentRow['gateState'],
      requestId: (r.request_id as string | null) ?? null,
      statusCheckedAt: toDate(r.status_checked_at),
      lastCallbackAt: toDate(r.last_callback_at),
    };
  }

  /**
   * Takes over sending the Gate request of a payment whose last send failed (or was abandoned, e.g. by a
   * crashed instance): at most one caller wins.
   */
  async claimSend(id: string, now: Date, staleBefore: Date): Promise<PaymentRow | null> {
    const [row] = await this.db
      .update(payments)
      .set({ gateState: 'pending', sendingSince: now, sendAttempts: sql`${payments.sendAttempts} + 1` })
      .where(
        and(
          eq(payments.id, id),
          inArray(payments.status, [...OPEN_STATES]),
          or(
            eq(payments.gateState, 'retryable'),
            and(eq(payments.gateState, 'pending'), lt(payments.sendingSince, staleBefore)),
          ),
        ),
      )
      .returning();
    return row ?? null;
  }

  /** Claims the right to ask the Gate for this payment's status now (one instance at a time). */
  async claimStatusCheck(id: string, now: Date, checkedBefore: Date): Promise<boolean> {
    const rows = await this.db
      .update(payments)
      .set({ statusCheckedAt: now })
      .where(
        and(
          eq(payments.id, id),
          inArray(payments.status, [...OPEN_STATES]),
          or(isNull(payments.statusCheckedAt), lt(payments.statusCheckedAt, checkedBefore)),
        ),
      )
      .returning({ id: payments.id });
    return rows.length > 0;
  }

  /** Payments created before `createdBefore` still waiting for a result, least recently checked first. */
  async openPayments(limit: number, createdBefore: Date): Promise<PaymentRow[]> {
    return this.db
      .select()
      .from(payments)
      .where(and(inArray(payments.status, [...OPEN_STATES]), lt(payments.createdAt, createdBefore)))
      .orderBy(sql`${payments.statusCheckedAt} asc nulls first`, asc(payments.createdAt))
      .limit(limit);
  }

  async listPayments(q: ListQuery): Promise<PaymentRow[]> {
    const where: SQL[] = [];
    if (q.type) where.push(eq(payments.type, q.type));
    if (q.status) where.push(eq(payments.status, q.status as PaymentRow['status']));
    if (q.sessionId) where.push(eq(payments.sessionId, q.sessionId));
    if (q.cursor)
      where.push(
        sql`(${payments.createdAt}, ${payments.id}) < (${q.cursor.createdAt.toISOString()}::timestamptz, ${q.cursor.id})`,
      );
    return this.db
      .select()
      .from(payments)
      .where(where.length > 0 ? and(...where) : undefined)
      .orderBy(desc(payments.createdAt), desc(payments.id))
      .limit(q.limit);
  }

  // ── callbacks and status answers ───────────────────────────────────────────────────────────────

  /**
   * Stores a verified Gate message (raw body) and applies it to its payment, in one transaction: the
   * caller answers 200 only after this resolves. A body stored before is a repeat: nothing more is done.
   */
  async recordGateMessage(input: GateMessageInput): Promise<RecordResult> {
    const fast = await this.recordGateMessageFast(input);
    return fast ?? this.recordGateMessageLocked(input);
  }

  /**
   * The usual callback in one statement after one read, instead of a transaction of five (`BEGIN`, the
   * locked read, the insert, the update, `COMMIT`): every statement is a round trip into PGlite's engine on
   * the backend's one thread, and this was most of what a callback cost. The patch is computed from the row
   * as read, without a lock; the statement (`HOT.recordCallback`) then locks the row, and stores the body
   * and applies the patch only if the row still has what the patch was computed from — otherwise nothing is
   * written and the locked transaction below does it all again. Atomic without BEGIN/COMMIT: a single
   * statement is its own transaction, and its `pg_notify` (PostgreSQL) is delivered at its commit.
   *
   * Null when this path does not apply (refund results, patches of other columns, or the row changed since
   * it was read); the caller then takes the locked path.
   */
  private async recordGateMessageFast(input: GateMessageInput): Promise<RecordResult | null> {
    const { update, now } = input;
    if (refundResult(update)) return null;
    const p = update.paymentId ? await this.getPayment(update.paymentId) : null;
    if (!p) {
      // Nothing to apply (a payment we do not know, or a message without an id): store it, once.
      const stored = await this.driver.raw('ecp_insert_callback', HOT.insertCallback, [
        input.dedupKey,
        input.source,
        update.paymentId ?? null,
        update.operation?.type ?? null,
        update.rawStatus ?? null,
        input.rawBody,
        false,
        now.toISOString(),
      ]);
      return { duplicate: stored.length === 0, applied: false, payment: null };
    }
    const patch = applyUpdate(p, update);
    const set: Partial<PaymentRow> = { ...patch.changes };
    if (input.source === 'callback') set.lastCallbackAt = now;
    if (patch.visible) {
      set.version = p.version + 1;
      set.updatedAt = now;
    }
    for (const key of Object.keys(set) as (keyof PaymentRow)[]) {
      if (set[key] === undefined) delete set[key];
      // The statement sets these columns only, and never to null (coalesce keeps a column as it is).
      else if (!FAST_PATCH_COLUMNS.has(key) || set[key] === null) return null;
    }
    const params: unknown[] = [
      p.id,
      p.version,
      p.gateState,
      p.sendAttempts,
      p.requestId,
      p.statusCheckedAt?.toISOString() ?? null,
      input.dedupKey,
      input.source,
      update.operation?.type ?? null,
      update.rawStatus ?? null,
      input.rawBody,
      patch.visible,
      now.toISOString(),
      set.status ?? null,
      set.redirect ? JSON.stringify(set.redirect) : null,
      set.clarificationFields ? JSON.stringify(set.clarificationFields) : null,
      set.clarificationSent ?? null,
      set.code ?? null,
      set.message ?? null,
      set.vouchers ? JSON.stringify(set.vouchers) : null,
      set.requestId ?? null,
      set.method ?? null,
      set.gateState ?? null,
      set.version ?? null,
      set.updatedAt?.toISOString() ?? null,
      set.lastCallbackAt?.toISOString() ?? null,
    ];
    const notify = this.kind === 'postgres' && patch.visible;
    const [r] = notify
      ? await this.driver.raw('ecp_record_callback_notify', HOT.recordCallbackNotify, [
          ...params,
          NOTIFY_CHANNEL,
        ])
      : await this.driver.raw('ecp_record_callback', HOT.recordCallback, params);
    if (!r || Number(r.matched) === 0) return null;
    // The row was as read, and this body was stored before: a repeat, nothing was done.
    if (Number(r.updated) === 0) return { duplicate: true, applied: false, payment: p };
    if (patch.visible) this.emitLocal(p.id);
    return { duplicate: false, applied: patch.visible, payment: { ...p, ...set } };
  }

  /** Stores and applies a Gate message in one transaction under the payment's row lock. */
  private async recordGateMessageLocked(input: GateMessageInput): Promise<RecordResult> {
    const { update, now } = input;
    let notifyId: string | null = null;
    const result = await this.db.transaction(async (tx): Promise<RecordResult> => {
      // Lock the payment first: the patch is known before the body is stored, so the stored row says
      // whether it was applied without a second write.
      const [p] = update.paymentId
        ? await tx.select().from(payments).where(eq(payments.id, update.paymentId)).for('update')
        : [];
      const patch = p ? applyUpdate(p, update) : null;
      const refundOutcome = p ? refundResult(update) : null;
      const [stored] = await tx
        .insert(callbacks)
        .values({
          dedupKey: input.dedupKey,
          source: input.source,
          paymentId: update.paymentId ?? null,
          operationType: update.operation?.type ?? null,
          paymentStatus: update.rawStatus ?? null,
          rawBody: input.rawBody,
          applied: !refundOutcome && (patch?.visible ?? false),
          receivedAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: callbacks.id });
      // A body stored before is a repeat: nothing more is done.
      if (!stored) return { duplicate: true, applied: false, payment: p ?? null };
      if (!p || !patch) return { duplicate: false, applied: false, payment: null };

      if (refundOutcome) {
        await this.applyRefundResult(tx, p, update, refundOutcome.status, now, input.newRefundId);
        const refunded = await this.refundedSum(tx, p.id);
        if (refunded !== p.refundedAmount) {
          patch.changes.refundedAmount = refunded;
          patch.visible = true;
        }
        if (patch.visible)
          await tx.update(callbacks).set({ applied: true }).where(eq(callbacks.id, stored.id));
      }
      const extra: Partial<PaymentRow> = input.source === 'callback' ? { lastCallbackAt: now } : {};
      const updated = await this.writePatch(tx, p, patch, now, extra);
      if (patch.visible) notifyId = p.id;
      return { duplicate: false, applied: patch.visible, payment: updated };
    });
    if (notifyId) this.emitLocal(notifyId);
    return result;
  }

  private async refundedSum(tx: Tx, paymentId: string): Promise<number> {
    const r = await tx
      .select({ total: sql<string | number | null>`coalesce(sum(${refunds.amount}), 0)` })
      .from(refunds)
      .where(and(eq(refunds.paymentId, paymentId), eq(refunds.status, 'success')));
    return Number(r[0]?.total ?? 0);
  }

  /** Matches a refund callback to its refund (by request_id, else the oldest unanswered one of that amount). */
  private async applyRefundResult(
    tx: Tx,
    p: PaymentRow,
    u: GateUpdate,
    status: 'success' | 'decline' | 'error',
    now: Date,
    newRefundId: () => string,
  ): Promise<void> {
    const op = u.operation ?? {};
    const set = {
      status: status as RefundStatus,
      code: op.code ?? u.code ?? null,
      message: op.message ?? u.message ?? null,
      updatedAt: now,
    };
    const unanswered: RefundStatus[] = ['sending', 'pending', 'unknown'];
    if (op.requestId) {
      const [byRequest] = await tx
        .select()
        .from(refunds)
        .where(and(eq(refunds.paymentId, p.id), eq(refunds.requestId, op.requestId)))
        .for('update');
      if (byRequest) {
        if (unanswered.includes(byRequest.status))
          await tx.update(refunds).set(set).where(eq(refunds.id, byRequest.id));
        return;
      }
    }
    // The callback may beat the Gate's synchronous answer: match an unanswered refund without a request_id.
    const candidates = await tx
      .select()
      .from(refunds)
      .where(and(eq(refunds.paymentId, p.id), inArray(refunds.status, unanswered), isNull(refunds.requestId)))
      .orderBy(asc(refunds.createdAt))
      .for('update');
    const match = candidates.find((r) => op.amount === undefined || r.amount === op.amount) ?? null;
    if (match) {
      await tx
        .update(refunds)
        .set({ ...set, requestId: op.requestId ?? null })
        .where(eq(refunds.id, match.id));
      return;
    }
    // A refund made elsewhere (e.g. the dashboard): record it so the refunded amount stays true.
    if (op.amount !== undefined && op.amount > 0) {
      await tx
        .insert(refunds)
        .values({
          id: newRefundId(),
          paymentId: p.id,
          amount: op.amount,
          currency: op.currency ?? p.currency,
          full: false,
          description: 'Refund reported by ecommpay',
          requestId: op.requestId ?? null,
          idempotencyKey: null,
          createdAt: now,
          ...set,
        })
        .onConflictDoNothing();
    }
  }

  // ── refunds ─────────────────────────────────────────────────────────────────────────────────────

  async findRefundByKey(paymentId: string, key: string): Promise<RefundRow | null> {
    const [row] = await this.db
      .select()
      .from(refunds)
      .where(and(eq(refunds.paymentId, paymentId), eq(refunds.idempotencyKey, key)))
      .limit(1);
    return row ?? null;
  }

  async listRefunds(paymentId: string): Promise<RefundRow[]> {
    return this.db
      .select()
      .from(refunds)
      .where(eq(refunds.paymentId, paymentId))
      .orderBy(asc(refunds.createdAt));
  }

  /**
   * Reserves a refund under the payment's row lock: the amount (absent = everything left) must fit in what
   * is neither refunded nor reserved by an unanswered refund.
   */
  async createRefund(input: {
    id: string;
    paymentId: string;
    amount: number | undefined;
    description: string;
    idempotencyKey: string | null;
    now: Date;
  }): Promise<RefundCheck> {
    return this.db.transaction(async (tx): Promise<RefundCheck> => {
      const [p] = await tx.select().from(payments).where(eq(payments.id, input.paymentId)).for('update');
      if (!p) return { ok: false, code: 'not_found', message: `No payment ${input.paymentId}` };
      if (input.idempotencyKey) {
        const [existing] = await tx
          .select()
          .from(refunds)
          .where(and(eq(refunds.paymentId, p.id), eq(refunds.idempotencyKey, input.idempotencyKey)));
        if (existing) return { ok: true, refund: existing, payment: p, created: false };
      }
      if (p.status !== 'success' && p.status !== 'partially_refunded') {
        return {
          ok: false,
          code: 'not_refundable',
          message: `The payment is ${p.status}; only paid payments can be refunded`,
        };
      }
      const all = await tx.select().from(refunds).where(eq(refunds.paymentId, p.id));
      const taken = all
        .filter(
          (r) =>
            r.status === 'success' ||
            r.status === 'sending' ||
            r.status === 'pending' ||
            r.status === 'unknown',
        )
        .reduce((sum, r) => sum + r.amount, 0);
      const remaining = p.amount - taken;
      const amount = input.amount ?? remaining;
      if (remaining <= 0 || amount > remaining) {
        return {
          ok: false,
          code: 'exceeds_remaining',
          message:
            remaining <= 0
              ? 'Nothing is left to refund'
              : `The refund exceeds the ${remaining} ${p.currency} (minor units) left to refund`,
          remaining: Math.max(0, remaining),
        };
      }
      const [refund] = await tx
        .insert(refunds)
        .values({
          id: input.id,
          paymentId: p.id,
          amount,
          currency: p.currency,
          // Only a first refund of everything goes to the Gate without an amount.
          full: input.amount === undefined && all.length === 0,
          description: input.description,
          status: 'sending',
          requestId: null,
          idempotencyKey: input.idempotencyKey,
          code: null,
          message: null,
          createdAt: input.now,
          updatedAt: input.now,
        })
        .returning();
      return { ok: true, refund: refund as RefundRow, payment: p, created: true };
    });
  }

  /** Records the Gate's synchronous answer to a refund request (a callback may have come first). */
  async refundSent(
    id: string,
    now: Date,
    answer: { status: 'pending' | 'unknown' | 'error'; requestId?: string; code?: string; message?: string },
  ): Promise<RefundRow | null> {
    return this.db.transaction(async (tx) => {
      const [r] = await tx.select().from(refunds).where(eq(refunds.id, id)).for('update');
      if (!r) return null;
      const set: Partial<RefundRow> = { updatedAt: now };
      if (answer.requestId && !r.requestId) set.requestId = answer.requestId;
      if (r.status === 'sending') {
        set.status = answer.status;
        if (answer.code !== undefined) set.code = answer.code;
        if (answer.message !== undefined) set.message = answer.message;
      }
      const [updated] = await tx.update(refunds).set(set).where(eq(refunds.id, id)).returning();
      return updated ?? r;
    });
  }

  async countCallbacks(paymentId?: string): Promise<number> {
    const r = await this.db
      .select({ n: sql<string | number>`count(*)` })
      .from(callbacks)
      .where(paymentId ? eq(callbacks.paymentId, paymentId) : undefined);
    return Number(r[0]?.n ?? 0);
  }
}

/** The columns a new payment row leaves empty, so that an inserted row can be completed without a read. */
const EMPTY_PAYMENT_COLUMNS = {
  sessionId: null,
  method: null,
  idempotencyKey: null,
  fingerprint: null,
  description: null,
  sendingSince: null,
  requestId: null,
  redirect: null,
  clarificationFields: null,
  vouchers: null,
  code: null,
  message: null,
  statusCheckedAt: null,
  lastCallbackAt: null,
} satisfies { [K in keyof PaymentRow as null extends PaymentRow[K] ? K : never]-?: null };

/** The stored row of an inserted `NewPaymentRow` (every NOT NULL column is required there, without defaults). */
function completePaymentRow(row: NewPaymentRow): PaymentRow {
  const out: Record<string, unknown> = { ...EMPTY_PAYMENT_COLUMNS };
  for (const [k, v] of Object.entries(row)) if (v !== undefined) out[k] = v;
  return out as PaymentRow;
}

/**
 * The hot statements, written by hand. They run on every payment request and callback, where drizzle's
 * query builder cost ~10 % of the backend's CPU and its transactions several round trips; a data-modifying
 * CTE (`recordCallback`) is not something the builder can express at all. Plain PostgreSQL that PGlite and
 * node-postgres both run: every parameter is cast to its column's type (PGlite infers types from the
 * statement, and a text parameter compared with a `timestamptz` would not compare as one), jsonb goes as
 * JSON text (node-postgres would send a JS array as a Postgres array), timestamps as ISO strings.
 */
const PAYMENT_COLUMNS: readonly (readonly [keyof PaymentRow, string])[] = [
  ['id', 'text'],
  ['sessionId', 'text'],
  ['channel', 'text'],
  ['type', 'text'],
  ['method', 'text'],
  ['amount', 'bigint'],
  ['currency', 'text'],
  ['status', 'text'],
  ['version', 'integer'],
  ['idemScope', 'text'],
  ['idempotencyKey', 'text'],
  ['fingerprint', 'text'],
  ['customerId', 'text'],
  ['description', 'text'],
  ['gateState', 'text'],
  ['sendAttempts', 'integer'],
  ['sendingSince', 'timestamptz'],
  ['requestId', 'text'],
  ['redirect', 'jsonb'],
  ['clarificationFields', 'jsonb'],
  ['clarificationSent', 'boolean'],
  ['vouchers', 'jsonb'],
  ['code', 'text'],
  ['message', 'text'],
  ['refundedAmount', 'bigint'],
  ['statusCheckedAt', 'timestamptz'],
  ['lastCallbackAt', 'timestamptz'],
  ['createdAt', 'timestamptz'],
  ['updatedAt', 'timestamptz'],
];

const SESSION_COLUMNS: readonly (readonly [keyof SessionRow, string])[] = [
  ['id', 'text'],
  ['prices', 'jsonb'],
  ['customer', 'jsonb'],
  ['description', 'text'],
  ['methods', 'jsonb'],
  ['returnUrl', 'text'],
  ['locale', 'text'],
  ['expiresAt', 'timestamptz'],
  ['createdAt', 'timestamptz'],
];

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The columns `recordGateMessageFast` can set (what `applyUpdate` changes, and the callback's bookkeeping). */
const FAST_PATCH_COLUMNS: ReadonlySet<keyof PaymentRow> = new Set<keyof PaymentRow>([
  'status',
  'redirect',
  'clarificationFields',
  'clarificationSent',
  'code',
  'message',
  'vouchers',
  'requestId',
  'method',
  'gateState',
  'version',
  'updatedAt',
  'lastCallbackAt',
]);

/** `recordCallback` without the notification ($1–$26), and the notification ($27: the channel) after. */
const RECORD_CALLBACK = `WITH cur AS (
  SELECT id FROM payments
  WHERE id = $1 AND version = $2::integer AND gate_state = $3::text AND send_attempts = $4::integer
    AND request_id IS NOT DISTINCT FROM $5::text AND status_checked_at IS NOT DISTINCT FROM $6::timestamptz
  FOR UPDATE
), ins AS (
  INSERT INTO callbacks (dedup_key, source, payment_id, operation_type, payment_status, raw_body, applied, received_at)
  SELECT $7::text, $8::text, cur.id, $9::text, $10::text, $11::text, $12::boolean, $13::timestamptz FROM cur
  ON CONFLICT (dedup_key) DO NOTHING
  RETURNING id
), upd AS (
  UPDATE payments SET
    status = coalesce($14::text, status),
    redirect = coalesce($15::jsonb, redirect),
    clarification_fields = coalesce($16::jsonb, clarification_fields),
    clarification_sent = coalesce($17::boolean, clarification_sent),
    code = coalesce($18::text, code),
    message = coalesce($19::text, message),
    vouchers = coalesce($20::jsonb, vouchers),
    request_id = coalesce($21::text, request_id),
    method = coalesce($22::text, method),
    gate_state = coalesce($23::text, gate_state),
    version = coalesce($24::integer, version),
    updated_at = coalesce($25::timestamptz, updated_at),
    last_callback_at = coalesce($26::timestamptz, last_callback_at)
  WHERE id = $1 AND EXISTS (SELECT 1 FROM ins)
  RETURNING id
)`;

const HOT = {
  paymentById: `SELECT ${PAYMENT_COLUMNS.map(([k]) => snake(k)).join(', ')} FROM payments WHERE id = $1::text`,

  sessionById: `SELECT ${SESSION_COLUMNS.map(([k]) => snake(k)).join(', ')} FROM sessions WHERE id = $1::text`,

  insertPayment: `INSERT INTO payments (${PAYMENT_COLUMNS.map(([k]) => snake(k)).join(', ')})
VALUES (${PAYMENT_COLUMNS.map(([, type], i) => `$${i + 1}::${type}`).join(', ')})
ON CONFLICT DO NOTHING RETURNING id`,

  /** `markAccepted` answering only the columns that may differ from the row the caller has. */
  markAccepted: `UPDATE payments SET sending_since = NULL,
  gate_state = CASE WHEN gate_state = 'rejected' THEN gate_state ELSE 'accepted' END,
  request_id = coalesce(request_id, $2::text)
WHERE id = $1
RETURNING version, send_attempts, gate_state, request_id, status_checked_at, last_callback_at`,

  insertCallback: `INSERT INTO callbacks (dedup_key, source, payment_id, operation_type, payment_status, raw_body, applied, received_at)
VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::boolean, $8::timestamptz)
ON CONFLICT (dedup_key) DO NOTHING RETURNING id`,

  /**
   * A callback in one statement: `cur` locks the payment if it still is as read ($2–$6: what the patch was
   * computed from; every other column it depends on moves the version); `ins` stores the body if `cur` has
   * the row and the body is new; `upd` applies the patch only if `ins` stored it. matched = 0: the row
   * changed (nothing written); updated = 0 with matched = 1: a repeat.
   */
  recordCallback: `${RECORD_CALLBACK}
SELECT (SELECT count(*) FROM cur)::integer AS matched, (SELECT count(*) FROM upd)::integer AS updated`,

  recordCallbackNotify: `${RECORD_CALLBACK}
SELECT (SELECT count(*) FROM cur)::integer AS matched, (SELECT count(*) FROM upd)::integer AS updated,
  (SELECT count(*) FROM upd, pg_notify($27::text, upd.id))::integer AS notified`,
};

/** A value as a parameter of a column of type `kind`. */
function toParam(value: unknown, kind: string): unknown {
  if (value === null || value === undefined) return null;
  if (kind === 'timestamptz') return (value as Date).toISOString();
  if (kind === 'jsonb') return JSON.stringify(value);
  return value;
}

/** A row as the drivers answer it (snake_case; int8 as a number or a string) → the typed row. */
function rowReader<T>(columns: readonly (readonly [string, string])[]): (row: Record<string, unknown>) => T {
  const fields = columns.map(([key, kind]) => [key, snake(key), kind] as const);
  return (row) => {
    const out: Record<string, unknown> = {};
    for (const [key, column, kind] of fields) {
      const v = row[column] ?? null;
      // jsonb comes parsed from both drivers.
      if (v === null) out[key] = null;
      else if (kind === 'timestamptz') out[key] = toDate(v);
      else if (kind === 'bigint') out[key] = Number(v);
      else out[key] = v;
    }
    return out as T;
  };
}

const paymentFromRow = rowReader<PaymentRow>(PAYMENT_COLUMNS);
const sessionFromRow = rowReader<SessionRow>(SESSION_COLUMNS);

/** A timestamp as either driver answers it (PGlite: text with drizzle's parsers installed; pg: a Date). */
function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(value as string);
}

function pgliteDriver(
  client: PGlite,
  drizzle: typeof drizzlePglite,
  serialize: typeof protocol.serialize,
): Driver {
  const db = drizzle({ client: parsersOnce(client), schema }) as unknown as Db;
  return { kind: 'pglite', db, raw: preparedStatements(client, serialize), close: () => client.close() };
}

/**
 * Named prepared statements on PGlite. Its `query` sends Parse, Describe, Bind, Describe, Execute and Sync
 * as five separate calls into the WASM engine and has Postgres parse and plan the statement every time; a
 * hot statement here is parsed once (under its name, on the first call), and each call after is a single
 * Bind + Describe + Execute + Sync in one call. Same wire protocol, same results (PGlite's own parsers
 * read the values). It waits for the same locks as `query`, so it never runs inside another caller's
 * transaction.
 */
function preparedStatements(client: PGlite, serialize: typeof protocol.serialize): Driver['raw'] {
  const parsed = new Set<string>();
  const exclusive = <T>(fn: () => Promise<T>) =>
    client._runExclusiveTransaction(() => client._runExclusiveQuery(fn));
  return (name, text, params) =>
    exclusive(async () => {
      if (!parsed.has(name)) {
        await client.execProtocol(concat([serialize.parse({ name, text }), serialize.sync()]));
        parsed.add(name);
      }
      const { messages } = await client.execProtocol(
        concat([
          serialize.bind({ statement: name, values: params.map(toText) }),
          serialize.describe({ type: 'P' }),
          serialize.execute({}),
          serialize.sync(),
        ]),
      );
      let fields: { name: string; dataTypeID: number }[] = [];
      const rows: Record<string, unknown>[] = [];
      for (const m of messages) {
        if (m.name === 'rowDescription') fields = (m as unknown as { fields: typeof fields }).fields;
        else if (m.name === 'dataRow') {
          const values = (m as unknown as { fields: (string | null)[] }).fields;
          const row: Record<string, unknown> = {};
          for (let i = 0; i < fields.length; i++) {
            const f = fields[i] as { name: string; dataTypeID: number };
            const v = values[i];
            const parse = client.parsers[f.dataTypeID];
            row[f.name] = v === null || v === undefined ? null : parse ? parse(v, f.dataTypeID) : v;
          }
          rows.push(row);
        }
      }
      return rows;
    });
}

/** A parameter in Postgres's text format (every hot statement casts its parameters to their types). */
function toText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

type QueryFn = (
  query: string,
  params?: unknown[],
  options?: { parsers?: Record<number, unknown> },
) => unknown;

/**
 * drizzle-orm hands PGlite the same result parsers with every query (timestamps and intervals as text), and
 * PGlite copies its whole map of ~320 parsers to merge them, for every result: about 70 µs a query, a fifth
 * of what storing a callback costs. This puts drizzle's parsers on the client once and leaves them out of
 * each query (in transactions too); the rows are the same.
 */
function parsersOnce<T extends object>(
  client: T,
  parsers = (client as { parsers?: Record<number, unknown> }).parsers,
): T {
  if (!parsers) return client;
  return new Proxy(client, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (prop === 'query') {
        const query = value as QueryFn;
        return (sqlText: string, params?: unknown[], options?: { parsers?: Record<number, unknown> }) => {
          if (!options?.parsers) return query.call(target, sqlText, params, options);
          Object.assign(parsers, options.parsers);
          return query.call(target, sqlText, params, { ...options, parsers: undefined });
        };
      }
      if (prop === 'transaction') {
        const transaction = value as (fn: (tx: object) => unknown) => unknown;
        return (fn: (tx: object) => unknown) =>
          transaction.call(target, (tx) => fn(parsersOnce(tx, parsers)));
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

/** `execute` answers `{rows}` on both drivers (the HKT types it as unknown). */
function rowsOf(result: unknown): unknown[] {
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? rows : [];
}

/** Splits a migration into statements (no semicolons inside strings or bodies in ours). */
export function splitStatements(text: string): string[] {
  return text
    .split(/;\s*(?:\n|$)/)
    .map((s) =>
      s
        .split('\n')
        .filter((line) => !line.trim().startsWith('--'))
        .join('\n')
        .trim(),
    )
    .filter((s) => s !== '');
}
