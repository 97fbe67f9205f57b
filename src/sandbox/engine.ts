import { createCatalog, TEST_DECLINE_AMOUNTS, type Catalog, type MethodId } from '../core/methods/index.ts';
import type { Currency } from '../core/money.ts';
import { canTransition, isFinal } from '../core/status.ts';
import { callbackBody, Deliveries, signBody } from './callbacks.ts';
import { CODES } from './codes.ts';
import { FaultState } from './faults.ts';
import {
  Ledger,
  moveTo,
  paymentKey,
  type Operation,
  type PaymentRecord,
  type RedirectData,
} from './ledger.ts';
import { providerOf, type DeclineReason } from './providers/index.ts';
import type { SandboxOptions, SandboxProject } from './types.ts';
import { alnum, hex, Scheduler } from './util.ts';

/** Emulated delays in ms (multiplied by the time scale). */
export const DELAYS = {
  /** Sale accepted → intermediate callback (redirect or clarification). */
  redirect: 1_000,
  /** Sale accepted → decline for an amount outside the method's limits. */
  limitDecline: 1_000,
  /** A purchase without a redirect (Jeton) accepted → result. */
  jetonResult: 5_000,
  /** Payout accepted → result. */
  payoutResult: 5_000,
  /** Refund accepted → result. */
  refund: 3_000,
} as const;

export class SandboxError extends Error {
  override name = 'SandboxError';
}

export interface NewPayment {
  projectId: number;
  paymentId: string;
  type: 'purchase' | 'payout';
  method: MethodId;
  via: 'gate' | 'payment_page';
  amount: number;
  currency: Currency;
  description: string;
  customer: Record<string, string>;
  account?: Record<string, string>;
  returnUrls: PaymentRecord['returnUrls'];
  callbackUrl?: string;
}

/** The sandbox's state and the payment lifecycle, shared by the Gate, the provider pages and the Payment Page. */
export class Engine {
  readonly catalog: Catalog;
  readonly projects: Map<number, SandboxProject>;
  readonly ledger = new Ledger();
  readonly faults = new FaultState();
  readonly scheduler: Scheduler;
  readonly deliveries: Deliveries;
  readonly publicUrl: string;
  readonly now: () => number;
  private readonly closer = new AbortController();
  private operationSeq = 0;
  private requestSeq = 0;
  private readonly requestPrefix = hex(16);

  constructor(readonly options: SandboxOptions) {
    this.catalog = createCatalog({
      testProject: options.testProject ?? false,
      ...(options.jetonCurrencies ? { jetonCurrencies: options.jetonCurrencies } : {}),
    });
    this.projects = new Map(options.projects.map((p) => [p.id, p]));
    this.publicUrl = options.publicUrl.replace(/\/+$/, '');
    this.now = options.now ?? Date.now;
    this.scheduler = new Scheduler(options.timeScale ?? 1, (error) => {
      console.error('[sandbox] background task failed:', error);
    });
    this.deliveries = new Deliveries({
      scheduler: this.scheduler,
      faults: this.faults,
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      maxAttempts: Math.max(1, options.callbackRetry?.maxAttempts ?? 12),
      timeoutMs: options.callbackRetry?.timeoutMs ?? 10_000,
      secretOf: (id) => this.secretOf(id),
      closeSignal: this.closer.signal,
    });
  }

  secretOf(projectId: number): string {
    const p = this.projects.get(projectId);
    if (!p) throw new SandboxError(`Unknown project ${projectId}`);
    return p.secret;
  }

  nextRequestId(): string {
    this.requestSeq++;
    return `${this.requestPrefix}-${String(this.requestSeq).padStart(8, '0')}`;
  }

  private newOperation(type: Operation['type'], amount: number, currency: Currency): Operation {
    const now = this.now();
    this.operationSeq++;
    return {
      // Large like the seeds' ids, and still safe integers.
      id: 3_120_000_000_000 + this.operationSeq,
      type,
      status: 'processing',
      requestId: this.nextRequestId(),
      amount,
      currency,
      providerPaymentId: alnum(10),
      createdAt: now,
      updatedAt: now,
    };
  }

