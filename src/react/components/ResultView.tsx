import type { PaymentView } from '../../core/api.ts';
import { formatMoney } from '../../core/money.ts';
import { catalog } from '../../core/methods/index.ts';
import { isPaid } from '../../core/status.ts';
import { en, useI18n, type MessageId } from '../i18n/index.tsx';
import { StepHeading } from './StepHeading.tsx';

export interface ResultViewProps {
  payment: PaymentView;
  /** Shown instead of the catalog's name. */
  methodName?: string | undefined;
  /** A new attempt with the same method. */
  onTryAgain?: (() => void) | undefined;
  onPickAnother?: (() => void) | undefined;
  headingId?: string | undefined;
}

/** The friendly, translated text for an ecommpay result code (or the generic decline). */
export function resultMessageKey(payment: Pick<PaymentView, 'status' | 'code'>): MessageId {
  const byCode = `result.code.${payment.code ?? ''}`;
  if (payment.code && Object.hasOwn(en, byCode)) return byCode as MessageId;
  switch (payment.status) {
    case 'expired':
      return 'result.expired';
    case 'cancelled':
      return 'result.cancelled';
    case 'error':
      return 'result.error';
    case 'refunded':
      return 'result.refunded';
    default:
      return 'result.decline.generic';
  }
}

/** Success with the amount and method; otherwise the reason, with "try again" and "pick another method". */
export function ResultView({ payment, methodName, onTryAgain, onPickAnother, headingId }: ResultViewProps) {
  const { t, locale } = useI18n();
  const method = methodName ?? (payment.method ? catalog.get(payment.method).name : 'ecommpay');
  const paid = isPaid(payment.status) && payment.status !== 'refunded';
  const amount = formatMoney(payment.amount, payment.currency, locale);
  const heading = paid
    ? t('step.success')
    : payment.status === 'decline'
      ? t('step.decline')
      : t('step.failed');
  return (
    <section
      className={`ecp-step ecp-step--result ecp-result--${paid ? 'success' : 'failure'}`}
      aria-labelledby={headingId}
    >
      <div className="ecp-result__icon" aria-hidden="true">
        {paid ? '✓' : '!'}
      </div>
      <StepHeading id={headingId}>{heading}</StepHeading>
      {paid ? (
        <p className="ecp-result__message">{t('result.success.body', { amount, method })}</p>
      ) : (
        <p className="ecp-result__message">{t(resultMessageKey(payment))}</p>
      )}
      <p className="ecp-result__reference">{t('result.reference', { id: payment.id })}</p>
      {!paid && (onTryAgain || onPickAnother) ? (
        <div className="ecp-actions">
          {onTryAgain ? (
            <button type="button" className="ecp-button ecp-button--primary" onClick={onTryAgain}>
              {t('result.try_again')}
            </button>
          ) : null}
          {onPickAnother ? (
            <button type="button" className="ecp-button ecp-button--secondary" onClick={onPickAnother}>
              {t('result.other_method')}
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
