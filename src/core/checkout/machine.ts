/**
 * The checkout flow as a small state machine. Events that do not fit the current phase are ignored
 * (the same state object comes back), which is what blocks a second submit: `SUBMIT` is taken only in
 * `idle`, so a double click, a second Enter or a re-render cannot create a second payment.
 *
 *   idle ──SUBMIT──▶ submitting ──CREATED──▶ tracking ──REDIRECTING──▶ redirecting
 *    ▲                   │ FAILED                │ ▲                      │ REDIRECT_STOPPED / PAGE_RESTORED
 *    └───────────────────┘                       │ └──────────────────────┘
 *    └────────────── RESET (try again, pick another method) ◀───┘
 *   idle ──RESUME (return URL, reload, session)──▶ tracking
 */

export type Phase = 'idle' | 'submitting' | 'tracking' | 'redirecting';

export interface FlowState {
  phase: Phase;
  /** The payment being followed (tracking, redirecting). */
  paymentId?: string;
  /** The current attempt's idempotency key and what it was for: a retry of the same request reuses it. */
  key?: string;
  fingerprint?: string;
  /** The last submit's failure (idle). */
  error?: unknown;
  /** The payment was picked up again (return URL, reload, session), not created on this page. */
  resumed: boolean;
  /** Bumped to ask for an immediate status check (bfcache restore, "check again"). */
  check: number;
  /** Bumped by RESET: a new attempt. */
  attempt: number;
}

export type FlowEvent =
  | { type: 'SUBMIT'; key: string; fingerprint: string }
  | { type: 'CREATED'; paymentId: string }
  | { type: 'FAILED'; error: unknown }
  | { type: 'RESUME'; paymentId: string }
  | { type: 'REDIRECTING' }
  | { type: 'REDIRECT_STOPPED' }
  | { type: 'PAGE_RESTORED' }
  | { type: 'RESET' };

export const initialFlow: FlowState = { phase: 'idle', resumed: false, check: 0, attempt: 0 };

export function flowReducer(s: FlowState, e: FlowEvent): FlowState {
  switch (e.type) {
    case 'SUBMIT':
      if (s.phase !== 'idle') return s;
      return { ...s, phase: 'submitting', key: e.key, fingerprint: e.fingerprint, error: undefined };
    case 'CREATED':
      if (s.phase !== 'submitting') return s;
      return { ...s, phase: 'tracking', paymentId: e.paymentId, resumed: false };
    case 'FAILED':
      if (s.phase !== 'submitting') return s;
      // Key and fingerprint stay: sending the same request again reuses the key, so the backend dedupes.
      return { ...s, phase: 'idle', error: e.error };
    case 'RESUME':
      if (s.phase !== 'idle') return s;
      return { ...s, phase: 'tracking', paymentId: e.paymentId, resumed: true, error: undefined };
    case 'REDIRECTING':
      if (s.phase !== 'tracking') return s;
      return { ...s, phase: 'redirecting' };
    case 'REDIRECT_STOPPED':
      if (s.phase !== 'redirecting') return s;
      return { ...s, phase: 'tracking' };
    case 'PAGE_RESTORED':
      // Back from the provider (bfcache): leave "redirecting" and check the status instead of spinning.
      if (s.phase !== 'redirecting' && s.phase !== 'tracking') return s;
      return { ...s, phase: 'tracking', resumed: true, check: s.check + 1 };
    case 'RESET':
      if (s.phase === 'submitting' || s.phase === 'redirecting') return s;
      return { phase: 'idle', resumed: false, check: s.check, attempt: s.attempt + 1 };
  }
}