  createPayment(p: NewPayment): PaymentRecord {
    if (this.ledger.has(p.projectId, p.paymentId)) {
      throw new SandboxError(`Payment ${p.paymentId} already exists`);
    }
    const now = this.now();
    const op = this.newOperation(p.type === 'payout' ? 'payout' : 'sale', p.amount, p.currency);
    const record: PaymentRecord = {
      key: paymentKey(p.projectId, p.paymentId),
      projectId: p.projectId,
      paymentId: p.paymentId,
      type: p.type,
      method: p.method,
      via: p.via,
      amount: p.amount,
      currency: p.currency,
      description: p.description,
      customer: { ...p.customer },
      ...(p.account ? { account: { ...p.account } } : {}),
      returnUrls: { ...p.returnUrls },
      ...(p.callbackUrl !== undefined ? { callbackUrl: p.callbackUrl } : {}),
      state: 'created',
      refunded: 0,
      operations: [op],
      testDecline: (TEST_DECLINE_AMOUNTS as readonly number[]).includes(p.amount),
      callbacks: { created: 0, sent: 0, acknowledged: 0, dropped: 0, failed: 0 },
      createdAt: now,
      updatedAt: now,
    };
    this.ledger.add(record);
    return record;
  }

  saleOperation(record: PaymentRecord): Operation {
    return record.operations[0] as Operation;
  }

  /** What follows an accepted Gate sale or payout. */
  accept(record: PaymentRecord): void {
    const limit =
      record.type === 'purchase'
        ? this.catalog.check(record.method, record.amount, record.currency)
        : this.catalog.checkPayout(record.method, record.amount, record.currency);
    if (limit && (limit.code === 'below_minimum' || limit.code === 'above_maximum')) {
      // The seeds show this as a decline callback (20101), not as a refused request.
      this.scheduler.after(DELAYS.limitDecline, () =>
        this.finalize(record, 'decline', { ...CODES.amountLimit, description: limit.message }),
      );
      return;
    }
    const method = this.catalog.get(record.method);
    if (record.type === 'purchase' && method.redirect) {
      this.scheduler.after(DELAYS.redirect, () =>
        record.clarificationFields ? this.toClarification(record) : this.toRedirect(record),
      );
      return;
    }
    const reason = providerOf(record.method).declineReason?.(record, this.now());
    this.schedulePendingResult(
      record,
      reason !== undefined || record.testDecline ? 'decline' : 'success',
      record.type === 'payout' ? DELAYS.payoutResult : DELAYS.jetonResult,
      reason,
    );
  }

  /** A result the provider will report after `delay` (Jeton purchases, payouts); `decide` may overrule it. */
  schedulePendingResult(
    record: PaymentRecord,
    result: 'success' | 'decline',
    delay: number,
    reason?: DeclineReason,
  ): void {
    const pending = { result, cancel: new AbortController() };
    record.pendingResult = pending;
    if (record.state === 'created') moveTo(record, 'processing', this.now());
    this.scheduler.after(
      delay,
      () => this.finalize(record, pending.result, pending.result === 'decline' ? reason : undefined),
      pending.cancel.signal,
    );
  }

  async toClarification(record: PaymentRecord): Promise<void> {
    if (!moveTo(record, 'awaiting_clarification', this.now())) return;
    const op = this.saleOperation(record);
    op.status = 'awaiting clarification';
    Object.assign(op, CODES.clarification);
    op.updatedAt = record.updatedAt;
    await this.deliveries.send(record, 'clarification', op);
  }

  /** Builds the redirect to the provider page; Gate payments also get the intermediate callback. */
  async toRedirect(record: PaymentRecord): Promise<RedirectData | undefined> {
    if (!canTransition(record.state, 'awaiting_redirect')) return undefined;
    const redirectMethod = this.options.redirectMethod?.[record.method] ?? 'GET';
    const page = providerOf(record.method).page;
    if (!page) throw new Error(`${record.method} has no redirect`);
    record.redirect = page.redirect(record, {
      publicUrl: this.publicUrl,
      method: redirectMethod,
      operationId: this.saleOperation(record).id,
      now: this.now(),
      setToken: (token) => this.ledger.setToken(record, token),
    });
    if (!moveTo(record, 'awaiting_redirect', this.now())) return undefined;
    const op = this.saleOperation(record);
    op.status = 'awaiting redirect result';
    Object.assign(op, CODES.awaiting);
    op.updatedAt = record.updatedAt;
    if (record.via === 'gate') await this.deliveries.send(record, 'redirect', op);
    return record.redirect;
  }

