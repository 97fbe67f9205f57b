/**
 * Purchases: sessions (created by the merchant, read by the browser) and the payments made in them — the
 * insert that the unique indexes make idempotent, the Gate sale, its re-send, and the long-poll wait.
 */
import type { CreatePaymentRequest, CreateSessionRequest, PaymentView, SessionView } from '../../core/api.ts';
import { sessionPrices } from '../../core/api.ts';
import type { MethodId } from '../../core/methods/index.ts';
import { isFinal, isPaid } from '../../core/status.ts';
import type { NewPaymentRow, PaymentRow, SessionRow } from '../db/schema.ts';
import { ApiError, notFound } from '../errors.ts';
import { buildSaleRequest } from '../gate.ts';
import { sessionView } from '../views.ts';
import { newId, type Created, type ServiceContext } from './context.ts';
import { afterSend, awaitRunningSend, sendStaleBefore } from './send.ts';
import { maybeCheckStatus } from './status-checks.ts';

export const DEFAULT_SESSION_TTL_S = 24 * 3600;

export async function createSession(ctx: ServiceContext, req: CreateSessionRequest): Promise<SessionView> {
  const now = ctx.date();
  const prices = sessionPrices(req);
  // A session no method can take could never be paid: refused, saying why for each method.
  const { catalog } = ctx.deps;
  const availability = catalog.availability(
    Object.fromEntries(prices.map((p) => [p.currency, p.amount])),
    req.methods ?? undefined,
  );
  if (availability.available.length === 0) {
    const why = availability.unavailable
      .filter((u) => u.reason.code !== 'not_enabled')
      .map((u) => `${catalog.get(u.method).name}: ${u.reason.message}`)
      .join('; ');
    const priced = prices.map((p) => p.currency).join(', ');
    throw new ApiError(
      422,
      'no_method_available',
      `No payment method can take this order, priced in ${priced} (${why})`,
      req.methods ? 'methods' : 'currency',
    );
  }
  const row: SessionRow = {
    id: newId('ses'),
    prices,
    customer: req.customer,
    description: req.description ?? null,
    methods: req.methods ?? null,
    returnUrl: req.return_url,
    locale: req.locale ?? null,
    expiresAt: new Date(now.getTime() + (req.expires_in ?? DEFAULT_SESSION_TTL_S) * 1000),
    createdAt: now,
  };
  await ctx.deps.store.insertSession(row);
  ctx.log.info('session.created', { session_id: row.id, prices: prices.length });
  // A new session has no payments: nothing to look up.
  return sessionViewWith(ctx, row, false, null);
}

export async function getSession(ctx: ServiceContext, id: string): Promise<SessionRow> {
  const s = await ctx.deps.store.getSession(id);
  if (!s) throw notFound('session', id);
  return s;
}

export async function sessionViewOf(ctx: ServiceContext, session: SessionRow): Promise<SessionView> {
  const { store } = ctx.deps;
  // The payment in progress or paid, if any, else the latest one (a decline the shopper may retry).
  const [paid, slot, latest] = await Promise.all([
    store.sessionPaid(session.id),
    store.findSlotPayment(session.id),
    store.latestSessionPayment(session.id),
  ]);
  return sessionViewWith(ctx, session, paid, slot ?? latest);
}

export function sessionViewWith(
  ctx: ServiceContext,
  session: SessionRow,
  paid: boolean,
  latest: PaymentRow | null,
): SessionView {
  const { catalog, config } = ctx.deps;
  return sessionView(session, catalog, {
    paid,
    latest,
    now: ctx.date(),
    testMode: config.testProject || !config.production,
    redirectHosts: config.redirectHosts,
  });
}

export async function assertOpen(ctx: ServiceContext, session: SessionRow): Promise<void> {
  if (await ctx.deps.store.sessionPaid(session.id)) {
    throw new ApiError(409, 'session_completed', 'This session has been paid already');
  }
  if (session.expiresAt.getTime() <= ctx.deps.now()) {
    throw new ApiError(409, 'session_expired', 'This session has expired; ask the shop for a new one');
  }
}

