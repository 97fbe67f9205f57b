import { isApiError } from '../client.ts';

/** Where a failure happened (the `onError` event's `stage`). */
export type CheckoutErrorStage =
  'session' | 'submit' | 'redirect' | 'status' | 'clarification' | 'payment-page';

/** What went wrong, as the shopper is told (a view maps it to a text: `error.<kind>`). */
export type CheckoutErrorKind =
  'network' | 'session_not_found' | 'session_expired' | 'session_completed' | 'generic';

export function errorKind(e: unknown, stage: CheckoutErrorStage): CheckoutErrorKind {
  if (isApiError(e)) {
    if (e.code === 'network_error') return 'network';
    if (stage === 'session' && e.status === 404) return 'session_not_found';
    if (e.code.includes('expired')) return 'session_expired';
  }
  return 'generic';
}

export function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
