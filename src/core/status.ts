/**
 * The payment state machine shared by widget, backend and sandbox.
 *
 * ecommpay reports many payment statuses, in callbacks that may arrive several times and out of order.
 * We map them onto a small set of states with ranks; a transition is taken only when it moves forward, so
 * a late or repeated callback can never move a final payment backwards.
 */

export const PAYMENT_STATES = [
  'created',
  'awaiting_redirect',
  'awaiting_clarification',
  'processing',
  'success',
  'decline',
  'expired',
  'cancelled',
  'error',
  'partially_refunded',
  'refunded',
] as const;

export type PaymentState = (typeof PAYMENT_STATES)[number];

/** Final for the purchase itself (refunds may still follow a success). */
export const FINAL_STATES: ReadonlySet<PaymentState> = new Set([
  'success',
  'decline',
  'expired',
  'cancelled',
  'error',
  'partially_refunded',
  'refunded',
]);

const RANK: Record<PaymentState, number> = {
  created: 0,
  awaiting_redirect: 1,
  awaiting_clarification: 1,
  processing: 2,
  success: 3,
  decline: 3,
  expired: 3,
  cancelled: 3,
  error: 3,
  partially_refunded: 4,
  refunded: 5,
};

export function isPaymentState(v: unknown): v is PaymentState {
  return typeof v === 'string' && (PAYMENT_STATES as readonly string[]).includes(v);
}

export function isFinal(state: PaymentState): boolean {
  return FINAL_STATES.has(state);
}

/** Whether the shopper's purchase has ended in a way that took their money. */
export function isPaid(state: PaymentState): boolean {
  return state === 'success' || state === 'partially_refunded' || state === 'refunded';
}

/** ecommpay payment statuses (and the spellings seen in the wild) → our states. */
const FROM_ECOMMPAY: Record<string, PaymentState> = {
  'awaiting redirect result': 'awaiting_redirect',
  'awaiting customer': 'awaiting_redirect',
  'awaiting 3ds result': 'awaiting_redirect',
  'awaiting clarification': 'awaiting_clarification',
  processing: 'processing',
  success: 'success',
  decline: 'decline',
  expired: 'expired',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  error: 'error',
  'internal error': 'error',
  'external error': 'error',
  refunded: 'refunded',
  // A reversal returns the whole amount to the shopper.
  reversed: 'refunded',
  'partially refunded': 'partially_refunded',
  'partially reversed': 'partially_refunded',
};

/** Maps an ecommpay payment status; unknown statuses return null (the caller keeps its state and logs). */
export function fromEcommpayStatus(status: string): PaymentState | null {
  return FROM_ECOMMPAY[status.trim().toLowerCase().replace(/_/g, ' ')] ?? null;
}

/** The ecommpay spelling the sandbox uses for one of our states. */
export function toEcommpayStatus(state: PaymentState): string {
  switch (state) {
    case 'created':
    case 'processing':
      return 'processing';
    case 'awaiting_redirect':
      return 'awaiting redirect result';
    case 'awaiting_clarification':
      return 'awaiting clarification';
    case 'partially_refunded':
      return 'partially refunded';
    default:
      return state;
  }
}

/**
 * Whether `from → to` moves forward. Same-rank moves are allowed only between the two waiting states
 * (a clarification is followed by a redirect) and for repeated partial refunds.
 */
export function canTransition(from: PaymentState, to: PaymentState): boolean {
  if (from === to) return to === 'partially_refunded';
  const a = RANK[from];
  const b = RANK[to];
  // Forward from a waiting state, or from a paid state towards refunds; other final states are terminal.
  if (b > a) return a < 3 || isPaid(from);
  return b === a && a === 1;
}

export interface TransitionResult {
  state: PaymentState;
  changed: boolean;
}

/** Applies `next` if it moves forward; otherwise keeps `current`. Never throws. */
export function transition(current: PaymentState, next: PaymentState): TransitionResult {
  return canTransition(current, next) ? { state: next, changed: true } : { state: current, changed: false };
}