/** The session's price in `currency`, for a method the session offers. */
export function priceFor(
  ctx: ServiceContext,
  session: SessionRow,
  method: MethodId | undefined,
  currency: string | undefined,
) {
  const { catalog } = ctx.deps;
  const enabled = session.methods ?? undefined;
  if (method !== undefined && enabled && !enabled.includes(method)) {
    throw new ApiError(
      422,
      'method_not_offered',
      `${catalog.get(method).name} is not offered for this order`,
      'method',
    );
  }
  const price =
    currency === undefined ? session.prices[0] : session.prices.find((p) => p.currency === currency);
  if (!price) {
    throw new ApiError(
      422,
      'currency_not_offered',
      `This order is priced in ${session.prices.map((p) => p.currency).join(', ')} only`,
      'currency',
    );
  }
  if (method !== undefined) {
    const reason = catalog.check(method, price.amount, price.currency);
    if (reason) throw new ApiError(422, 'method_unavailable', reason.message, 'method');
  }
  return price;
}

export async function createPurchase(
  ctx: ServiceContext,
  input: {
    session: SessionRow;
    req: CreatePaymentRequest;
    fields: Record<string, string>;
    idempotencyKey: string | null;
    ip: string;
  },
): Promise<Created<PaymentView>> {
  const { store } = ctx.deps;
  const { session } = input;
  const fingerprint = ctx.fingerprint([input.req.method, input.req.currency, input.fields]);
  const send = { session, fields: input.fields, ip: input.ip };

  for (let attempt = 0; attempt < 4; attempt++) {
    // First try the insert: the unique indexes refuse it when the key was used or the session's slot is
    // taken (in progress or paid), and only then are the existing payments looked up. An expired session
    // takes the long way, so that a repeat still finds its payment.
    const lookFirst = attempt > 0 || session.expiresAt.getTime() <= ctx.deps.now();
    if (lookFirst && input.idempotencyKey) {
      const existing = await store.findByIdempotencyKey(session.id, input.idempotencyKey);
      if (existing) {
        if (existing.fingerprint !== fingerprint) {
          throw new ApiError(
            422,
            'idempotency_key_reused',
            'This Idempotency-Key was used for a different payment request; use a new key for a new attempt',
          );
        }
        return { view: ctx.view(await resumeSale(ctx, existing, send)), created: false };
      }
    }
    const slot = lookFirst ? await store.findSlotPayment(session.id) : null;
    if (slot) {
      if (isPaid(slot.status))
        throw new ApiError(409, 'session_completed', 'This session has been paid already');
      if (slot.method === input.req.method && slot.currency === input.req.currency) {
        return { view: ctx.view(await resumeSale(ctx, slot, send)), created: false };
      }
      throw new ApiError(
        409,
        'payment_in_progress',
        `Payment ${slot.id} (${slot.method ?? 'unknown method'}) is in progress for this session; finish or wait for it first`,
      );
    }
    if (session.expiresAt.getTime() <= ctx.deps.now()) {
      throw new ApiError(409, 'session_expired', 'This session has expired; ask the shop for a new one');
    }
    // The amount is the session's, never the browser's.
    const price = priceFor(ctx, session, input.req.method, input.req.currency);
    const now = ctx.date();
    const row: NewPaymentRow = {
      id: newId('pay'),
      sessionId: session.id,
      channel: 'gate',
      type: 'purchase',
      method: input.req.method,
      amount: price.amount,
      currency: price.currency,
      status: 'created',
      version: 1,
      idemScope: session.id,
      idempotencyKey: input.idempotencyKey,
      fingerprint,
      customerId: session.customer.id,
      description: session.description,
      gateState: 'pending',
      sendAttempts: 1,
      sendingSince: now,
      clarificationSent: false,
      refundedAmount: 0,
      createdAt: now,
      updatedAt: now,
    };
    const inserted = await store.insertPayment(row);
    if (!inserted) continue; // a concurrent request won the unique index: find its payment
    ctx.log.info('payment.created', {
      payment_id: inserted.id,
      session_id: session.id,
      method: inserted.method,
    });
    return { view: ctx.view(await sendSale(ctx, inserted, send)), created: true };
  }
  throw new ApiError(409, 'conflict', 'A concurrent request is creating this payment; retry');
}

