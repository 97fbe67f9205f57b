/**
 * The webhook delivery worker: claims due deliveries from the outbox (`outbox.ts`), signs and POSTs them,
 * and records each attempt. The database is the queue — this process keeps only the requests in flight, so
 * a killed instance loses nothing: its claims lapse after the timeout and any instance takes them again
 * (at least once; receivers drop repeats by `webhook-id`).
 *
 * A 2xx is a delivery; anything else, a network error or no answer within the timeout is a failure, retried
 * with exponential backoff and jitter until the delivery is `retryForMs` old (3 days by default). An
 * endpoint that has failed every delivery for `disableAfterMs` is disabled.
 *
 * It wakes on a short poll, on PostgreSQL's NOTIFY from the outbox trigger (any instance's change), and
 * whenever one of its requests ends. The clock, the random source and fetch are injected (tests).
 */
import { randomUUID } from 'node:crypto';
import { signWebhook } from '../../core/webhooks.ts';
import type { Logger } from '../logger.ts';
import type { WebhookConfig } from './config.ts';
import type { ClaimedDelivery, WebhookOutbox } from './outbox.ts';
import { renderEvent } from './render.ts';

export interface WorkerDeps {
  outbox: WebhookOutbox;
  config: WebhookConfig;
  log: Logger;
  now: () => number;
  fetch: typeof fetch;
  random: () => number;
  devHosts: string[];
}

/** Time left to record the result after an attempt's timeout before the claim lapses. */
const CLAIM_GRACE_MS = 5_000;
const BODY_KEPT = 1_000;
/** Claims triggered by notifications and finished requests are at least this far apart. */
const CLAIM_EVERY_MS = 5;

/** The delay before retry `attempt + 1`: base·2^(attempt−1), capped, the upper half jittered ("equal jitter"). */
export function retryDelayMs(attempt: number, config: WebhookConfig, random: () => number): number {
  const exp = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** Math.min(attempt - 1, 40));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

