/**
 * The store: one object over Drizzle and a few prepared statements that serves PGlite (embedded;
 * file-backed, or in memory for tests) and PostgreSQL (`DATABASE_URL`). Every write that matters is one
 * transaction (or one statement); unique indexes do the idempotency work, so several instances can share
 * one PostgreSQL without in-process state.
 *
 * One file per aggregate, each holding its statements: `sessions.ts`, `payments.ts` (purchases and
 * payouts), `callbacks.ts` (Gate messages), `refunds.ts`; the plumbing in `driver.ts` (drivers, prepared
 * statements), `rows.ts` (columns and row conversion), `migrate.ts` and `notifier.ts` (LISTEN/NOTIFY).
 */
import { sql } from 'drizzle-orm';
import type { PGlite } from '@electric-sql/pglite';
import type { Database } from '../config.ts';
import type { NewPaymentRow, PaymentRow, RefundRow, SessionRow } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import type { PaymentPatch } from '../service/gate-messages.ts';
import * as callbacks from './callbacks.ts';
import { openDriver, pgliteDriverOf, rowsOf, type Db, type Driver } from './driver.ts';
import { migrate } from './migrate.ts';
import { Notifier } from './notifier.ts';
import * as payments from './payments.ts';
import * as refunds from './refunds.ts';
import * as sessions from './sessions.ts';

export { PGLITE_SETTINGS } from './driver.ts';
export { splitStatements } from './migrate.ts';
export { NOTIFY_CHANNEL } from './notifier.ts';
export { OPEN_STATES, type ListQuery } from './payments.ts';
export type { GateMessageInput, RecordResult } from './callbacks.ts';
export type { RefundCheck } from './refunds.ts';

export interface StoreOptions {
  log?: Logger | undefined;
}

export class Store {
  private readonly notifier: Notifier;
  private closed = false;

  private constructor(
    private readonly driver: Driver,
    private readonly log: Logger | undefined,
  ) {
    this.notifier = new Notifier(driver.kind, log);
  }

  get kind(): 'pglite' | 'postgres' {
    return this.driver.kind;
  }

  get db(): Db {
    return this.driver.db;
  }

  /** Opens the database and applies pending migrations. */
  static async open(database: Database, options: StoreOptions = {}): Promise<Store> {
    const driver = await openDriver(database, options.log);
    return Store.init(new Store(driver, options.log), database.kind === 'postgres' ? database.url : null);
  }

  /** Wraps an open PGlite (e.g. one loaded from a data-dir dump) and migrates it; `close()` closes it. */
  static async fromPglite(client: PGlite, options: StoreOptions = {}): Promise<Store> {
    return Store.init(new Store(await pgliteDriverOf(client), options.log), null);
  }

  private static async init(store: Store, listenUrl: string | null): Promise<Store> {
    try {
      await store.migrate();
      if (listenUrl) await store.notifier.listen(listenUrl);
    } catch (error) {
      await store.driver.close().catch(() => undefined);
      throw error;
    }
    return store;
  }

  /** Applies the migrations not yet recorded; returns their versions. */
  migrate(): Promise<number[]> {
    return migrate(this.driver, this.log);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.notifier.close();
    await this.driver.close();
  }

  async health(): Promise<boolean> {
    const r = await this.db.execute(sql`select 1 as ok`);
    return (rowsOf(r) as { ok: number }[])[0]?.ok === 1;
  }

  /** Calls `fn` when payment `id` changes (here or, on PostgreSQL, in another instance). */
  subscribe(id: string, fn: () => void): () => void {
    return this.notifier.subscribe(id, fn);
  }

  // ── sessions (sessions.ts) ───────────────────────────────────────────────────────────────────────
  insertSession(row: SessionRow): Promise<void> {
    return sessions.insertSession(this.driver, row);
  }
  getSession(id: string): Promise<SessionRow | null> {
    return sessions.getSession(this.driver, id);
  }

