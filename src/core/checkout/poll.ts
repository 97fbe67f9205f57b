/**
 * Following a payment to its end: an immediate status check, then long-polls (`wait` + `version`), one
 * request at a time, with exponential back-off on errors; it stops when the payment is final, after
 * `maxPollMs`, on a non-retryable error, or when `signal` aborts.
 */
import type { PaymentView } from '../api.ts';
import { isApiError, type Client } from '../client.ts';
import { isFinal } from '../status.ts';
import type { Scheduler } from './scheduler.ts';

export interface PollOptions {
  /** Seconds each long-poll request may be held by the backend (default 25, at most 30). */
  waitSeconds?: number;
  /** Stop polling after this long (default 10 minutes); a re-check starts again. */
  maxPollMs?: number;
  /** Delay before asking again when an answer came back quickly and unchanged (default 1000 ms). */
  intervalMs?: number;
  /** The first retry's delay after a failed request; it doubles up to 30 s (default 1000 ms). */
  retryDelayMs?: number;
}

export interface PollState {
  polling: boolean;
  /** Polling stopped at `maxPollMs` before the payment was final. */
  timedOut: boolean;
  /** The last failed request's error (cleared by the next success). */
  error: Error | undefined;
}

export interface PollHooks {
  /** The payment as last known (the one created, or an earlier answer). */
  current(): PaymentView | undefined;
  /** A newer view of the payment. */
  update(payment: PaymentView): void;
  state(next: PollState): void;
}

export async function followPayment(
  client: Client,
  paymentId: string,
  options: PollOptions & { tolerateNotFound?: boolean },
  clock: Scheduler,
  signal: AbortSignal,
  hooks: PollHooks,
): Promise<void> {
  const {
    waitSeconds = 25,
    maxPollMs = 10 * 60_000,
    intervalMs = 1000,
    retryDelayMs = 1000,
    tolerateNotFound = false,
  } = options;
  const started = clock.now();
  let failures = 0;
  let first = true;
  let state: PollState = { polling: true, timedOut: false, error: undefined };
  const set = (next: Partial<PollState>) => {
    state = { ...state, ...next };
    hooks.state(state);
  };
  hooks.state(state);
  while (!signal.aborted) {
    const current = hooks.current();
    if (current && isFinal(current.status)) break;
    if (clock.now() - started > maxPollMs) return set({ polling: false, timedOut: true });
    const t0 = clock.now();
    try {
      const longPoll = !first && current !== undefined;
      const next = await client.getPayment(
        paymentId,
        longPoll ? { wait: waitSeconds, version: current.version, signal } : { signal },
      );
      if (signal.aborted) return;
      first = false;
      failures = 0;
      const latest = hooks.current();
      // Newer versions win; a final status is never ignored for an older non-final one.
      const newer =
        !latest || next.version > latest.version || (isFinal(next.status) && !isFinal(latest.status));
      if (state.error) set({ error: undefined });
      if (newer || next.version === latest.version) hooks.update(next);
      // The first, immediate check goes straight on to the long-poll (no pause: the callback with the
      // redirect may be milliseconds away). Only a long-poll answered at once with nothing new — a backend
      // that does not hold requests — waits before asking again, so it never spins.
      if (!newer && longPoll && clock.now() - t0 < 1000) {
        const hint = next.next_action.type === 'wait' ? next.next_action.retry_after_ms : intervalMs;
        await clock.sleep(Math.min(Math.max(hint, 50), 30_000), signal);
      }
    } catch (e) {
      if (signal.aborted) return;
      const err = e instanceof Error ? e : new Error(String(e));
      const retry = !isApiError(err) || err.retryable || (tolerateNotFound && err.status === 404);
      if (!retry) return set({ error: err, polling: false });
      set({ error: err });
      failures += 1;
      const backoff = Math.min(retryDelayMs * 2 ** (failures - 1), 30_000);
      await clock.sleep(backoff * (0.8 + clock.random() * 0.4), signal);
    }
  }
  if (!signal.aborted) set({ polling: false });
}