export class WebhookWorker {
  private readonly inFlight = new Set<Promise<void>>();
  private pumping: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly instance = randomUUID().slice(0, 8);
  private claims = 0;
  private lastClaim = -Infinity;
  private lastClaimEmpty = false;
  private soon: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly deps: WorkerDeps) {}

  /** Starts the poll loop. */
  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.wake();
      this.timer = setTimeout(tick, this.deps.config.pollMs);
      this.timer.unref();
    };
    tick();
  }

  /**
   * A new event was stored (a notification). Skipped while the last claim found nothing to take and
   * requests are in flight: the endpoints are at their concurrency limit, and each finished request wakes
   * the worker anyway (an endpoint with room then waits at most for that or the poll).
   */
  notified(): void {
    if (this.lastClaimEmpty && this.inFlight.size > 0) return;
    this.wake();
  }

  /**
   * Looks for due deliveries soon: one claim loop at a time, and at most one claim per `CLAIM_EVERY_MS`
   * (every stored callback notifies; a claim per callback would cost the callbacks their database time).
   */
  wake(): void {
    if (this.stopped || this.soon) return;
    const wait = this.lastClaim + CLAIM_EVERY_MS - performance.now();
    if (wait > 0) {
      this.soon = setTimeout(() => {
        this.soon = null;
        this.wake();
      }, wait);
      return;
    }
    void this.pump().catch((error: unknown) =>
      this.deps.log.error('webhook.claim_failed', { error: String(error) }),
    );
  }

  private pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return this.pumping;
    }
    this.pumping = (async () => {
      try {
        do {
          this.again = false;
          const room = this.deps.config.maxInFlight - this.inFlight.size;
          if (room <= 0 || this.stopped) break;
          const n = await this.claimAndSend(room);
          if (n === room) this.again = true;
        } while (this.again && !this.stopped);
      } finally {
        this.pumping = null;
      }
    })();
    return this.pumping;
  }

  private async claimAndSend(limit: number): Promise<number> {
    this.lastClaim = performance.now();
    const now = this.deps.now();
    const lockUntil = new Date(now + this.deps.config.timeoutMs + CLAIM_GRACE_MS);
    const token = `${this.instance}:${++this.claims}`;
    const claimed = await this.deps.outbox.claim(new Date(now), lockUntil, token, limit);
    this.lastClaimEmpty = claimed.length === 0;
    for (const d of claimed) {
      const p: Promise<void> = this.attempt(d)
        .catch((error: unknown) =>
          this.deps.log.error('webhook.record_failed', { delivery_id: d.id, error: String(error) }),
        )
        .finally(() => {
          this.inFlight.delete(p);
          this.wake();
        });
      this.inFlight.add(p);
    }
    return claimed.length;
  }

  private async attempt(d: ClaimedDelivery): Promise<void> {
    const { config, log } = this.deps;
    const body = renderEvent(d.event, this.deps.devHosts);
    const startedMs = this.deps.now();
    const signature = await signWebhook(d.secrets, d.event.id, Math.floor(startedMs / 1000), body);
    const started = performance.now();
    let responseStatus: number | null = null;
    let responseBody: string | null = null;
    let error: string | null = null;
    try {
      const res = await this.deps.fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'ecommpay-checkout-webhooks/1',
          'webhook-id': d.event.id,
          'webhook-timestamp': String(Math.floor(startedMs / 1000)),
          'webhook-signature': signature,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(config.timeoutMs),
      });
      responseStatus = res.status;
      responseBody = (await res.text()).slice(0, BODY_KEPT);
      if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}`;
    } catch (e) {
      const name = (e as { name?: string }).name;
      error =
        name === 'TimeoutError' || name === 'AbortError'
          ? `no answer within ${config.timeoutMs} ms`
          : errorText(e);
    }
    const durationMs = performance.now() - started;
    const nowMs = this.deps.now();
    const now = new Date(nowMs);
    let status: 'delivered' | 'pending' | 'failed' = 'delivered';
    let dueAt = now;
    if (error !== null) {
      const gaveUp = nowMs - d.createdAt.getTime() >= config.retryForMs;
      status = gaveUp ? 'failed' : 'pending';
      dueAt = new Date(nowMs + retryDelayMs(d.attempt, config, this.deps.random));
    }
    const r = await this.deps.outbox.finish(
      {
        delivery: d,
        startedAt: new Date(startedMs),
        durationMs,
        responseStatus,
        responseBody,
        error,
        status,
        dueAt,
        now,
      },
      new Date(nowMs - config.disableAfterMs),
    );
    if (error === null) {
      log.debug('webhook.delivered', { event_id: d.event.id, endpoint_id: d.endpointId, attempt: d.attempt });
    } else {
      log.warn('webhook.failed', {
        event_id: d.event.id,
        endpoint_id: d.endpointId,
        attempt: d.attempt,
        error,
        ...(status === 'pending' ? { retry_at: dueAt.toISOString() } : { gave_up: true }),
      });
      if (!r.endpointEnabled) log.error('webhook.endpoint_disabled', { endpoint_id: d.endpointId });
    }
    if (!r.recorded) log.warn('webhook.claim_lost', { event_id: d.event.id, delivery_id: d.id });
  }

  /**
   * Delivers everything due now and waits for it (tests and the benchmark): claims until nothing is due
   * and nothing is in flight.
   */
  async drain(): Promise<void> {
    for (;;) {
      await this.pump();
      if (this.inFlight.size === 0) {
        const n = await this.claimAndSend(this.deps.config.maxInFlight);
        if (n === 0 && this.inFlight.size === 0) return;
      }
      await Promise.all([...this.inFlight]);
    }
  }

  /** Stops claiming; waits for the requests in flight (each ends by its timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.soon) clearTimeout(this.soon);
    await this.pumping?.catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
  }
}

function errorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code
    ? `${e.message} (${cause.code})`
    : cause?.message
      ? `${e.message}: ${cause.message}`
      : e.message;
}