/** A repeat of a payment request: re-sends the same Gate payment_id if the last send failed. */
export async function resumeSale(
  ctx: ServiceContext,
  p: PaymentRow,
  send: { session: SessionRow; fields: Record<string, string>; ip: string },
): Promise<PaymentRow> {
  if (p.gateState !== 'retryable' && p.gateState !== 'pending') return p;
  const now = ctx.date();
  const claimed = await ctx.deps.store.claimSend(p.id, now, sendStaleBefore(ctx, now));
  if (!claimed) {
    // Another request is sending this payment to the Gate now (or was, in an instance killed less than its
    // lease ago). Its `created` view would leave the shopper's repeat with a payment nobody may be sending:
    // wait for that send's answer; past its lease, take the send over.
    const settled = await awaitRunningSend(ctx, p);
    if (settled) return settled;
    const retaken = await ctx.deps.store.claimSend(p.id, ctx.date(), sendStaleBefore(ctx, ctx.date()));
    if (!retaken) return (await ctx.deps.store.getPayment(p.id)) ?? p;
    ctx.log.info('payment.resend', { payment_id: p.id, attempt: retaken.sendAttempts, abandoned: true });
    return sendSale(ctx, retaken, send);
  }
  ctx.log.info('payment.resend', { payment_id: p.id, attempt: claimed.sendAttempts });
  return sendSale(ctx, claimed, send);
}

export async function sendSale(
  ctx: ServiceContext,
  p: PaymentRow,
  send: { session: SessionRow; fields: Record<string, string>; ip: string },
): Promise<PaymentRow> {
  const { gate, catalog } = ctx.deps;
  const method = catalog.get(p.method as MethodId);
  const body = buildSaleRequest(gate.context, catalog, {
    paymentId: p.id,
    method: method.id,
    amount: p.amount,
    currency: p.currency,
    description: p.description,
    customer: send.session.customer,
    fields: send.fields,
    ip: send.ip,
    returnUrl: send.session.returnUrl,
  });
  const answer = await gate.send(method.gate.sale, body);
  return afterSend(ctx, p, answer, method);
}

export async function getPayment(
  ctx: ServiceContext,
  id: string,
  opts: { includePayouts?: boolean } = {},
): Promise<PaymentRow> {
  const p = await ctx.deps.store.getPayment(id);
  // Payouts (and their vouchers) are the merchant's: never readable with the id alone.
  if (!p || (p.type === 'payout' && !opts.includePayouts)) throw notFound('payment', id);
  return p;
}

/**
 * The payment once its version is above `version`, or after `waitMs`; a stale open payment also starts
 * a status check (whose answer then wakes this wait).
 */
export async function waitForPayment(
  ctx: ServiceContext,
  id: string,
  version: number | undefined,
  waitMs: number,
  signal?: AbortSignal,
): Promise<PaymentRow> {
  let p = await getPayment(ctx, id);
  maybeCheckStatus(ctx, p);
  if (
    version === undefined ||
    waitMs <= 0 ||
    p.version > version ||
    isFinal(p.status) ||
    ctx.stopping.signal.aborted
  )
    return p;
  const store = ctx.deps.store;
  return new Promise<PaymentRow>((resolve, reject) => {
    let done = false;
    let reading = false;
    let again = false;
    const finish = (row: PaymentRow): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      ctx.stopping.signal.removeEventListener('abort', onAbort);
      resolve(row);
    };
    const read = async (): Promise<void> => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          const row = await store.getPayment(id);
          if (row) p = row;
          if (p.version > version || isFinal(p.status)) return finish(p);
        } while (again && !done);
      } catch (error) {
        if (!done) {
          done = true;
          clearTimeout(timer);
          unsubscribe();
          reject(error);
        }
      } finally {
        reading = false;
      }
    };
    const unsubscribe = store.subscribe(id, () => void read());
    const timer = setTimeout(() => void read().finally(() => finish(p)), waitMs);
    const onAbort = (): void => finish(p);
    signal?.addEventListener('abort', onAbort, { once: true });
    ctx.stopping.signal.addEventListener('abort', onAbort, { once: true });
    // A change may have landed between the first read and the subscription.
    void read();
  });
}
