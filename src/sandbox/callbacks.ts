import { sign } from '../core/signature.ts';
import { toEcommpayStatus } from '../core/status.ts';
import type { FaultState } from './faults.ts';
import type { Operation, PaymentRecord } from './ledger.ts';
import { providerOf } from './providers/index.ts';
import type { CallbackKind } from './types.ts';
import { gateDate, type Scheduler } from './util.ts';

/**
 * A callback (or status answer) body in the seeds' shape, unsigned: the payment as it stands now and one
 * of its operations.
 */
export function callbackBody(record: PaymentRecord, op: Operation): Record<string, unknown> {
  const body: Record<string, unknown> = {
    project_id: record.projectId,
    payment: {
      id: record.paymentId,
      type: record.type,
      status: toEcommpayStatus(record.state),
      date: gateDate(record.updatedAt),
      method: providerOf(record.method).callbackLabel,
      // After refunds the seeds show what is left (a full refund: amount 0).
      sum: { amount: record.amount - record.refunded, currency: record.currency },
      description: record.description,
    },
  };
  if (record.account?.number !== undefined) body.account = { number: record.account.number };
  if (record.customer.id !== undefined) body.customer = { id: record.customer.id };
  const sum = { amount: op.amount, currency: op.currency };
  body.operation = {
    id: op.id,
    type: op.type,
    status: op.status,
    date: gateDate(op.updatedAt),
    created_date: gateDate(op.createdAt),
    request_id: op.requestId,
    sum_initial: sum,
    sum_converted: { ...sum },
    code: op.code ?? '',
    message: op.message ?? '',
    provider: {
      id: providerOf(record.method).providerId,
      payment_id: op.providerPaymentId,
      date: gateDate(op.updatedAt),
      auth_code: '',
    },
  };
  if (op.status === 'decline' && op.code !== undefined) {
    body.errors = [
      { code: op.code, message: op.message ?? '', description: op.errorDescription ?? op.message ?? '' },
    ];
  }
  if (record.state === 'awaiting_redirect' && record.redirect) {
    body.redirect_data = {
      body: { ...record.redirect.body },
      method: record.redirect.method,
      url: record.redirect.url,
    };
  }
  if (record.state === 'awaiting_clarification' && record.clarificationFields) {
    body.clarification_fields = structuredClone(record.clarificationFields);
  }
  if (record.vouchers && op.type === 'payout' && op.status === 'success') {
    body.provider_extra_fields = {
      vouchers: record.vouchers.map((v) => ({
        voucherNumber: v.voucherNumber,
        expiration: v.expiration,
        securityCode: v.securityCode,
        createDate: v.createDate,
        amount: v.amount,
        currency: v.currency,
      })),
    };
  }
  return body;
}

/** Signs a body the way ecommpay signs callbacks: a root `signature`. */
export async function signBody(
  body: Record<string, unknown>,
  secret: string,
): Promise<Record<string, unknown>> {
  return { ...body, signature: await sign(body, secret) };
}

/**
 * The gap after failed try `n` (1-based), in emulated ms: ecommpay retries 6 tries 10 s apart, then at
 * growing gaps up to 4 h. (The growing steps themselves are the sandbox's choice.)
 */
export function retryGapMs(n: number): number {
  if (n < 6) return 10_000;
  const steps = [60_000, 300_000, 900_000, 1_800_000, 3_600_000, 7_200_000];
  return steps[n - 6] ?? 14_400_000;
}

interface Job {
  record: PaymentRecord;
  kind: CallbackKind;
  url: string;
  text: string;
}

interface Held {
  jobs: Job[];
  release: AbortController;
}

export interface DeliveryDeps {
  scheduler: Scheduler;
  faults: FaultState;
  fetch: typeof fetch;
  maxAttempts: number;
  timeoutMs: number;
  secretOf(projectId: number): string;
  closeSignal: AbortSignal;
}

