/** `<Checkout>`'s smaller steps: loading, error, clarification and the Payment Page. */
import type { CheckoutController, CheckoutSnapshot } from '../../core/checkout/index.ts';
import { RedirectNotice } from '../components/RedirectNotice.tsx';
import { StepHeading } from '../components/StepHeading.tsx';
import { useT, type MessageId } from '../i18n/index.tsx';
import type { LazyState } from '../useLazy.ts';

export function LoadingStep() {
  const t = useT();
  return (
    <section className="ecp-step ecp-step--loading" aria-busy="true">
      <p className="ecp-loading">
        <span className="ecp-spinner" aria-hidden="true" />
        {t('step.loading')}
      </p>
    </section>
  );
}

/** An error step; network and unknown errors get a "Try again" button. */
export function ErrorStep({
  text,
  headingId,
  onRetry,
}: {
  text: MessageId;
  headingId: string;
  onRetry(): void;
}) {
  const t = useT();
  return (
    <section className="ecp-step ecp-step--error" aria-labelledby={headingId}>
      <StepHeading id={headingId}>{t('step.error')}</StepHeading>
      <p className="ecp-alert ecp-alert--error">{t(text)}</p>
      {text === 'error.network' || text === 'error.generic' ? (
        <button type="button" className="ecp-button ecp-button--secondary" onClick={onRetry}>
          {t('error.retry')}
        </button>
      ) : null}
    </section>
  );
}

export interface ClarificationStepProps {
  snapshot: CheckoutSnapshot;
  controller: CheckoutController;
  lazy: LazyState;
  methodName: string;
  headingId: string;
}

/** The Gate asks for more (GrabPay MYR: the shopper's names). */
export function ClarificationStep({
  snapshot: s,
  controller,
  lazy,
  methodName,
  headingId,
}: ClarificationStepProps) {
  const t = useT();
  // Loaded with the method forms, so here already (unless the page resumed straight into this step).
  const Clarification = lazy.module?.ClarificationForm;
  const action = s.payment?.next_action;
  return (
    <section
      className="ecp-step ecp-step--clarification"
      aria-labelledby={headingId}
      aria-busy={Clarification ? undefined : true}
    >
      <StepHeading id={headingId}>{t('step.clarification')}</StepHeading>
      <p>{t('clarification.body', { method: methodName })}</p>
      {action?.type !== 'clarification' ? null : Clarification ? (
        <Clarification
          fields={action.fields}
          defaultValues={{ ...s.session?.customer, ...s.fields }}
          onSubmit={(req) => void controller.clarify(req)}
          aria-labelledby={headingId}
        />
      ) : lazy.error !== undefined ? (
        <>
          <p className="ecp-alert ecp-alert--error">{t('error.network')}</p>
          <button type="button" className="ecp-button ecp-button--secondary" onClick={lazy.retry}>
            {t('error.retry')}
          </button>
        </>
      ) : (
        <p className="ecp-loading">
          <span className="ecp-spinner" aria-hidden="true" />
          {t('step.loading')}
        </p>
      )}
    </section>
  );
}

export type PageState = 'redirecting' | 'paused' | 'iframe' | 'popup' | 'blocked';

export function pageStateOf(s: CheckoutSnapshot, pageMode: 'redirect' | 'popup' | 'iframe'): PageState {
  if (pageMode === 'redirect') return s.flow.phase === 'redirecting' ? 'redirecting' : 'paused';
  return pageMode === 'popup' && s.popupBlocked ? 'blocked' : pageMode;
}

export interface PaymentPageStepProps {
  snapshot: CheckoutSnapshot;
  controller: CheckoutController;
  pageMode: 'redirect' | 'popup' | 'iframe';
  headingId: string;
}

/** ecommpay's hosted page: in a frame, in a popup, or on the way there. */
export function PaymentPageStep({ snapshot: s, controller, pageMode, headingId }: PaymentPageStepProps) {
  const t = useT();
  const url = s.pageUrl;
  if (pageMode === 'iframe' && url)
    return (
      <section className="ecp-step ecp-step--payment-page" aria-labelledby={headingId}>
        <StepHeading id={headingId}>{t('step.payment_page')}</StepHeading>
        <iframe className="ecp-frame" src={url} title={t('payment_page.frame_title')} />
      </section>
    );
  if (pageMode === 'redirect')
    return (
      <RedirectNotice
        method="ecommpay"
        state={s.flow.phase === 'redirecting' ? 'redirecting' : 'paused'}
        headingId={headingId}
        onContinue={url ? controller.continueRedirect : undefined}
        onPickAnother={() => controller.retry()}
      />
    );
  return (
    <section className="ecp-step ecp-step--payment-page" aria-labelledby={headingId}>
      <StepHeading id={headingId}>{t('step.payment_page')}</StepHeading>
      <p>{s.popupBlocked ? t('payment_page.popup_blocked') : t('payment_page.popup')}</p>
      {url ? (
        <button type="button" className="ecp-button ecp-button--primary" onClick={controller.reopenPopup}>
          {t('payment_page.open')}
        </button>
      ) : null}
    </section>
  );
}
