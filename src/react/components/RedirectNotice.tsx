import { useT } from '../i18n/index.tsx';
import { StepHeading } from './StepHeading.tsx';

export interface RedirectNoticeProps {
  /** The provider's display name. */
  method: string;
  /** `redirecting`: on the way; `paused`: `beforeRedirect` held it, waiting for the button; `failed`: refused. */
  state: 'redirecting' | 'paused' | 'failed';
  /** Opens the provider's page (the same navigation, by hand). */
  onContinue?: (() => void) | undefined;
  onPickAnother?: (() => void) | undefined;
  headingId?: string | undefined;
}

/** "Continue to GrabPay": shown while redirecting, with a button for when the automatic redirect did not happen. */
export function RedirectNotice({ method, state, onContinue, onPickAnother, headingId }: RedirectNoticeProps) {
  const t = useT();
  return (
    <section
      className="ecp-step ecp-step--redirect"
      aria-labelledby={headingId}
      aria-busy={state === 'redirecting'}
    >
      <StepHeading id={headingId}>{t('step.redirect', { method })}</StepHeading>
      {state === 'failed' ? (
        <p className="ecp-alert ecp-alert--error">{t('redirect.failed', { method })}</p>
      ) : (
        <p>
          {state === 'redirecting' ? <span className="ecp-spinner" aria-hidden="true" /> : null}
          {state === 'redirecting' ? t('redirect.body', { method }) : t('redirect.paused', { method })}
        </p>
      )}
      <div className="ecp-actions">
        {state !== 'failed' && onContinue ? (
          <button type="button" className="ecp-button ecp-button--primary" onClick={onContinue}>
            {t('redirect.button', { method })}
          </button>
        ) : null}
        {onPickAnother && state !== 'redirecting' ? (
          <button type="button" className="ecp-button ecp-button--secondary" onClick={onPickAnother}>
            {t('result.other_method')}
          </button>
        ) : null}
      </div>
    </section>
  );
}