  // ── payments (payments.ts) ───────────────────────────────────────────────────────────────────────
  /** Inserts a payment; null when a unique index (idempotency key, one active per session) refuses it. */
  insertPayment(row: NewPaymentRow): Promise<PaymentRow | null> {
    return payments.insertPayment(this.driver, row);
  }
  getPayment(id: string): Promise<PaymentRow | null> {
    return payments.getPayment(this.driver, id);
  }
  findByIdempotencyKey(scope: string, key: string): Promise<PaymentRow | null> {
    return payments.findByIdempotencyKey(this.driver, scope, key);
  }
  /** The session's payment that holds its one active slot (in progress or paid), if any. */
  findSlotPayment(sessionId: string): Promise<PaymentRow | null> {
    return payments.findSlotPayment(this.driver, sessionId);
  }
  latestSessionPayment(sessionId: string): Promise<PaymentRow | null> {
    return payments.latestSessionPayment(this.driver, sessionId);
  }
  sessionPaid(sessionId: string): Promise<boolean> {
    return payments.sessionPaid(this.driver, sessionId);
  }
  /** Read-modify-write of one payment under its row lock (see `payments.mutatePayment`). */
  mutatePayment(
    id: string,
    now: Date,
    fn: (p: PaymentRow) => Pick<PaymentPatch, 'changes' | 'visible'> | null,
  ): Promise<PaymentRow | null> {
    return payments.mutatePayment(this.driver, this.notifier, id, now, fn);
  }
  /** The Gate took a send that changes nothing the shopper sees (see `payments.markAccepted`). */
  markAccepted(id: string, requestId: string | null, known?: PaymentRow): Promise<PaymentRow | null> {
    return payments.markAccepted(this.driver, id, requestId, known);
  }
  /** Takes over a failed or abandoned send: at most one caller wins. */
  claimSend(id: string, now: Date, staleBefore: Date): Promise<PaymentRow | null> {
    return payments.claimSend(this.driver, id, now, staleBefore);
  }
  /** Claims the right to ask the Gate for this payment's status now (one instance at a time). */
  claimStatusCheck(id: string, now: Date, checkedBefore: Date): Promise<boolean> {
    return payments.claimStatusCheck(this.driver, id, now, checkedBefore);
  }
  /** Payments created before `createdBefore` still waiting for a result, least recently checked first. */
  openPayments(limit: number, createdBefore: Date): Promise<PaymentRow[]> {
    return payments.openPayments(this.driver, limit, createdBefore);
  }
  listPayments(q: payments.ListQuery): Promise<PaymentRow[]> {
    return payments.listPayments(this.driver, q);
  }

  // ── Gate messages (callbacks.ts) ─────────────────────────────────────────────────────────────────
  /** Stores a verified Gate message and applies it to its payment, atomically; a repeat changes nothing. */
  recordGateMessage(input: callbacks.GateMessageInput): Promise<callbacks.RecordResult> {
    return callbacks.recordGateMessage(this.driver, this.notifier, input);
  }
  countCallbacks(paymentId?: string): Promise<number> {
    return callbacks.countCallbacks(this.driver, paymentId);
  }

  // ── refunds (refunds.ts) ─────────────────────────────────────────────────────────────────────────
  findRefundByKey(paymentId: string, key: string): Promise<RefundRow | null> {
    return refunds.findRefundByKey(this.driver, paymentId, key);
  }
  listRefunds(paymentId: string): Promise<RefundRow[]> {
    return refunds.listRefunds(this.driver, paymentId);
  }
  /** Reserves a refund under the payment's row lock (see `refunds.createRefund`). */
  createRefund(input: Parameters<typeof refunds.createRefund>[1]): Promise<refunds.RefundCheck> {
    return refunds.createRefund(this.driver, input);
  }
  /** Records the Gate's synchronous answer to a refund request (a callback may have come first). */
  refundSent(
    id: string,
    now: Date,
    answer: Parameters<typeof refunds.refundSent>[3],
  ): Promise<RefundRow | null> {
    return refunds.refundSent(this.driver, id, now, answer);
  }
}
