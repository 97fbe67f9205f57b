/**
 * Status checks: the sweeper (and a status read of a stale payment) asks the Gate `/v2/payment/status` once
 * a payment is past its method's base time, then at a tenth of its age; the answer is applied like a
 * callback. Past the limit time a payment without a result is declined.
 */
import { isFinal, transition, type PaymentState } from '../../core/status.ts';
import type { PaymentRow } from '../db/schema.ts';
import type { ServiceContext } from './context.ts';
import { recordGateMessage } from './gate-messages.ts';
import { sendStaleBefore } from './send.ts';

const HOUR = 3_600_000;

/** Base and limit time of a payment, scaled (tests use small scales). */
export function times(ctx: ServiceContext, p: PaymentRow): { baseMs: number; limitMs: number | null } {
  const { catalog, config } = ctx.deps;
  const m = p.method ? catalog.get(p.method) : undefined;
  const t = p.type === 'payout' ? m?.payout?.times : m?.purchaseTimes;
  const base = (t?.baseMs ?? config.defaultBaseMs) * config.timeScale;
  const limit = t?.limitMs == null ? null : t.limitMs * config.timeScale;
  return { baseMs: base, limitMs: limit };
}

/** When the payment should next be asked about, or null if not yet due. */
export function statusDue(ctx: ServiceContext, p: PaymentRow, now: number): boolean {
  if (!['created', 'awaiting_redirect', 'awaiting_clarification', 'processing'].includes(p.status))
    return false;
  const age = now - p.createdAt.getTime();
  const { baseMs } = times(ctx, p);
  // A send whose outcome is unknown is worth asking about sooner.
  const due = p.gateState === 'retryable' ? Math.min(baseMs, recheckMs(ctx, 0)) : baseMs;
  if (age < due) return false;
  if (!p.statusCheckedAt) return true;
  return now - p.statusCheckedAt.getTime() >= recheckMs(ctx, age);
}

/** Between two status checks: a tenth of the payment's age, within [sweep interval, 1 h]. */
export function recheckMs(ctx: ServiceContext, age: number): number {
  const floor = ctx.deps.config.sweepIntervalMs;
  return Math.min(HOUR, Math.max(floor, age / 10));
}

/** Fire-and-forget status check for a stale payment (from a status read). */
export function maybeCheckStatus(ctx: ServiceContext, p: PaymentRow): void {
  if (ctx.checking.has(p.id) || !statusDue(ctx, p, ctx.deps.now())) return;
  void checkStatus(ctx, p).catch((error: unknown) =>
    ctx.log.error('status.check_failed', { payment_id: p.id, error: String(error) }),
  );
}

/**
 * Asks the Gate for the payment's status and applies the answer like a callback; past the method's
 * limit time a payment still without a result is declined.
 */
export async function checkStatus(ctx: ServiceContext, p: PaymentRow): Promise<PaymentRow> {
  const { store, gate } = ctx.deps;
  if (ctx.checking.has(p.id)) return p;
  ctx.checking.add(p.id);
  try {
    const now = ctx.deps.now();
    const age = now - p.createdAt.getTime();
    const claimed = await store.claimStatusCheck(
      p.id,
      new Date(now),
      new Date(now - recheckMs(ctx, age) + 1),
    );
    if (!claimed) return p;
    const answer = await gate.status(p.id);
    let current: PaymentRow = p;
    if (answer.kind === 'found') {
      const r = await recordGateMessage(ctx, answer.raw, answer.data, 'status');
      if (r.payment) current = r.payment;
    } else if (answer.kind === 'not_found') {
      current = (await notAtGate(ctx, p)) ?? p;
    }
    const { limitMs } = times(ctx, current);
    // A payment held for review is for a person to settle: the Gate may have taken the money.
    if (limitMs !== null && age > limitMs && !isFinal(current.status) && current.reviewReason === null) {
      ctx.log.warn('payment.limit_time_passed', { payment_id: p.id, age_ms: age });
      current =
        (await conclude(
          ctx,
          p.id,
          'decline',
          '20602',
          'Time-out: no result within the method’s limit time',
        )) ?? current;
    }
    return current;
  } finally {
    ctx.checking.delete(p.id);
  }
}

/**
 * Ends a payment by the backend's own decision (no answer within the limit time, a Payment Page never
 * used), if the state machine allows it from where the payment is: null when it does not (or no row).
 */
export function conclude(
  ctx: ServiceContext,
  id: string,
  state: PaymentState,
  code: string,
  message: string,
): Promise<PaymentRow | null> {
  return ctx.deps.store.mutatePayment(id, ctx.date(), (cur) => {
    const t = transition(cur.status, state);
    return t.changed ? { changes: { status: t.state, code, message }, visible: true } : null;
  });
}

/** The Gate says it has no such payment (3061). */
export async function notAtGate(ctx: ServiceContext, p: PaymentRow): Promise<PaymentRow | null> {
  if (p.gateState === 'payment_page') {
    // A Payment Page that was never used: once its session (the page's best_before) has expired, it never
    // will be.
    const session = p.sessionId ? await ctx.deps.store.getSession(p.sessionId) : null;
    if (!session || session.expiresAt.getTime() > ctx.deps.now()) return null;
    return conclude(ctx, p.id, 'expired', '3061', 'The Payment Page was not used before the session expired');
  }
  // Only a send that never got an answer can be missing at the Gate; and only once no send is running: a
  // failed one (retryable), or one abandoned past its lease (its instance was killed mid-send).
  const staleBefore = sendStaleBefore(ctx, ctx.date()).getTime();
  const abandoned = (r: PaymentRow): boolean =>
    r.gateState === 'retryable' ||
    (r.gateState === 'pending' && (r.sendingSince?.getTime() ?? 0) < staleBefore);
  if (!abandoned(p)) {
    ctx.log.warn('status.not_found', { payment_id: p.id, gate_state: p.gateState });
    return null;
  }
  return ctx.deps.store.mutatePayment(p.id, ctx.date(), (cur) => {
    if (!abandoned(cur)) return null;
    const t = transition(cur.status, 'error');
    return {
      changes: {
        gateState: 'rejected',
        sendingSince: null,
        ...(t.changed
          ? { status: t.state, code: '3061', message: 'The payment never reached the Gate' }
          : {}),
      },
      visible: t.changed,
    };
  });
}

/** One pass of the sweeper: status checks for payments whose callback is late. */
export async function sweep(ctx: ServiceContext, limit = 200): Promise<number> {
  const now = ctx.deps.now();
  // Younger payments cannot be due yet: leave them out so they never crowd out the ones that are.
  const { catalog, config } = ctx.deps;
  const bases = catalog.methods.flatMap((m) => [m.purchaseTimes.baseMs, m.payout?.times.baseMs]);
  const minBase = Math.min(config.defaultBaseMs, ...bases.filter((b): b is number => typeof b === 'number'));
  const youngest = Math.min(minBase * config.timeScale, recheckMs(ctx, 0));
  const open = await ctx.deps.store.openPayments(limit, new Date(now - youngest + 1));
  const due = open.filter((p) => statusDue(ctx, p, now));
  for (const p of due) {
    try {
      await checkStatus(ctx, p);
    } catch (error) {
      ctx.log.error('status.check_failed', { payment_id: p.id, error: String(error) });
    }
  }
  return due.length;
}
