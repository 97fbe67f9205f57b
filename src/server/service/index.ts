/**
 * The backend's operations, HTTP-free (the routes in `../routes/` map requests onto these), one file per
 * part of a payment's life: `purchase.ts` (sessions and their payments), `send.ts` (a Gate send's answer),
 * `clarification.ts`, `payment-page.ts`, `gate-messages.ts` (callbacks and status answers: parsed, stored,
 * applied), `status-checks.ts` (the sweeper), `payouts-refunds.ts`. `Service` is their one face.
 */
import type {
  ClarificationRequest,
  CreateSessionRequest,
  PaymentPageResponse,
  PaymentView,
  PayoutRequest,
  SessionView,
} from '../../core/api.ts';
import type { Catalog, MethodId } from '../../core/methods/index.ts';
import type { PaymentRow, SessionRow } from '../db/schema.ts';
import type { RecordResult } from '../store/index.ts';
import type { RefundView } from '../views.ts';
import { clarify } from './clarification.ts';
import { ServiceContext, type Created, type ServiceDeps } from './context.ts';
import { recordGateMessage, type GateUpdate } from './gate-messages.ts';
import { paymentPage } from './payment-page.ts';
import { createPayout, createRefund } from './payouts-refunds.ts';
import * as purchase from './purchase.ts';
import * as status from './status-checks.ts';

export { newId, type Created, type ServiceDeps } from './context.ts';
export { DEFAULT_SESSION_TTL_S } from './purchase.ts';

export class Service {
  private readonly ctx: ServiceContext;

  constructor(deps: ServiceDeps) {
    this.ctx = new ServiceContext(deps);
  }

  /** Ends every held long-poll (graceful shutdown). */
  stop(): void {
    this.ctx.stopping.abort();
  }

  get catalog(): Catalog {
    return this.ctx.deps.catalog;
  }

  view(p: PaymentRow): PaymentView {
    return this.ctx.view(p);
  }

  /** The merchant's view (authenticated routes only): review state and a payout's vouchers. */
  merchantView(p: PaymentRow): PaymentView {
    return this.ctx.merchantView(p);
  }

  // ── purchase.ts ─────────────────────────────────────────────────────────────────────────────────
  createSession(req: CreateSessionRequest): Promise<SessionView> {
    return purchase.createSession(this.ctx, req);
  }
  getSession(id: string): Promise<SessionRow> {
    return purchase.getSession(this.ctx, id);
  }
  sessionViewOf(session: SessionRow): Promise<SessionView> {
    return purchase.sessionViewOf(this.ctx, session);
  }
  /** The session's price in `currency`, for a method the session offers (else a 422). */
  priceFor(session: SessionRow, method: MethodId | undefined, currency: string | undefined) {
    return purchase.priceFor(this.ctx, session, method, currency);
  }
  createPurchase(input: Parameters<typeof purchase.createPurchase>[1]): Promise<Created<PaymentView>> {
    return purchase.createPurchase(this.ctx, input);
  }
  getPayment(id: string, opts: { includePayouts?: boolean } = {}): Promise<PaymentRow> {
    return purchase.getPayment(this.ctx, id, opts);
  }
  /** The payment once its version is above `version`, or after `waitMs` (a long-poll). */
  waitForPayment(
    id: string,
    version: number | undefined,
    waitMs: number,
    signal?: AbortSignal,
  ): Promise<PaymentRow> {
    return purchase.waitForPayment(this.ctx, id, version, waitMs, signal);
  }

  // ── clarification.ts, payment-page.ts ───────────────────────────────────────────────────────────
  clarify(id: string, req: ClarificationRequest): Promise<PaymentView> {
    return clarify(this.ctx, id, req);
  }
  paymentPage(
    sessionId: string,
    req: { method?: MethodId | undefined; currency?: string | undefined },
  ): Promise<PaymentPageResponse> {
    return paymentPage(this.ctx, sessionId, req);
  }

  // ── gate-messages.ts, status-checks.ts ──────────────────────────────────────────────────────────
  /** Stores and applies a verified Gate message (callback or status answer). */
  recordGateMessage(
    rawBody: string,
    data: unknown,
    source: 'callback' | 'status',
  ): Promise<RecordResult & { update: GateUpdate }> {
    return recordGateMessage(this.ctx, rawBody, data, source);
  }
  /** Asks the Gate for the payment's status and applies the answer like a callback. */
  checkStatus(p: PaymentRow): Promise<PaymentRow> {
    return status.checkStatus(this.ctx, p);
  }
  /** One pass of the sweeper: status checks for payments whose callback is late. */
  sweep(limit?: number): Promise<number> {
    return status.sweep(this.ctx, limit);
  }

  // ── payouts-refunds.ts ──────────────────────────────────────────────────────────────────────────
  createPayout(req: PayoutRequest, idempotencyKey: string | null, ip: string): Promise<Created<PaymentView>> {
    return createPayout(this.ctx, req, idempotencyKey, ip);
  }
  createRefund(
    paymentId: string,
    req: { description: string; amount?: number | undefined },
    idempotencyKey: string | null,
  ): Promise<Created<{ refund: RefundView; payment: PaymentView }>> {
    return createRefund(this.ctx, paymentId, req, idempotencyKey);
  }
}
