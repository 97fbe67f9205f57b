/**
 * The callbacks aggregate: every verified Gate message (a callback, or a status answer of the same shape)
 * stored under the SHA-256 of its raw body and applied to its payment, atomically — the caller answers 200
 * only after this resolves. A body stored before is a repeat: nothing more is done.
 *
 * Each statement is written once: the insert of a message (`INSERT_CALLBACK`) runs prepared on its own or
 * inside the locked transaction (`statement()`), and the usual callback's one-statement CTE
 * (`RECORD_CALLBACK`) is the benchmark's hot path.
 */
import { eq, sql } from 'drizzle-orm';
import { callbacks, payments, type PaymentRow } from '../db/schema.ts';
import { applyUpdate, refundResult, type GateUpdate } from '../service/gate-messages.ts';
import { rowsOf, statement, type Driver } from './driver.ts';
import { NOTIFY_CHANNEL, type Notifier } from './notifier.ts';
import { getPayment, writePatch } from './payments.ts';
import { applyRefundResult, refundedSum } from './refunds.ts';

export interface RecordResult {
  /** The same raw body was stored before: nothing was done again. */
  duplicate: boolean;
  /** Whether the payment changed visibly. */
  applied: boolean;
  payment: PaymentRow | null;
}

export interface GateMessageInput {
  rawBody: string;
  dedupKey: string;
  source: 'callback' | 'status';
  update: GateUpdate;
  now: Date;
  newRefundId: () => string;
}

const INSERT_CALLBACK = `INSERT INTO callbacks (dedup_key, source, payment_id, operation_type, payment_status, raw_body, applied, received_at)
VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::boolean, $8::timestamptz)
ON CONFLICT (dedup_key) DO NOTHING RETURNING id`;

