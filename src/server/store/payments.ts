/**
 * The payments aggregate: purchases and payouts, their Gate send state and the status-check claims. The
 * statements a payment request runs every time (insert, read by id, the accepted send) are hand-written
 * and prepared (`driver.raw`): drizzle's query builder cost ~10 % of the backend's CPU there. The rest go
 * through Drizzle.
 */
import { and, asc, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { payments, type NewPaymentRow, type PaymentRow } from '../db/schema.ts';
import type { PaymentPatch } from '../service/gate-messages.ts';
import type { Driver, Tx } from './driver.ts';
import type { Notifier } from './notifier.ts';
import {
  columnNames,
  columnParams,
  completePaymentRow,
  PAYMENT_COLUMNS,
  paymentFromRow,
  toDate,
  toParam,
} from './rows.ts';

export const OPEN_STATES = ['created', 'awaiting_redirect', 'awaiting_clarification', 'processing'] as const;

export interface ListQuery {
  limit: number;
  cursor?: { createdAt: Date; id: string } | undefined;
  type?: 'purchase' | 'payout' | undefined;
  status?: string | undefined;
  sessionId?: string | undefined;
}

const PAYMENT_BY_ID = `SELECT ${columnNames(PAYMENT_COLUMNS)} FROM payments WHERE id = $1::text`;

const INSERT_PAYMENT = `INSERT INTO payments (${columnNames(PAYMENT_COLUMNS)})
VALUES (${columnParams(PAYMENT_COLUMNS)})
ON CONFLICT DO NOTHING RETURNING id`;

/** `markAccepted` answering only the columns that may differ from the row the caller has. */
const MARK_ACCEPTED = `UPDATE payments SET sending_since = NULL,
  gate_state = CASE WHEN gate_state = 'rejected' THEN gate_state ELSE 'accepted' END,
  request_id = coalesce(request_id, $2::text)
WHERE id = $1
RETURNING version, send_attempts, gate_state, request_id, status_checked_at, last_callback_at`;

/** Inserts a payment; null when a unique index (idempotency key, one active per session) refuses it. */
export async function insertPayment(driver: Driver, row: NewPaymentRow): Promise<PaymentRow | null> {
  // The row is what was written: no need to read 29 columns back.
  const complete = completePaymentRow(row);
  const inserted = await driver.raw(
    'ecp_insert_payment',
    INSERT_PAYMENT,
    PAYMENT_COLUMNS.map(([key, kind]) => toParam(complete[key], kind)),
  );
  return inserted.length > 0 ? complete : null;
}

export async function getPayment(driver: Driver, id: string): Promise<PaymentRow | null> {
  const [row] = await driver.raw('ecp_payment_by_id', PAYMENT_BY_ID, [id]);
  return row ? paymentFromRow(row) : null;
}

export async function findByIdempotencyKey(
  driver: Driver,
  scope: string,
  key: string,
): Promise<PaymentRow | null> {
  const [row] = await driver.db
    .select()
    .from(payments)
    .where(and(eq(payments.idemScope, scope), eq(payments.idempotencyKey, key)))
    .limit(1);
  return row ?? null;
}

/** The session's payment that holds its one active slot (in progress or paid), if any. */
export async function findSlotPayment(driver: Driver, sessionId: string): Promise<PaymentRow | null> {
  const [row] = await driver.db
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

export async function latestSessionPayment(driver: Driver, sessionId: string): Promise<PaymentRow | null> {
  const [row] = await driver.db
    .select()
    .from(payments)
    .where(eq(payments.sessionId, sessionId))
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(1);
  return row ?? null;
}

export async function sessionPaid(driver: Driver, sessionId: string): Promise<boolean> {
  const [row] = await driver.db
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
export async function mutatePayment(
  driver: Driver,
  notifier: Notifier,
  id: string,
  now: Date,
  fn: (p: PaymentRow) => Pick<PaymentPatch, 'changes' | 'visible'> | null,
): Promise<PaymentRow | null> {
  let notifyId: string | null = null;
  const result = await driver.db.transaction(async (tx) => {
    const [p] = await tx.select().from(payments).where(eq(payments.id, id)).for('update');
    if (!p) return null;
    const patch = fn(p);
    if (!patch) return p;
    const updated = await writePatch(tx, notifier, p, patch, now);
    if (patch.visible) notifyId = p.id;
    return updated;
  });
  if (notifyId) notifier.emitLocal(notifyId);
  return result;
}

/** Writes a patch to a payment whose row `tx` holds locked; a visible patch moves the version. */
export async function writePatch(
  tx: Tx,
  notifier: Notifier,
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
  if (patch.visible) await notifier.notify(tx, p.id);
  return { ...p, ...set };
}

/**
 * The Gate took a send whose acceptance changes nothing the shopper sees (a redirect purchase): one
 * statement, evaluated on the row as it is (a callback may have come first), no version, no notification.
 */
export async function markAccepted(
  driver: Driver,
  id: string,
  requestId: string | null,
  known?: PaymentRow,
): Promise<PaymentRow | null> {
  // Only what can have changed since the row the caller has (`known`, as it was written) comes back; when
  // anything else did (a callback moved the version, another send was claimed), or there is no such row
  // at hand, the row is read.
  const [r] = await driver.raw('ecp_mark_accepted', MARK_ACCEPTED, [id, requestId || null]);
  if (!r) return null;
  if (!known || Number(r.version) !== known.version || Number(r.send_attempts) !== known.sendAttempts)
    return getPayment(driver, id);
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
export async function claimSend(
  driver: Driver,
  id: string,
  now: Date,
  staleBefore: Date,
): Promise<PaymentRow | null> {
  const [row] = await driver.db
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
export async function claimStatusCheck(
  driver: Driver,
  id: string,
  now: Date,
  checkedBefore: Date,
): Promise<boolean> {
  const rows = await driver.db
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
export async function openPayments(
  driver: Driver,
  limit: number,
  createdBefore: Date,
): Promise<PaymentRow[]> {
  return driver.db
    .select()
    .from(payments)
    .where(and(inArray(payments.status, [...OPEN_STATES]), lt(payments.createdAt, createdBefore)))
    .orderBy(sql`${payments.statusCheckedAt} asc nulls first`, asc(payments.createdAt))
    .limit(limit);
}

export async function listPayments(driver: Driver, q: ListQuery): Promise<PaymentRow[]> {
  const where: SQL[] = [];
  if (q.type) where.push(eq(payments.type, q.type));
  if (q.status) where.push(eq(payments.status, q.status as PaymentRow['status']));
  if (q.sessionId) where.push(eq(payments.sessionId, q.sessionId));
  if (q.cursor)
    where.push(
      sql`(${payments.createdAt}, ${payments.id}) < (${q.cursor.createdAt.toISOString()}::timestamptz, ${q.cursor.id})`,
    );
  return driver.db
    .select()
    .from(payments)
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(q.limit);
}
