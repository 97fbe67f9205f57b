/** The checkout's snapshot, derived from the controller's state: which step shows, and why. */
import type { PaymentView, SessionView } from '../api.ts';
import type { MethodId } from '../methods/index.ts';
import type { Currency } from '../money.ts';
import { isFinal } from '../status.ts';
import { errorKind } from './errors.ts';
import type { FlowState } from './machine.ts';
import type { PollState } from './poll.ts';
import type { CheckoutNotice, CheckoutSnapshot, CheckoutStep } from './types.ts';

export interface CheckoutState {
  mode: 'gate' | 'payment-page';
  session: SessionView | undefined;
  sessionError: unknown;
  flow: FlowState;
  chosen: MethodId | undefined;
  currencies: Partial<Record<MethodId, Currency>>;
  fields: Record<string, string>;
  payments: Map<string, PaymentView>;
  poll: PollState;
  redirectUi: { id: string; state: 'redirecting' | 'paused' | 'failed' } | undefined;
  pageUrl: string | undefined;
  popupBlocked: boolean;
  notice: CheckoutNotice | undefined;
}

export const isTracking = (flow: FlowState) => flow.phase === 'tracking' || flow.phase === 'redirecting';

/** The payment being followed (none while choosing a method). */
export function currentPayment(s: CheckoutState): PaymentView | undefined {
  return isTracking(s.flow) && s.flow.paymentId ? s.payments.get(s.flow.paymentId) : undefined;
}

/** The shopper's method (until they pick one, the first), its session entry and currency. */
export function methodState(s: Pick<CheckoutState, 'session' | 'chosen' | 'currencies'>) {
  const methods = s.session?.methods ?? [];
  const method = methods.some((m) => m.method === s.chosen) ? s.chosen : methods[0]?.method;
  const selected = methods.find((m) => m.method === method);
  const currency = (method && s.currencies[method]) ?? selected?.options[0]?.currency;
  return { method, selected, currency };
}

function stepOf(
  s: CheckoutState,
  payment: PaymentView | undefined,
): Pick<CheckoutSnapshot, 'step' | 'error'> {
  const { session } = s;
  if (!session) {
    return s.sessionError === undefined
      ? { step: 'loading', error: undefined }
      : { step: 'error', error: errorKind(s.sessionError, 'session') };
  }
  if (!isTracking(s.flow)) {
    if (session.status === 'expired') return { step: 'error', error: 'session_expired' };
    if (session.status === 'completed') return { step: 'error', error: 'session_completed' };
    return { step: 'select', error: undefined };
  }
  let step: CheckoutStep;
  if (!payment) {
    if (s.poll.error && !s.poll.polling) return { step: 'error', error: errorKind(s.poll.error, 'status') };
    step = 'waiting';
  } else if (isFinal(payment.status)) step = 'result';
  else if (s.mode === 'payment-page') step = 'payment-page';
  else if (payment.next_action.type === 'redirect') step = 'redirect';
  else if (payment.next_action.type === 'clarification') step = 'clarification';
  else step = 'waiting';
  return { step, error: undefined };
}

export function buildSnapshot(s: CheckoutState): CheckoutSnapshot {
  const payment = currentPayment(s);
  const { method, currency } = methodState(s);
  const { flow, poll, redirectUi } = s;
  const redirect =
    flow.phase === 'redirecting'
      ? 'redirecting'
      : redirectUi && redirectUi.id === payment?.id
        ? redirectUi.state
        : flow.resumed
          ? 'paused'
          : 'redirecting';
  return Object.freeze({
    ...stepOf(s, payment),
    session: s.session,
    method,
    currency,
    flow,
    payment,
    submitError: flow.phase === 'idle' && flow.error ? errorKind(flow.error, 'submit') : undefined,
    polling: poll.polling,
    timedOut: poll.timedOut,
    pollStopped: poll.timedOut || (!poll.polling && poll.error !== undefined),
    redirect,
    pageUrl: s.pageUrl,
    popupBlocked: s.popupBlocked,
    fields: s.fields,
    notice: s.notice,
  });
}