/** `RECORD_CALLBACK` without the notification ($1–$26), and the notification ($27: the channel) after. */
const RECORD_CALLBACK_CTE = `WITH cur AS (
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

/**
 * A callback in one statement: `cur` locks the payment if it still is as read ($2–$6: what the patch was
 * computed from; every other column it depends on moves the version); `ins` stores the body if `cur` has
 * the row and the body is new; `upd` applies the patch only if `ins` stored it. matched = 0: the row
 * changed (nothing written); updated = 0 with matched = 1: a repeat.
 */
const RECORD_CALLBACK = `${RECORD_CALLBACK_CTE}
SELECT (SELECT count(*) FROM cur)::integer AS matched, (SELECT count(*) FROM upd)::integer AS updated`;

const RECORD_CALLBACK_NOTIFY = `${RECORD_CALLBACK_CTE}
SELECT (SELECT count(*) FROM cur)::integer AS matched, (SELECT count(*) FROM upd)::integer AS updated,
  (SELECT count(*) FROM upd, pg_notify($27::text, upd.id))::integer AS notified`;

/** The columns the one-statement path can set (what `applyUpdate` changes, and the callback's bookkeeping). */
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

/** The parameters of `INSERT_CALLBACK`. */
function callbackParams(input: GateMessageInput, applied: boolean): unknown[] {
  const { update } = input;
  return [
    input.dedupKey,
    input.source,
    update.paymentId ?? null,
    update.operation?.type ?? null,
    update.rawStatus ?? null,
    input.rawBody,
    applied,
    input.now.toISOString(),
  ];
}

/** Stores a verified Gate message (raw body) and applies it to its payment, in one transaction. */
export async function recordGateMessage(
  driver: Driver,
  notifier: Notifier,
  input: GateMessageInput,
): Promise<RecordResult> {
  const fast = await recordFast(driver, notifier, input);
  return fast ?? recordLocked(driver, notifier, input);
}

/**
 * The usual callback in one statement after one read, instead of a transaction of five (`BEGIN`, the
 * locked read, the insert, the update, `COMMIT`): every statement is a round trip into PGlite's engine on
 * the backend's one thread, and this was most of what a callback cost. The patch is computed from the row
 * as read, without a lock; the statement (`RECORD_CALLBACK`) then locks the row, and stores the body and
 * applies the patch only if the row still has what the patch was computed from — otherwise nothing is
 * written and the locked transaction below does it all again. Atomic without BEGIN/COMMIT: a single
 * statement is its own transaction, and its `pg_notify` (PostgreSQL) is delivered at its commit.
 *
 * Null when this path does not apply (refund results, patches of other columns, or the row changed since
 * it was read); the caller then takes the locked path.
 */
async function recordFast(
  driver: Driver,
  notifier: Notifier,
  input: GateMessageInput,
): Promise<RecordResult | null> {
  const { update, now } = input;
  if (refundResult(update)) return null;
  const p = update.paymentId ? await getPayment(driver, update.paymentId) : null;
  if (!p) {
    // Nothing to apply (a payment we do not know, or a message without an id): store it, once.
    const stored = await driver.raw('ecp_insert_callback', INSERT_CALLBACK, callbackParams(input, false));
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
  const notify = driver.kind === 'postgres' && patch.visible;
  const [r] = notify
    ? await driver.raw('ecp_record_callback_notify', RECORD_CALLBACK_NOTIFY, [...params, NOTIFY_CHANNEL])
    : await driver.raw('ecp_record_callback', RECORD_CALLBACK, params);
  if (!r || Number(r.matched) === 0) return null;
  // The row was as read, and this body was stored before: a repeat, nothing was done.
  if (Number(r.updated) === 0) return { duplicate: true, applied: false, payment: p };
  if (patch.visible) notifier.emitLocal(p.id);
  return { duplicate: false, applied: patch.visible, payment: { ...p, ...set } };
}

/** Stores and applies a Gate message in one transaction under the payment's row lock. */
async function recordLocked(
  driver: Driver,
  notifier: Notifier,
  input: GateMessageInput,
): Promise<RecordResult> {
  const { update, now } = input;
  let notifyId: string | null = null;
  const result = await driver.db.transaction(async (tx): Promise<RecordResult> => {
    // Lock the payment first: the patch is known before the body is stored, so the stored row says
    // whether it was applied without a second write.
    const [p] = update.paymentId
      ? await tx.select().from(payments).where(eq(payments.id, update.paymentId)).for('update')
      : [];
    const patch = p ? applyUpdate(p, update) : null;
    const refundOutcome = p ? refundResult(update) : null;
    const inserted = await tx.execute(
      statement(INSERT_CALLBACK, callbackParams(input, !refundOutcome && (patch?.visible ?? false))),
    );
    const [stored] = rowsOf(inserted) as { id: number | string }[];
    // A body stored before is a repeat: nothing more is done.
    if (!stored) return { duplicate: true, applied: false, payment: p ?? null };
    if (!p || !patch) return { duplicate: false, applied: false, payment: null };

    if (refundOutcome) {
      await applyRefundResult(tx, p, update, refundOutcome.status, now, input.newRefundId);
      const refunded = await refundedSum(tx, p.id);
      if (refunded !== p.refundedAmount) {
        patch.changes.refundedAmount = refunded;
        patch.visible = true;
      }
      if (patch.visible)
        await tx
          .update(callbacks)
          .set({ applied: true })
          .where(eq(callbacks.id, Number(stored.id)));
    }
    const extra: Partial<PaymentRow> = input.source === 'callback' ? { lastCallbackAt: now } : {};
    const updated = await writePatch(tx, notifier, p, patch, now, extra);
    if (patch.visible) notifyId = p.id;
    return { duplicate: false, applied: patch.visible, payment: updated };
  });
  if (notifyId) notifier.emitLocal(notifyId);
  return result;
}

/** How many Gate messages are stored (for one payment, or in all). */
export async function countCallbacks(driver: Driver, paymentId?: string): Promise<number> {
  const r = await driver.db
    .select({ n: sql<string | number>`count(*)` })
    .from(callbacks)
    .where(paymentId ? eq(callbacks.paymentId, paymentId) : undefined);
  return Number(r[0]?.n ?? 0);
}
