/**
 * The refunds aggregate (a payout is a payment row of type `payout`; its refunds-free life is in
 * `payments.ts`): a refund is reserved under its payment's row lock, answered by the Gate, and settled by
 * its callback (`applyRefundResult`, inside the callback's transaction).
 */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { payments, refunds, type PaymentRow, type RefundRow, type RefundStatus } from '../db/schema.ts';
import type { GateUpdate } from '../service/gate-messages.ts';
import type { Driver, Tx } from './driver.ts';

export type RefundCheck =
  | { ok: true; refund: RefundRow; payment: PaymentRow; created: boolean }
  | {
      ok: false;
      code: 'not_found' | 'not_refundable' | 'exceeds_remaining';
      message: string;
      remaining?: number;
    };

export async function refundedSum(tx: Tx, paymentId: string): Promise<number> {
  const r = await tx
    .select({ total: sql<string | number | null>`coalesce(sum(${refunds.amount}), 0)` })
    .from(refunds)
    .where(and(eq(refunds.paymentId, paymentId), eq(refunds.status, 'success')));
  return Number(r[0]?.total ?? 0);
}

/** Matches a refund callback to its refund (by request_id, else the oldest unanswered one of that amount). */
export async function applyRefundResult(
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

export async function findRefundByKey(
  driver: Driver,
  paymentId: string,
  key: string,
): Promise<RefundRow | null> {
  const [row] = await driver.db
    .select()
    .from(refunds)
    .where(and(eq(refunds.paymentId, paymentId), eq(refunds.idempotencyKey, key)))
    .limit(1);
  return row ?? null;
}

export async function listRefunds(driver: Driver, paymentId: string): Promise<RefundRow[]> {
  return driver.db
    .select()
    .from(refunds)
    .where(eq(refunds.paymentId, paymentId))
    .orderBy(asc(refunds.createdAt));
}

/**
 * Reserves a refund under the payment's row lock: the amount (absent = everything left) must fit in what
 * is neither refunded nor reserved by an unanswered refund.
 */
export async function createRefund(
  driver: Driver,
  input: {
    id: string;
    paymentId: string;
    amount: number | undefined;
    description: string;
    idempotencyKey: string | null;
    now: Date;
  },
): Promise<RefundCheck> {
  return driver.db.transaction(async (tx): Promise<RefundCheck> => {
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

/**
 * Records the Gate's synchronous answer to a refund request (a callback may have come first).
 *
 * Under the payment's row lock, as every write of a payment's refunds (`createRefund`, and the callback's
 * `applyRefundResult` in `recordLocked`): the callback then sees the refund either before this answer
 * (no request_id: matched as the oldest unanswered one) or after it (matched by request_id), never half-way.
 * Without it, on PostgreSQL (READ COMMITTED) this answer could commit between the callback's two lookups:
 * the refund was not yet found by request_id, then no longer found without one, and stayed `pending`.
 */
export async function refundSent(
  driver: Driver,
  id: string,
  now: Date,
  answer: { status: 'pending' | 'unknown' | 'error'; requestId?: string; code?: string; message?: string },
): Promise<RefundRow | null> {
  return driver.db.transaction(async (tx) => {
    // A refund's payment never changes: read it unlocked, then lock the payment, then the refund.
    const [owner] = await tx.select({ paymentId: refunds.paymentId }).from(refunds).where(eq(refunds.id, id));
    if (!owner) return null;
    await tx.select({ id: payments.id }).from(payments).where(eq(payments.id, owner.paymentId)).for('update');
    const [r] = await tx.select().from(refunds).where(eq(refunds.id, id)).for('update');
    if (!r) return null;
    const set: Partial<RefundRow> = { updatedAt: now };
    if (answer.requestId && !r.requestId) {
      // A callback that came first may have matched this request_id to another unanswered refund of the
      // same amount (the oldest): that one is settled under it, and this one's own callback matches it.
      const [taken] = await tx
        .select({ id: refunds.id })
        .from(refunds)
        .where(eq(refunds.requestId, answer.requestId));
      if (!taken) set.requestId = answer.requestId;
    }
    if (r.status === 'sending') {
      set.status = answer.status;
      if (answer.code !== undefined) set.code = answer.code;
      if (answer.message !== undefined) set.message = answer.message;
    }
    const [updated] = await tx.update(refunds).set(set).where(eq(refunds.id, id)).returning();
    return updated ?? r;
  });
}