  /** The provider's result for the sale or payout: state, operation, vouchers, and the final callback. */
  async finalize(
    record: PaymentRecord,
    result: 'success' | 'decline',
    reason?: DeclineReason,
  ): Promise<boolean> {
    if (isFinal(record.state)) return false;
    const now = this.now();
    if (!moveTo(record, result, now)) return false;
    record.pendingResult?.cancel.abort();
    const op = this.saleOperation(record);
    const outcome = result === 'success' ? CODES.success : (reason ?? CODES.generalDecline);
    op.status = result;
    op.code = outcome.code;
    op.message = outcome.message;
    if (result === 'decline')
      op.errorDescription = reason?.description ?? 'Declined by the provider (sandbox)';
    op.updatedAt = now;
    record.code = op.code;
    record.message = op.message;
    const vouchers = providerOf(record.method).payoutVouchers;
    if (result === 'success' && record.type === 'payout' && vouchers) record.vouchers = vouchers(record, now);
    await this.deliveries.send(record, 'final', op);
    return true;
  }

  /** The provider page's buttons, and `Sandbox.decide`. */
  async decide(record: PaymentRecord, result: 'success' | 'decline'): Promise<void> {
    if (record.state === 'awaiting_redirect') {
      await this.finalize(record, result);
      return;
    }
    const pending = record.pendingResult;
    if (pending && !pending.cancel.signal.aborted && !isFinal(record.state)) {
      pending.cancel.abort();
      await this.finalize(record, result);
      return;
    }
    throw new SandboxError(
      `Payment ${record.paymentId} is ${record.state}: there is nothing to decide` +
        (record.state === 'created' ? ' yet (await sandbox.idle() for the redirect first)' : ''),
    );
  }

  /** Accepts a refund of `amount`; the result follows after a delay. */
  refund(record: PaymentRecord, amount: number, currency: Currency): Operation {
    const op = this.newOperation('refund', amount, currency);
    record.operations.push(op);
    record.updatedAt = op.createdAt;
    this.scheduler.after(DELAYS.refund, async () => {
      const now = this.now();
      const remaining = record.amount - record.refunded;
      if (amount > remaining) {
        op.status = 'decline';
        Object.assign(op, CODES.generalDecline);
        op.errorDescription = `The refund exceeds the ${remaining} left of the payment`;
      } else {
        record.refunded += amount;
        moveTo(record, amount === remaining ? 'refunded' : 'partially_refunded', now);
        op.status = 'success';
        Object.assign(op, CODES.success);
      }
      op.updatedAt = now;
      record.updatedAt = now;
      await this.deliveries.send(record, 'refund', op);
    });
    return op;
  }

  /** Takes the clarified customer fields; the payment continues to its redirect. */
  clarify(record: PaymentRecord, customer: Record<string, string>): void {
    Object.assign(record.customer, customer);
    delete record.clarificationFields;
    record.updatedAt = this.now();
    this.scheduler.after(DELAYS.redirect, () => this.toRedirect(record));
  }

  /** The signed status answer: the payment as it stands, with its latest operation. */
  async statusBody(record: PaymentRecord): Promise<Record<string, unknown>> {
    const op = record.operations[record.operations.length - 1] as Operation;
    return signBody(callbackBody(record, op), this.secretOf(record.projectId));
  }

  /** Where the browser goes after the provider page. */
  returnUrl(record: PaymentRecord, result: 'success' | 'decline'): string | undefined {
    return result === 'success'
      ? record.returnUrls.success
      : (record.returnUrls.decline ?? record.returnUrls.success);
  }

  get closeSignal(): AbortSignal {
    return this.closer.signal;
  }

  close(): void {
    this.scheduler.close();
    this.closer.abort();
  }
}
