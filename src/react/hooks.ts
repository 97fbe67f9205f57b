import {
  useMutation,
  usePrefetchQuery,
  useQuery,
  useQueryClient,
  type UseQueryResult,
} from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import * as z from 'zod/mini';
import {
  sessionViewSchema,
  type ClarificationRequest,
  type CreatePaymentRequest,
  type PaymentPageRequest,
  type PaymentView,
  type SessionView,
} from '../core/api.ts';
import { isApiError, type ApiError } from '../core/client.ts';
import { isFinal } from '../core/status.ts';
import { useClient } from './context.tsx';

export const sessionKey = (id: string) => ['ecp', 'session', id] as const;
export const paymentKey = (id: string | undefined) => ['ecp', 'payment', id ?? ''] as const;

/** The session (amount, methods that can take it, why others cannot). */
export function useSession(sessionId: string, initial?: unknown): UseQueryResult<SessionView> {
  const client = useClient();
  // A session handed over by the page (what the merchant's server got back from `POST /api/sessions`)
  // is shown at once, without asking the backend first; it is checked like an answer of the backend,
  // and one that is not this session's view is ignored (then the widget asks). Display only: what is
  // charged is the backend's own copy of the session.
  const [given] = useState(() => {
    if (initial === undefined) return undefined;
    const parsed = z.safeParse(sessionViewSchema, initial);
    return parsed.success && parsed.data.id === sessionId
      ? { initialData: parsed.data, initialDataUpdatedAt: Date.now() }
      : undefined;
  });
  const options = {
    queryKey: sessionKey(sessionId),
    queryFn: ({ signal }: { signal: AbortSignal }) => client.getSession(sessionId, { signal }),
    staleTime: 60_000,
    ...given,
  };
  // The request starts in this first render: `useQuery` alone starts it from an effect, i.e. after the
  // loading state has been committed and (in Preact) painted — 80–130 ms later on a throttled phone CPU.
  usePrefetchQuery(options);
  return useQuery(options);
}

/** Creates a payment; the caller passes one idempotency key per attempt. */
export function useCreatePayment(sessionId: string) {
  const client = useClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { request: CreatePaymentRequest; idempotencyKey: string }) =>
      client.createPayment(sessionId, v.request, v.idempotencyKey),
    onSuccess: (payment) => qc.setQueryData(paymentKey(payment.id), payment),
  });
}

/** Sends the fields a clarification asked for. */
export function useClarify(paymentId: string | undefined) {
  const client = useClient();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: ClarificationRequest) => client.clarify(paymentId ?? '', req),
    onSuccess: (payment) => qc.setQueryData(paymentKey(payment.id), payment),
  });
}

/** Asks the backend for a signed Payment Page URL. */
export function usePaymentPage(sessionId: string) {
  const client = useClient();
  return useMutation({ mutationFn: (req: PaymentPageRequest) => client.paymentPage(sessionId, req) });
}

export interface UsePaymentOptions {
  /** Keep asking until the payment is final (default true). */
  poll?: boolean;
  /** Seconds each long-poll request may be held by the backend (default 25, at most 30). */
  waitSeconds?: number;
  /** Stop polling after this long (default 10 minutes); `recheck()` starts again. */
  maxPollMs?: number;
  /** Delay before asking again when an answer came back quickly and unchanged (default 1000 ms). */
  intervalMs?: number;
  /** The first retry's delay after a failed request; it doubles up to 30 s (default 1000 ms). */
  retryDelayMs?: number;
  /** Treat 404 as "not there yet" and keep polling (Payment Page mode). */
  tolerateNotFound?: boolean;
  /** Changing it restarts polling with an immediate status check (like `recheck()`). */
  restartKey?: unknown;
}

