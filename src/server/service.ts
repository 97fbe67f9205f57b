/**
 * The backend's operations: sessions, purchases, payouts, refunds, clarification, the Payment Page, the
 * status checks that recover late callbacks. HTTP-free; `app.ts` maps requests onto these.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type {
  ClarificationRequest,
  CreatePaymentRequest,
  CreateSessionRequest,
  PaymentPageResponse,
  PaymentView,
  PayoutRequest,
  SessionView,
} from '../core/api.ts';
import { sessionPrices } from '../core/api.ts';
import type { Catalog, MethodDefinition, MethodId } from '../core/methods/index.ts';
import { signPaymentPageParams, numberToPlainString } from '../core/signature.ts';
import { isFinal, isPaid, transition, type PaymentState } from '../core/status.ts';
import type { ServerConfig } from './config.ts';
import type { NewPaymentRow, PaymentRow, RefundRow, SessionRow } from './db/schema.ts';
import { ApiError, notFound } from './errors.ts';
import {
  buildClarificationRequest,
  buildPayoutRequest,
  buildRefundRequest,
  buildSaleRequest,
  callbackUrl,
  CLARIFICATION_PATH,
  CODE_DUPLICATE_PAYMENT,
  returnUrlFor,
  type GateAnswer,
  type GateClient,
} from './gate.ts';
import type { Logger } from './logger.ts';
import type { RecordResult, Store } from './store.ts';
import { parseGateMessage, type GateUpdate } from './updates.ts';
import { paymentView, refundView, sessionView, type RefundView } from './views.ts';

export interface ServiceDeps {
  config: ServerConfig;
  store: Store;
  gate: GateClient;
  catalog: Catalog;
  log: Logger;
  now: () => number;
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString('hex')}`;
}

export const DEFAULT_SESSION_TTL_S = 24 * 3600;
const HOUR = 3_600_000;

/** Result of a create call: the payment, and whether this call created it (201) or found it (200). */
export interface Created<T> {
  view: T;
  created: boolean;
}

export class Service {
  /** Aborted on shutdown: held long-polls answer at once with what they have. */
  private readonly stopping = new AbortController();

  constructor(private readonly deps: ServiceDeps) {}

  /** Ends every held long-poll (graceful shutdown). */
  stop(): void {
    this.stopping.abort();
  }

  get catalog(): Catalog {
    return this.deps.catalog;
  }

  private get log(): Logger {
    return this.deps.log;
  }

  private date(): Date {
    return new Date(this.deps.now());
  }

  view(p: PaymentRow): PaymentView {
    return paymentView(p, { devHosts: this.deps.config.redirectDevHosts, log: this.log });
  }

  /** A keyed hash of a request, to tell a retry from a different request under the same key. */
  fingerprint(value: unknown): string {
    return createHmac('sha256', this.deps.config.secretKey).update(JSON.stringify(value)).digest('base64url');
  }

  // ── sessions ──────────────────────────────────────────────────────────────────────────────────

  async createSession(req: CreateSessionRequest): Promise<SessionView> {
    const now = this.date();
    const prices = sessionPrices(req);
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
    await this.deps.store.insertSession(row);
    this.log.info('session.created', { session_id: row.id, prices: prices.length });
    // A new session has no payments: nothing to look up.
    return this.sessionViewWith(row, false, null);
  }

  async getSession(id: string): Promise<SessionRow> {
    const s = await this.deps.store.getSession(id);
    if (!s) throw notFound('session', id);
    return s;
  }

  async sessionViewOf(session: SessionRow): Promise<SessionView> {
    const { store } = this.deps;
    // The payment in progress or paid, if any, else the latest one (a decline the shopper may retry).
    const [paid, slot, latest] = await Promise.all([
      store.sessionPaid(session.id),
      store.findSlotPayment(session.id),
      store.latestSessionPayment(session.id),
    ]);
    return this.sessionViewWith(session, paid, slot ?? latest);
  }

  private sessionViewWith(session: SessionRow, paid: boolean, latest: PaymentRow | null): SessionView {
    const { catalog, config } = this.deps;
    return sessionView(session, catalog, {
      paid,
      latest,
      now: this.date(),
      testMode: config.testProject || !config.production,
    });
  }

