/** What the live region says when `<Checkout>` reaches a step, and the method's name it speaks of. */
import type { PaymentView, SessionView } from '../../core/api.ts';
import type { CheckoutSnapshot, CheckoutStep } from '../../core/checkout/index.ts';
import { catalog, type MethodId } from '../../core/methods/index.ts';
import { formatMoney } from '../../core/money.ts';
import type { MessageId, Translate } from '../i18n/index.tsx';
import { resultMessageKey } from '../components/ResultView.tsx';

/** A method's name; a Payment Page payment has none until the shopper picks one there. */
export function methodName(
  session: SessionView | undefined,
  id: MethodId | undefined,
  none = 'ecommpay',
): string {
  if (!id) return none;
  return session?.methods.find((m) => m.method === id)?.name ?? catalog.get(id).name;
}

export interface AnnouncementInput {
  step: CheckoutStep;
  errorText: MessageId | null;
  snapshot: CheckoutSnapshot;
  payment: PaymentView | undefined;
  name: string;
  pageState: string;
  t: Translate;
  locale: string;
}

export function stepAnnouncement({
  step,
  errorText,
  snapshot,
  payment,
  name,
  pageState,
  t,
  locale,
}: AnnouncementInput): string {
  const redirectText = (state: string, method: string) =>
    state === 'redirecting'
      ? t('status.redirecting', { method })
      : t(state === 'paused' ? 'redirect.paused' : 'redirect.failed', { method });
  switch (step) {
    case 'error':
      return t(errorText ?? 'error.generic');
    case 'redirect':
      return redirectText(snapshot.redirect, name);
    case 'payment-page':
      return pageState === 'iframe'
        ? t('step.payment_page')
        : pageState === 'popup' || pageState === 'blocked'
          ? t(pageState === 'blocked' ? 'payment_page.popup_blocked' : 'payment_page.popup')
          : redirectText(pageState, 'ecommpay');
    case 'result': {
      if (!payment) return '';
      const paid = payment.status === 'success' || payment.status === 'partially_refunded';
      return paid
        ? `${t('step.success')}. ${t('result.success.body', {
            amount: formatMoney(payment.amount, payment.currency, locale),
            method: name,
          })}`
        : `${t(payment.status === 'decline' ? 'step.decline' : 'step.failed')}. ${t(resultMessageKey(payment))}`;
    }
    default:
      return t(`step.${step === 'select' ? 'method' : step}`);
  }
}