export interface UsePaymentResult {
  payment: PaymentView | undefined;
  /** The last failed request's error (cleared by the next success). */
  error: ApiError | Error | null;
  polling: boolean;
  /** Polling stopped at `maxPollMs` before the payment was final. */
  timedOut: boolean;
  /** An immediate status check, then polling again. */
  recheck(): void;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/**
 * A payment, kept current: one request at a time — an immediate status check, then long-polls
 * (`wait` + `version`) — with exponential backoff on errors, stopping when the payment is final, after
 * `maxPollMs`, or on a non-retryable error.
 */
export function usePayment(paymentId: string | undefined, options: UsePaymentOptions = {}): UsePaymentResult {
  const {
    poll = true,
    waitSeconds = 25,
    maxPollMs = 10 * 60_000,
    intervalMs = 1000,
    tolerateNotFound = false,
    retryDelayMs = 1000,
    restartKey,
  } = options;
  const client = useClient();
  const qc = useQueryClient();
  const query = useQuery({
    queryKey: paymentKey(paymentId),
    queryFn: ({ signal }) => client.getPayment(paymentId ?? '', { signal }),
    // The loop below is the only fetcher; the query only holds the cache entry and re-renders.
    enabled: false,
    staleTime: Infinity,
  });
  const [round, setRound] = useState(0);
  const [status, setStatus] = useState<{
    polling: boolean;
    timedOut: boolean;
    error: ApiError | Error | null;
  }>({ polling: false, timedOut: false, error: null });

  useEffect(() => {
    if (!paymentId || !poll) return;
    const ac = new AbortController();
    const { signal } = ac;
    const key = paymentKey(paymentId);
    const started = Date.now();
    let failures = 0;
    let first = true;
    setStatus({ polling: true, timedOut: false, error: null });
    void (async () => {
      while (!signal.aborted) {
        const current = qc.getQueryData<PaymentView>(key);
        if (current && isFinal(current.status)) break;
        if (Date.now() - started > maxPollMs) {
          setStatus((s) => ({ ...s, polling: false, timedOut: true }));
          return;
        }
        const t0 = Date.now();
        try {
          const longPoll = !first && current !== undefined;
          const next = await client.getPayment(
            paymentId,
            longPoll ? { wait: waitSeconds, version: current.version, signal } : { signal },
          );
          if (signal.aborted) return;
          first = false;
          failures = 0;
          const latest = qc.getQueryData<PaymentView>(key);
          // Newer versions win; a final status is never ignored for an older non-final one.
          const newer =
            !latest || next.version > latest.version || (isFinal(next.status) && !isFinal(latest.status));
          if (newer || next.version === latest.version) qc.setQueryData(key, next);
          setStatus((s) => (s.error ? { ...s, error: null } : s));
          // The first, immediate check goes straight on to the long-poll (no pause: the callback with the
          // redirect may be milliseconds away). Only a long-poll answered at once with nothing new — a
          // backend that does not hold requests — waits before asking again, so it never spins.
          if (!newer && longPoll && Date.now() - t0 < 1000) {
            const hint = next.next_action.type === 'wait' ? next.next_action.retry_after_ms : intervalMs;
            await sleep(Math.min(Math.max(hint, 50), 30_000), signal);
          }
        } catch (e) {
          if (signal.aborted) return;
          const err = e instanceof Error ? e : new Error(String(e));
          const retry = !isApiError(err) || err.retryable || (tolerateNotFound && err.status === 404);
          setStatus((s) => ({ ...s, error: err }));
          if (!retry) {
            setStatus((s) => ({ ...s, polling: false }));
            return;
          }
          failures += 1;
          const backoff = Math.min(retryDelayMs * 2 ** (failures - 1), 30_000);
          await sleep(backoff * (0.8 + Math.random() * 0.4), signal);
        }
      }
      if (!signal.aborted) setStatus((s) => ({ ...s, polling: false }));
    })();
    return () => ac.abort();
  }, [
    paymentId,
    poll,
    round,
    restartKey,
    client,
    qc,
    waitSeconds,
    maxPollMs,
    intervalMs,
    tolerateNotFound,
    retryDelayMs,
  ]);

  const recheck = useCallback(() => setRound((r) => r + 1), []);
  return { payment: paymentId ? query.data : undefined, ...status, recheck };
}
