/** A Gate send's synchronous answer, for purchases and payouts alike. */
import type { MethodDefinition } from '../../core/methods/index.ts';
import { transition } from '../../core/status.ts';
import type { PaymentRow } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import { CODE_DUPLICATE_PAYMENT, type GateAnswer } from '../gate.ts';
import type { ServiceContext } from './context.ts';

/** Records the Gate's synchronous answer; throws a retryable 502/504 when the outcome is unknown. */
export async function afterSend(
  ctx: ServiceContext,
  p: PaymentRow,
  answer: GateAnswer,
  method: MethodDefinition,
): Promise<PaymentRow> {
  const { store } = ctx.deps;
  const now = ctx.date();
  const repeat = p.sendAttempts > 1;
  if (
    answer.kind === 'accepted' ||
    (answer.kind === 'refused' && repeat && answer.code === CODE_DUPLICATE_PAYMENT)
  ) {
    const requestId = answer.kind === 'accepted' ? answer.requestId : null;
    if (p.type === 'purchase' && method.redirect) return (await store.markAccepted(p.id, requestId, p)) ?? p;
    const updated = await store.mutatePayment(p.id, now, (cur) => {
      const changes: Partial<PaymentRow> = { sendingSince: null };
      if (cur.gateState !== 'rejected') changes.gateState = 'accepted';
      if (requestId && !cur.requestId) changes.requestId = requestId;
      let visible = false;
      // Without a redirect (Jeton, payouts) the payment is with the provider now.
      if (!(cur.type === 'purchase' && method.redirect)) {
        const t = transition(cur.status, 'processing');
        if (t.changed) {
          changes.status = t.state;
          visible = true;
        }
      }
      return { changes, visible };
    });
    return updated ?? p;
  }
  if (answer.kind === 'refused') {
    ctx.log.warn('payment.refused_by_gate', {
      payment_id: p.id,
      code: answer.code,
      http_status: answer.httpStatus,
    });
    const updated = await store.mutatePayment(p.id, now, (cur) => {
      const t = transition(cur.status, 'error');
      return {
        changes: {
          gateState: 'rejected',
          sendingSince: null,
          ...(t.changed ? { status: t.state, code: answer.code, message: answer.message } : {}),
        },
        visible: t.changed,
      };
    });
    return updated ?? p;
  }
  await store.mutatePayment(p.id, now, (cur) =>
    cur.gateState === 'pending'
      ? { changes: { gateState: 'retryable', sendingSince: null }, visible: false }
      : null,
  );
  throw gateFailure(
    answer,
    `Payment ${p.id} was not confirmed by the Gate. Retry with the same Idempotency-Key.`,
  );
}

export function gateFailure(answer: GateAnswer, message: string): ApiError {
  if (answer.kind === 'timeout') return new ApiError(504, 'gate_timeout', `${answer.message}. ${message}`);
  const detail = answer.kind === 'unavailable' ? answer.message : 'The Gate is unavailable';
  return new ApiError(502, 'gate_unavailable', `${detail}. ${message}`);
}

/** A send started before this is abandoned (its request timed out twice over, or its instance died). */
export function sendStaleBefore(ctx: ServiceContext, now: Date): Date {
  return new Date(now.getTime() - 2 * ctx.deps.config.gateTimeoutMs);
}

/**
 * A repeat of a request whose Gate send another request is running (or ran, in an instance that died less
 * than its lease ago): waits until that send has an answer, or its lease runs out, and answers the row then.
 * Polled (every 50 ms) rather than woken: the send's end is not a visible change, so no waiter is notified.
 * Answers null when the lease ran out with the send still open: the caller takes it over.
 */
export async function awaitRunningSend(ctx: ServiceContext, p: PaymentRow): Promise<PaymentRow | null> {
  let current = (await ctx.deps.store.getPayment(p.id)) ?? p;
  if (current.gateState !== 'pending') return current;
  // The lease's remainder by the service's clock, then counted on the real one (a test's clock may stand).
  const since = current.sendingSince?.getTime() ?? 0;
  const left = since - sendStaleBefore(ctx, ctx.date()).getTime();
  const until = performance.now() + Math.max(0, left);
  for (;;) {
    if (current.gateState !== 'pending') return current;
    if (performance.now() >= until) return null;
    if (ctx.stopping.signal.aborted) return current;
    await new Promise((r) => setTimeout(r, Math.min(50, Math.max(1, until - performance.now()))));
    current = (await ctx.deps.store.getPayment(p.id)) ?? current;
  }
}
