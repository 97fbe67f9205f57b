/** Merchant operations: payouts (Gate sends of type payout) and refunds of paid purchases. */
import type { PaymentView, PayoutRequest } from '../../core/api.ts';
import type { NewPaymentRow, PaymentRow, RefundRow } from '../db/schema.ts';
import { ApiError, notFound } from '../errors.ts';
import { buildPayoutRequest, buildRefundRequest } from '../gate.ts';
import { refundView, type RefundView } from '../views.ts';
import { newId, type Created, type ServiceContext } from './context.ts';
import { getPayment } from './purchase.ts';
import { afterSend, awaitRunningSend, gateFailure, sendStaleBefore } from './send.ts';

export async function createPayout(
  ctx: ServiceContext,
  req: PayoutRequest,
  idempotencyKey: string | null,
  ip: string,
): Promise<Created<PaymentView>> {
  const { store, catalog, gate } = ctx.deps;
  const fingerprint = ctx.fingerprint(req);
  const reason = catalog.checkPayout(req.method, req.amount, req.currency);
  if (reason) {
    const field = reason.code === 'below_minimum' || reason.code === 'above_maximum' ? 'amount' : 'currency';
    throw new ApiError(422, 'payout_unavailable', reason.message, field);
  }
  const method = catalog.get(req.method);
  // The method's payout account spec says whether the Gate takes the account (Jeton's is ours alone).
  const account: Record<string, string | undefined> =
    method.payout?.account.sentToGate === false ? {} : { ...(req.account as Record<string, string>) };
  const build = (p: PaymentRow) =>
    buildPayoutRequest(gate.context, {
      paymentId: p.id,
      method: req.method,
      amount: p.amount,
      currency: p.currency,
      description: req.description,
      customerId: req.customer.id,
      ip,
      account,
    });
  const sendPayout = async (p: PaymentRow): Promise<PaymentRow> =>
    afterSend(ctx, p, await gate.send(method.gate.payout as string, build(p)), method);

  if (idempotencyKey) {
    const existing = await store.findByIdempotencyKey('payout', idempotencyKey);
    if (existing) {
      if (existing.fingerprint !== fingerprint) {
        throw new ApiError(
          422,
          'idempotency_key_reused',
          'This Idempotency-Key was used for a different payout',
        );
      }
      const now = ctx.date();
      const claimed =
        existing.gateState === 'retryable' || existing.gateState === 'pending'
          ? await store.claimSend(existing.id, now, sendStaleBefore(ctx, now))
          : null;
      if (claimed) return { view: ctx.merchantView(await sendPayout(claimed)), created: false };
      // A send still running under another request: its answer (see resumeSale), or past its lease, ours.
      const settled = await awaitRunningSend(ctx, existing);
      if (settled) return { view: ctx.merchantView(settled), created: false };
      const retaken = await store.claimSend(existing.id, ctx.date(), sendStaleBefore(ctx, ctx.date()));
      const current = retaken
        ? await sendPayout(retaken)
        : ((await store.getPayment(existing.id)) ?? existing);
      return { view: ctx.merchantView(current), created: false };
    }
  }
  const now = ctx.date();
  const row: NewPaymentRow = {
    id: newId('pout'),
    sessionId: null,
    channel: 'gate',
    type: 'payout',
    method: req.method,
    amount: req.amount,
    currency: req.currency,
    status: 'created',
    version: 1,
    idemScope: 'payout',
    idempotencyKey,
    fingerprint,
    customerId: req.customer.id,
    description: req.description ?? null,
    gateState: 'pending',
    sendAttempts: 1,
    sendingSince: now,
    clarificationSent: false,
    refundedAmount: 0,
    createdAt: now,
    updatedAt: now,
  };
  const inserted = await store.insertPayment(row);
  if (!inserted) {
    // The same key, concurrently: answer with that payout.
    const existing = idempotencyKey ? await store.findByIdempotencyKey('payout', idempotencyKey) : null;
    if (!existing) throw new ApiError(409, 'conflict', 'A concurrent request is creating this payout; retry');
    return { view: ctx.merchantView(existing), created: false };
  }
  ctx.log.info('payout.created', { payment_id: inserted.id, method: inserted.method });
  return { view: ctx.merchantView(await sendPayout(inserted)), created: true };
}

export async function createRefund(
  ctx: ServiceContext,
  paymentId: string,
  req: { description: string; amount?: number | undefined },
  idempotencyKey: string | null,
): Promise<Created<{ refund: RefundView; payment: PaymentView }>> {
  const { store, catalog, gate } = ctx.deps;
  const p = await getPayment(ctx, paymentId, { includePayouts: true });
  if (p.type !== 'purchase' || !p.method || catalog.get(p.method).refunds === 'none') {
    const name = p.method ? catalog.get(p.method).name : 'This payment method';
    throw new ApiError(
      422,
      'refunds_not_supported',
      `${name} ${p.type === 'payout' ? 'payouts' : 'payments'} cannot be refunded through the API`,
    );
  }
  const check = await store.createRefund({
    id: newId('ref'),
    paymentId,
    amount: req.amount,
    description: req.description,
    idempotencyKey,
    now: ctx.date(),
  });
  if (!check.ok) {
    if (check.code === 'not_found') throw notFound('payment', paymentId);
    if (check.code === 'not_refundable') throw new ApiError(409, 'not_refundable', check.message);
    throw new ApiError(422, 'refund_exceeds_remaining', check.message, 'amount');
  }
  let refund: RefundRow = check.refund;
  if (!check.created) {
    return { view: { refund: refundView(refund), payment: ctx.merchantView(check.payment) }, created: false };
  }
  const method = catalog.get(p.method);
  const body = buildRefundRequest(gate.context, {
    paymentId,
    description: req.description,
    amount: refund.full ? undefined : refund.amount,
    currency: refund.currency,
  });
  const answer = await gate.send(method.gate.refund as string, body);
  const now = ctx.date();
  if (answer.kind === 'accepted') {
    refund =
      (await store.refundSent(refund.id, now, {
        status: 'pending',
        ...(answer.requestId ? { requestId: answer.requestId } : {}),
      })) ?? refund;
  } else if (answer.kind === 'refused') {
    await store.refundSent(refund.id, now, { status: 'error', code: answer.code, message: answer.message });
    throw new ApiError(
      422,
      'refund_refused',
      `The Gate refused the refund: ${answer.message} (code ${answer.code})`,
    );
  } else {
    // A refund cannot be safely re-sent (the Gate keys it by the purchase's id), so it stays reserved until
    // its callback tells the outcome.
    await store.refundSent(refund.id, now, { status: 'unknown' });
    throw gateFailure(
      answer,
      `The outcome of refund ${refund.id} is unknown; its callback will settle it. Do not send it again.`,
    );
  }
  ctx.log.info('refund.created', { refund_id: refund.id, payment_id: paymentId, amount: refund.amount });
  const latest = (await store.getPayment(paymentId)) ?? p;
  return { view: { refund: refundView(refund), payment: ctx.merchantView(latest) }, created: true };
}