  private async assertOpen(session: SessionRow): Promise<void> {
    if (await this.deps.store.sessionPaid(session.id)) {
      throw new ApiError(409, 'session_completed', 'This session has been paid already');
    }
    if (session.expiresAt.getTime() <= this.deps.now()) {
      throw new ApiError(409, 'session_expired', 'This session has expired; ask the shop for a new one');
    }
  }

  /** The session's price in `currency`, for a method the session offers. */
  priceFor(session: SessionRow, method: MethodId | undefined, currency: string | undefined) {
    const { catalog } = this.deps;
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

  // ── purchases ─────────────────────────────────────────────────────────────────────────────────

  async createPurchase(input: {
    session: SessionRow;
    req: CreatePaymentRequest;
    fields: Record<string, string>;
    idempotencyKey: string | null;
    ip: string;
  }): Promise<Created<PaymentView>> {
    const { store } = this.deps;
    const { session } = input;
    const fingerprint = this.fingerprint([input.req.method, input.req.currency, input.fields]);
    const send = { session, fields: input.fields, ip: input.ip };

    for (let attempt = 0; attempt < 4; attempt++) {
      // First try the insert: the unique indexes refuse it when the key was used or the session's slot is
      // taken (in progress or paid), and only then are the existing payments looked up. An expired session
      // takes the long way, so that a repeat still finds its payment.
      const lookFirst = attempt > 0 || session.expiresAt.getTime() <= this.deps.now();
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
          return { view: this.view(await this.resumeSale(existing, send)), created: false };
        }
      }
      const slot = lookFirst ? await store.findSlotPayment(session.id) : null;
      if (slot) {
        if (isPaid(slot.status))
          throw new ApiError(409, 'session_completed', 'This session has been paid already');
        if (slot.method === input.req.method && slot.currency === input.req.currency) {
          return { view: this.view(await this.resumeSale(slot, send)), created: false };
        }
        throw new ApiError(
          409,
          'payment_in_progress',
          `Payment ${slot.id} (${slot.method ?? 'unknown method'}) is in progress for this session; finish or wait for it first`,
        );
      }
      if (session.expiresAt.getTime() <= this.deps.now()) {
        throw new ApiError(409, 'session_expired', 'This session has expired; ask the shop for a new one');
      }
      // The amount is the session's, never the browser's.
      const price = this.priceFor(session, input.req.method, input.req.currency);
      const now = this.date();
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
      this.log.info('payment.created', {
        payment_id: inserted.id,
        session_id: session.id,
        method: inserted.method,
      });
      return { view: this.view(await this.sendSale(inserted, send)), created: true };
    }
    throw new ApiError(409, 'conflict', 'A concurrent request is creating this payment; retry');
  }

  /** A repeat of a payment request: re-sends the same Gate payment_id if the last send failed. */
  private async resumeSale(
    p: PaymentRow,
    send: { session: SessionRow; fields: Record<string, string>; ip: string },
  ): Promise<PaymentRow> {
    if (p.gateState !== 'retryable' && p.gateState !== 'pending') return p;
    const now = this.date();
    const claimed = await this.deps.store.claimSend(
      p.id,
      now,
      new Date(now.getTime() - 2 * this.deps.config.gateTimeoutMs),
    );
    if (!claimed) return p;
    this.log.info('payment.resend', { payment_id: p.id, attempt: claimed.sendAttempts });
    return this.sendSale(claimed, send);
  }

  private async sendSale(
    p: PaymentRow,
    send: { session: SessionRow; fields: Record<string, string>; ip: string },
  ): Promise<PaymentRow> {
    const { gate, catalog } = this.deps;
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
    return this.afterSend(p, answer, method);
  }

  /** Records the Gate's synchronous answer; throws a retryable 502/504 when the outcome is unknown. */
  private async afterSend(p: PaymentRow, answer: GateAnswer, method: MethodDefinition): Promise<PaymentRow> {
    const { store } = this.deps;
    const now = this.date();
    const repeat = p.sendAttempts > 1;
    if (
      answer.kind === 'accepted' ||
      (answer.kind === 'refused' && repeat && answer.code === CODE_DUPLICATE_PAYMENT)
    ) {
      const requestId = answer.kind === 'accepted' ? answer.requestId : null;
      if (p.type === 'purchase' && method.redirect)
        return (await store.markAccepted(p.id, requestId, p)) ?? p;
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
      this.log.warn('payment.refused_by_gate', {
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

  async getPayment(id: string, opts: { includePayouts?: boolean } = {}): Promise<PaymentRow> {
    const p = await this.deps.store.getPayment(id);
    // Payouts (and their vouchers) are the merchant's: never readable with the id alone.
    if (!p || (p.type === 'payout' && !opts.includePayouts)) throw notFound('payment', id);
    return p;
  }

  /**
   * The payment once its version is above `version`, or after `waitMs`; a stale open payment also starts
   * a status check (whose answer then wakes this wait).
   */
  async waitForPayment(
    id: string,
    version: number | undefined,
    waitMs: number,
    signal?: AbortSignal,
  ): Promise<PaymentRow> {
    let p = await this.getPayment(id);
    this.maybeCheckStatus(p);
    if (
      version === undefined ||
      waitMs <= 0 ||
      p.version > version ||
      isFinal(p.status) ||
      this.stopping.signal.aborted
    )
      return p;
    const store = this.deps.store;
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
        this.stopping.signal.removeEventListener('abort', onAbort);
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
      this.stopping.signal.addEventListener('abort', onAbort, { once: true });
      // A change may have landed between the first read and the subscription.
      void read();
    });
  }

  // ── clarification ─────────────────────────────────────────────────────────────────────────────

  async clarify(id: string, req: ClarificationRequest): Promise<PaymentView> {
    const { store, gate } = this.deps;
    const p = await this.getPayment(id);
    if (p.status !== 'awaiting_clarification' || !p.clarificationFields || p.clarificationSent) {
      throw new ApiError(
        409,
        'not_awaiting_clarification',
        `Payment ${id} is ${p.status}; no clarification is requested`,
      );
    }
    const additional: Record<string, Record<string, string>> = {};
    const given = req as Record<string, Record<string, string | undefined> | undefined>;
    for (const [group, fields] of Object.entries(p.clarificationFields)) {
      const values = given[group] ?? {};
      const out: Record<string, string> = {};
      for (const field of fields) {
        const v = values[field];
        if (typeof v !== 'string' || v.trim() === '') {
          throw new ApiError(
            400,
            'validation_error',
            `${group}.${field}: This field is required`,
            `${group}.${field}`,
          );
        }
        out[field] = v.trim();
      }
      additional[group] = out;
    }
    const answer = await gate.send(
      CLARIFICATION_PATH,
      buildClarificationRequest(gate.context, p.id, additional),
    );
    if (answer.kind === 'refused') {
      const field =
        typeof answer.data.field === 'string'
          ? answer.data.field.replace(/^additional_data\./, '')
          : undefined;
      throw new ApiError(
        422,
        'clarification_refused',
        `The Gate refused the clarification: ${answer.message}`,
        field,
      );
    }
    if (answer.kind !== 'accepted')
      throw gateFailure(answer, 'The clarification was not confirmed; send it again.');
    const updated = await store.mutatePayment(p.id, this.date(), (cur) =>
      cur.status === 'awaiting_clarification' && !cur.clarificationSent
        ? { changes: { clarificationSent: true }, visible: true }
        : null,
    );
    return this.view(updated ?? p);
  }

  // ── callbacks and status ──────────────────────────────────────────────────────────────────────

  /** Stores and applies a verified Gate message (callback or status answer). */
  async recordGateMessage(
    rawBody: string,
    data: unknown,
    source: 'callback' | 'status',
  ): Promise<RecordResult & { update: GateUpdate }> {
    const update = parseGateMessage(data);
    const result = await this.deps.store.recordGateMessage({
      rawBody,
      dedupKey: createHash('sha256').update(`${source}\n${rawBody}`).digest('hex'),
      source,
      update,
      now: this.date(),
      newRefundId: () => newId('ref'),
    });
    this.log.info(source === 'callback' ? 'callback.stored' : 'status.stored', {
      payment_id: update.paymentId,
      payment_status: update.rawStatus,
      operation: update.operation?.type,
      duplicate: result.duplicate,
      applied: result.applied,
      status: result.payment?.status,
      version: result.payment?.version,
    });
    return { ...result, update };
  }

  /** Base and limit time of a payment, scaled (tests use small scales). */
  times(p: PaymentRow): { baseMs: number; limitMs: number | null } {
    const { catalog, config } = this.deps;
    const m = p.method ? catalog.get(p.method) : undefined;
    const t = p.type === 'payout' ? m?.payout?.times : m?.purchaseTimes;
    const base = (t?.baseMs ?? config.defaultBaseMs) * config.timeScale;
    const limit = t?.limitMs == null ? null : t.limitMs * config.timeScale;
    return { baseMs: base, limitMs: limit };
  }

  /** When the payment should next be asked about, or null if not yet due. */
  statusDue(p: PaymentRow, now: number): boolean {
    if (!['created', 'awaiting_redirect', 'awaiting_clarification', 'processing'].includes(p.status))
      return false;
    const age = now - p.createdAt.getTime();
    const { baseMs } = this.times(p);
    // A send whose outcome is unknown is worth asking about sooner.
    const due = p.gateState === 'retryable' ? Math.min(baseMs, this.recheckMs(0)) : baseMs;
    if (age < due) return false;
    if (!p.statusCheckedAt) return true;
    return now - p.statusCheckedAt.getTime() >= this.recheckMs(age);
  }

  /** Between two status checks: a tenth of the payment's age, within [sweep interval, 1 h]. */
  recheckMs(age: number): number {
    const floor = this.deps.config.sweepIntervalMs;
    return Math.min(HOUR, Math.max(floor, age / 10));
  }

  private readonly checking = new Set<string>();

  /** Fire-and-forget status check for a stale payment (from a status read). */
  maybeCheckStatus(p: PaymentRow): void {
    if (this.checking.has(p.id) || !this.statusDue(p, this.deps.now())) return;
    void this.checkStatus(p).catch((error: unknown) =>
      this.log.error('status.check_failed', { payment_id: p.id, error: String(error) }),
    );
  }

  /**
   * Asks the Gate for the payment's status and applies the answer like a callback; past the method's
   * limit time a payment still without a result is declined.
   */
  async checkStatus(p: PaymentRow): Promise<PaymentRow> {
    const { store, gate } = this.deps;
    if (this.checking.has(p.id)) return p;
    this.checking.add(p.id);
    try {
      const now = this.deps.now();
      const age = now - p.createdAt.getTime();
      const claimed = await store.claimStatusCheck(
        p.id,
        new Date(now),
        new Date(now - this.recheckMs(age) + 1),
      );
      if (!claimed) return p;
      const answer = await gate.status(p.id);
      let current: PaymentRow = p;
      if (answer.kind === 'found') {
        const r = await this.recordGateMessage(answer.raw, answer.data, 'status');
        if (r.payment) current = r.payment;
      } else if (answer.kind === 'not_found') {
        current = (await this.notAtGate(p)) ?? p;
      }
      const { limitMs } = this.times(current);
      if (limitMs !== null && age > limitMs && !isFinal(current.status)) {
        this.log.warn('payment.limit_time_passed', { payment_id: p.id, age_ms: age });
        current =
          (await this.conclude(
            p.id,
            'decline',
            '20602',
            'Time-out: no result within the method’s limit time',
          )) ?? current;
      }
      return current;
    } finally {
      this.checking.delete(p.id);
    }
  }

  /**
   * Ends a payment by the backend's own decision (no answer within the limit time, a Payment Page never
   * used), if the state machine allows it from where the payment is: null when it does not (or no row).
   */
  private conclude(
    id: string,
    state: PaymentState,
    code: string,
    message: string,
  ): Promise<PaymentRow | null> {
    return this.deps.store.mutatePayment(id, this.date(), (cur) => {
      const t = transition(cur.status, state);
      return t.changed ? { changes: { status: t.state, code, message }, visible: true } : null;
    });
  }

  /** The Gate says it has no such payment (3061). */
  private async notAtGate(p: PaymentRow): Promise<PaymentRow | null> {
    if (p.gateState === 'payment_page') {
      // A Payment Page that was never used: once its session (the page's best_before) has expired, it never
      // will be.
      const session = p.sessionId ? await this.deps.store.getSession(p.sessionId) : null;
      if (!session || session.expiresAt.getTime() > this.deps.now()) return null;
      return this.conclude(
        p.id,
        'expired',
        '3061',
        'The Payment Page was not used before the session expired',
      );
    }
    // Only a send that never got an answer can be missing at the Gate; and only once no send is running.
    if (p.gateState !== 'retryable') {
      this.log.warn('status.not_found', { payment_id: p.id, gate_state: p.gateState });
      return null;
    }
    return this.deps.store.mutatePayment(p.id, this.date(), (cur) => {
      if (cur.gateState !== 'retryable') return null;
      const t = transition(cur.status, 'error');
      return {
        changes: {
          gateState: 'rejected',
          ...(t.changed
            ? { status: t.state, code: '3061', message: 'The payment never reached the Gate' }
            : {}),
        },
        visible: t.changed,
      };
    });
  }

  /** One pass of the sweeper: status checks for payments whose callback is late. */
  async sweep(limit = 200): Promise<number> {
    const now = this.deps.now();
    // Younger payments cannot be due yet: leave them out so they never crowd out the ones that are.
    const { catalog, config } = this.deps;
    const bases = catalog.methods.flatMap((m) => [m.purchaseTimes.baseMs, m.payout?.times.baseMs]);
    const minBase = Math.min(
      config.defaultBaseMs,
      ...bases.filter((b): b is number => typeof b === 'number'),
    );
    const youngest = Math.min(minBase * config.timeScale, this.recheckMs(0));
    const open = await this.deps.store.openPayments(limit, new Date(now - youngest + 1));
    const due = open.filter((p) => this.statusDue(p, now));
    for (const p of due) {
      try {
        await this.checkStatus(p);
      } catch (error) {
        this.log.error('status.check_failed', { payment_id: p.id, error: String(error) });
      }
    }
    return due.length;
  }

  // ── payouts ───────────────────────────────────────────────────────────────────────────────────

  async createPayout(
    req: PayoutRequest,
    idempotencyKey: string | null,
    ip: string,
  ): Promise<Created<PaymentView>> {
    const { store, catalog, gate } = this.deps;
    const fingerprint = this.fingerprint(req);
    const reason = catalog.checkPayout(req.method, req.amount, req.currency);
    if (reason) {
      const field =
        reason.code === 'below_minimum' || reason.code === 'above_maximum' ? 'amount' : 'currency';
      throw new ApiError(422, 'payout_unavailable', reason.message, field);
    }
    const method = catalog.get(req.method);
    const account: Record<string, string | undefined> =
      req.method === 'jeton' ? {} : { ...(req.account as Record<string, string>) };
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
      this.afterSend(p, await gate.send(method.gate.payout as string, build(p)), method);

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
        const now = this.date();
        const claimed =
          existing.gateState === 'retryable' || existing.gateState === 'pending'
            ? await store.claimSend(
                existing.id,
                now,
                new Date(now.getTime() - 2 * this.deps.config.gateTimeoutMs),
              )
            : null;
        return { view: this.view(claimed ? await sendPayout(claimed) : existing), created: false };
      }
    }
    const now = this.date();
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
      if (!existing)
        throw new ApiError(409, 'conflict', 'A concurrent request is creating this payout; retry');
      return { view: this.view(existing), created: false };
    }
    this.log.info('payout.created', { payment_id: inserted.id, method: inserted.method });
    return { view: this.view(await sendPayout(inserted)), created: true };
  }

  // ── refunds ───────────────────────────────────────────────────────────────────────────────────

  async createRefund(
    paymentId: string,
    req: { description: string; amount?: number | undefined },
    idempotencyKey: string | null,
  ): Promise<Created<{ refund: RefundView; payment: PaymentView }>> {
    const { store, catalog, gate } = this.deps;
    const p = await this.getPayment(paymentId, { includePayouts: true });
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
      now: this.date(),
    });
    if (!check.ok) {
      if (check.code === 'not_found') throw notFound('payment', paymentId);
      if (check.code === 'not_refundable') throw new ApiError(409, 'not_refundable', check.message);
      throw new ApiError(422, 'refund_exceeds_remaining', check.message, 'amount');
    }
    let refund: RefundRow = check.refund;
    if (!check.created) {
      return { view: { refund: refundView(refund), payment: this.view(check.payment) }, created: false };
    }
    const method = catalog.get(p.method);
    const body = buildRefundRequest(gate.context, {
      paymentId,
      description: req.description,
      amount: refund.full ? undefined : refund.amount,
      currency: refund.currency,
    });
    const answer = await gate.send(method.gate.refund as string, body);
    const now = this.date();
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
    this.log.info('refund.created', { refund_id: refund.id, payment_id: paymentId, amount: refund.amount });
    const latest = (await store.getPayment(paymentId)) ?? p;
    return { view: { refund: refundView(refund), payment: this.view(latest) }, created: true };
  }

  // ── Payment Page ──────────────────────────────────────────────────────────────────────────────

  async paymentPage(
    sessionId: string,
    req: { method?: MethodId | undefined; currency?: string | undefined },
  ): Promise<PaymentPageResponse> {
    const { store, catalog, config } = this.deps;
    const session = await this.getSession(sessionId);
    await this.assertOpen(session);
    let currency = req.currency;
    if (req.method !== undefined && currency === undefined) {
      // The first of the session's prices this method can take.
      const available = catalog.availability(
        Object.fromEntries(session.prices.map((p) => [p.currency, p.amount])),
        session.methods ?? undefined,
      );
      currency = available.available.find((a) => a.method === req.method)?.options[0]?.currency;
    }
    const price = this.priceFor(session, req.method, currency);
    const now = this.date();
    const id = newId('pay');
    const inserted = await store.insertPayment({
      id,
      sessionId: session.id,
      channel: 'payment_page',
      type: 'purchase',
      method: req.method ?? null,
      amount: price.amount,
      currency: price.currency,
      status: 'created',
      version: 1,
      idemScope: `payment_page:${session.id}`,
      idempotencyKey: null,
      fingerprint: null,
      customerId: session.customer.id,
      description: session.description,
      gateState: 'payment_page',
      sendAttempts: 0,
      clarificationSent: false,
      refundedAmount: 0,
      createdAt: now,
      updatedAt: now,
    });
    if (!inserted) throw new ApiError(409, 'conflict', 'Could not record the payment; retry');

    const c = session.customer;
    const params: Record<string, string | number> = {
      project_id: config.projectId,
      payment_id: id,
      payment_amount: price.amount,
      payment_currency: price.currency,
      customer_id: c.id,
      merchant_callback_url: callbackUrl(config.publicBaseUrl),
      redirect_success_url: returnUrlFor(session.returnUrl, id, 'success'),
      redirect_fail_url: returnUrlFor(session.returnUrl, id, 'decline'),
      best_before: session.expiresAt.toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    };
    if (c.email) params.customer_email = c.email;
    if (c.first_name) params.customer_first_name = c.first_name;
    if (c.last_name) params.customer_last_name = c.last_name;
    if (session.description) params.payment_description = session.description;
    if (session.locale) params.language_code = session.locale;
    if (req.method !== undefined) params.force_payment_method = catalog.paymentPageCode(req.method);

    // No booleans (signed as 1/0 but sent as true/false); numbers written as signed; frame_mode unsigned.
    const signature = await signPaymentPageParams(params, config.secretKey);
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params))
      query.set(k, typeof v === 'number' ? numberToPlainString(v) : v);
    query.set('signature', signature);
    this.log.info('payment_page.signed', { payment_id: id, session_id: session.id, method: req.method });
    return {
      url: `${config.paymentPageUrl}?${query.toString()}`,
      config: { ...params, signature },
      payment_id: id,
    };
  }
}

function gateFailure(answer: GateAnswer, message: string): ApiError {
  if (answer.kind === 'timeout') return new ApiError(504, 'gate_timeout', `${answer.message}. ${message}`);
  const detail = answer.kind === 'unavailable' ? answer.message : 'The Gate is unavailable';
  return new ApiError(502, 'gate_unavailable', `${detail}. ${message}`);
}