/** Callback delivery: at least once, retried on anything but HTTP 200, with the fault switches applied. */
export class Deliveries {
  private readonly held = new Map<string, Held>();

  constructor(private readonly deps: DeliveryDeps) {}

  /** Signs and queues the callback for the payment's current state and `op`. */
  async send(record: PaymentRecord, kind: CallbackKind, op: Operation): Promise<void> {
    const { faults, scheduler } = this.deps;
    const signed = await signBody(callbackBody(record, op), this.deps.secretOf(record.projectId));
    const text = JSON.stringify(signed);
    const intermediate = kind === 'redirect' || kind === 'clarification';
    if (intermediate) record.lastIntermediate = { kind, body: text };
    const url = record.callbackUrl;
    if (url === undefined) return;
    if (faults.shouldDrop(kind)) {
      record.callbacks.dropped++;
      return;
    }
    const copies = 1 + faults.get().duplicate;
    const jobs: Job[] = Array.from({ length: copies }, () => ({ record, kind, url, text }));
    record.callbacks.created += copies;

    const mode = faults.reorderMode();
    if (mode === 'final-first' && intermediate) {
      this.hold(record.key, jobs);
      return;
    }
    const held = this.takeHeld(record.key);
    const last = record.lastIntermediate;
    const stale = mode === 'stale-after' && !intermediate && last !== undefined;
    const [first, ...rest] = jobs;
    if (!first) return;
    void scheduler.run(() =>
      this.deliver(first, () => {
        for (const job of [...rest, ...held]) void scheduler.run(() => this.deliver(job));
        if (stale) {
          record.callbacks.created++;
          void scheduler.run(() => this.deliver({ record, kind: last.kind, url, text: last.body }));
        }
      }),
    );
  }

  private hold(key: string, jobs: Job[]): void {
    const existing = this.held.get(key);
    if (existing) {
      existing.jobs.push(...jobs);
      return;
    }
    const entry: Held = { jobs, release: new AbortController() };
    this.held.set(key, entry);
    const { scheduler } = this.deps;
    void scheduler.run(async () => {
      await scheduler.sleep(this.deps.faults.get().reorderHoldMs, entry.release.signal);
      // Nothing followed in time: deliver the held callbacks as they are.
      if (this.held.get(key) === entry) {
        this.held.delete(key);
        for (const job of entry.jobs) void scheduler.run(() => this.deliver(job));
      }
    });
  }

  private takeHeld(key: string): Job[] {
    const entry = this.held.get(key);
    if (!entry) return [];
    this.held.delete(key);
    entry.release.abort();
    return entry.jobs;
  }

  private async deliver(job: Job, afterFirstTry?: () => void): Promise<void> {
    const { scheduler, faults, record } = { ...this.deps, record: job.record };
    let notified = false;
    const notify = (): void => {
      if (!notified) {
        notified = true;
        afterFirstTry?.();
      }
    };
    try {
      for (let attempt = 1; attempt <= this.deps.maxAttempts; attempt++) {
        if (scheduler.closed) return;
        const delay = faults.get().delayMs;
        if (delay > 0) await scheduler.sleep(delay);
        if (scheduler.closed) return;
        const ok = await this.post(job);
        record.callbacks.sent++;
        if (ok) {
          record.callbacks.acknowledged++;
          return;
        }
        notify();
        if (attempt === this.deps.maxAttempts) {
          record.callbacks.failed++;
          return;
        }
        await scheduler.sleep(scheduler.scaled(retryGapMs(attempt)));
      }
    } finally {
      notify();
    }
  }

  private async post(job: Job): Promise<boolean> {
    try {
      const signal = AbortSignal.any([AbortSignal.timeout(this.deps.timeoutMs), this.deps.closeSignal]);
      const res = await this.deps.fetch(job.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'ecommpay-gate-sandbox' },
        body: job.text,
        signal,
      });
      await res.body?.cancel().catch(() => undefined);
      return res.status === 200;
    } catch {
      return false;
    }
  }
}
