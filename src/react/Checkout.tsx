import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { SessionView } from '../core/api.ts';
import type {
  CheckoutController,
  CheckoutEvents,
  CheckoutSnapshot,
  CheckoutStep,
  PollOptions,
} from '../core/checkout/index.ts';
import type { Client } from '../core/client.ts';
import type { RedirectPolicy, RedirectTarget } from '../core/redirect.ts';
import { RedirectNotice } from './components/RedirectNotice.tsx';
import { ResultView } from './components/ResultView.tsx';
import { WaitingView } from './components/WaitingView.tsx';
import { methodName, stepAnnouncement } from './checkout/announcement.ts';
import { SelectStep } from './checkout/SelectStep.tsx';
import {
  ClarificationStep,
  ErrorStep,
  LoadingStep,
  PaymentPageStep,
  pageStateOf,
} from './checkout/steps.tsx';
import { useCheckoutController } from './checkout/useCheckoutController.ts';
import { useAfterFirstPaint, useStepAnnouncement, useStepFocus } from './checkout/useStepA11y.ts';
import {
  useAnnounce,
  useAppearanceVariables,
  useClient,
  useHasProvider,
  useMergedAppearance,
  WidgetProvider,
  type Appearance,
} from './context.tsx';
import { I18nProvider, useI18n, type MessageId, type MessageOverrides } from './i18n/index.tsx';
import { useLazy } from './useLazy.ts';

export type {
  BeforeRedirectEvent,
  CheckoutErrorStage,
  CheckoutEvents,
  CheckoutStep,
} from '../core/checkout/index.ts';

export type CheckoutProps = CheckoutEvents & {
  sessionId: string;
  /**
   * The session as your server got it back from `POST /api/sessions` (optional): the methods show at once,
   * without a request to the backend first. Display only — what is charged is the backend's own copy.
   * Ignored unless it is a valid view of `sessionId`.
   */
  session?: SessionView;
  /** The backend's base URL; or a ready `client`. Not needed inside a `<CheckoutProvider>`. */
  apiBaseUrl?: string;
  client?: Client;
  /** A BCP 47 tag; default: the session's locale, else the provider's (English). */
  locale?: string;
  /** Per-key text overrides, over a surrounding provider's. */
  messages?: MessageOverrides;
  /** Theme and variables; inside a `<CheckoutProvider>`, over the provider's, on this checkout's root. */
  appearance?: Appearance;
  /** A class for the root (`.ecp-root`; inside a `<CheckoutProvider>`, this checkout's `.ecp-checkout`). */
  className?: string;
  /** `gate` (default): the widget's own forms. `payment-page`: ecommpay's hosted page. */
  mode?: 'gate' | 'payment-page';
  /** How the Payment Page opens (default `redirect`). */
  paymentPage?: 'redirect' | 'popup' | 'iframe';
  /** Which redirect URLs are allowed (core `RedirectPolicy`); default https only, to the session's hosts. */
  redirectPolicy?: RedirectPolicy;
  /** `auto` (default): the top window when embedded in an iframe, else this one. */
  redirectTarget?: 'auto' | RedirectTarget;
  /** Also list the methods that cannot take this order, and why. */
  showUnavailable?: boolean;
  /** Polling tuning (long-poll seconds, time limit). */
  polling?: Pick<PollOptions, 'waitSeconds' | 'maxPollMs' | 'intervalMs' | 'retryDelayMs'>;
  /** How long a wait usually takes: the progress bar's bound. Default 60 s. */
  expectedWaitMs?: number;
};

/**
 * The drop-in checkout: amount, methods, the chosen method's form, Pay, the redirect or waiting step, and
 * the result — a view of the core checkout controller (`createCheckout`), which runs the flow. Inside a
 * `<CheckoutProvider>` it uses that provider; otherwise it makes its own.
 */
export function Checkout(props: CheckoutProps) {
  const inside = useHasProvider();
  // Keyed by session: a new session id starts a fresh flow (never a payment of the old one).
  // Inside a provider, this checkout's own locale, messages, appearance and class win over the provider's.
  if (inside && !props.apiBaseUrl && !props.client)
    return <CheckoutFlow key={props.sessionId} {...props} scoped />;
  return (
    <WidgetProvider
      apiBaseUrl={props.apiBaseUrl}
      client={props.client}
      locale={props.locale}
      messages={props.messages}
      appearance={props.appearance}
      className={props.className}
    >
      <CheckoutFlow key={props.sessionId} {...props} />
    </WidgetProvider>
  );
}

/** In a provider of someone else's: `appearance` and `className` apply to this checkout's root. */
type FlowProps = CheckoutProps & { scoped?: boolean };

function CheckoutFlow(props: FlowProps) {
  const [snapshot, controller] = useCheckoutController(useClient(), { ...props, holdReady: true });
  const outer = useI18n();
  // The language: this checkout's `locale`, else the session's once it is known, else the provider's (the
  // tree keeps its shape, so nothing remounts). The texts: the provider's overrides, this checkout's on top.
  const { messages } = props;
  const overrides = useMemo(
    () => (messages ? { ...outer.overrides, ...messages } : outer.overrides),
    [outer.overrides, messages],
  );
  return (
    <I18nProvider locale={props.locale ?? snapshot.session?.locale ?? outer.locale} messages={overrides}>
      <CheckoutSteps {...props} snapshot={snapshot} controller={controller} />
    </I18nProvider>
  );
}

type StepsProps = FlowProps & { snapshot: CheckoutSnapshot; controller: CheckoutController };

function CheckoutSteps({ snapshot: s, controller, ...props }: StepsProps) {
  const mode = props.mode ?? 'gate';
  const pageMode = props.paymentPage ?? 'redirect';
  const { t, locale, ready, language } = useI18n();
  const announce = useAnnounce();
  const headingId = `${useId()}-heading`;
  const rootRef = useRef<HTMLDivElement>(null);

  // Inside someone else's provider, this checkout's own appearance restyles its root as an `.ecp-root`
  // (its theme, else the provider's; the provider's variables with its own on top).
  const ownAppearance = props.scoped ? props.appearance : undefined;
  const appearance = useMergedAppearance(ownAppearance);
  useAppearanceVariables(rootRef, ownAppearance ? appearance.variables : undefined);
  const theme = ownAppearance ? (appearance.theme ?? 'light') : undefined;
  const ownClass = props.scoped ? props.className : undefined;

  // The forms (with react-hook-form) are a chunk of their own (`./lazy.ts`), loading from the first render
  // alongside the session; the Payment Page mode needs none of them.
  const lazy = useLazy(mode === 'gate');

  let step: CheckoutStep = !ready ? 'loading' : s.step;
  let errorText: MessageId | null = s.error ? `error.${s.error}` : null;
  // The forms' chunk could not load: the form would never come, so this is an error with a retry.
  const formsFailed = step === 'select' && mode === 'gate' && !lazy.module && lazy.error !== undefined;
  if (formsFailed) {
    step = 'error';
    errorText = 'error.network';
  }
  const [formShown, setFormShown] = useState(false);
  useAfterFirstPaint(step === 'select', formShown, () => setFormShown(true));

  // ── events the view holds: ready once the texts and forms are there; the forms' failure ──────────────
  const formsReady = mode !== 'gate' || lazy.module !== undefined;
  useEffect(() => {
    if (ready && formsReady) controller.viewReady();
  }, [ready, formsReady, controller]);
  useEffect(() => {
    if (lazy.error !== undefined) controller.reportError(lazy.error, 'session');
  }, [lazy.error, controller]);

  // ── focus and the live region ─────────────────────────────────────────────────────────────────────
  useStepFocus(rootRef, `${step}:${s.flow.attempt}`);
  const notice = s.notice;
  useEffect(() => {
    if (notice) announce(t(notice.kind === 'submitting' ? 'status.submitting' : `error.${notice.error}`));
  }, [notice?.id]);
  const payment = s.payment;
  const name = payment ? methodName(s.session, payment.method) : methodName(s.session, s.method, '');
  const pageState = pageStateOf(s, pageMode);
  const detail = {
    result: payment?.status,
    error: errorText,
    redirect: s.redirect,
    'payment-page': pageState,
  }[step as string];
  useStepAnnouncement(
    `${step}:${detail ?? ''}:${s.flow.attempt}`,
    step === 'loading' || step === 'select',
    () => stepAnnouncement({ step, errorText, snapshot: s, payment, name, pageState, t, locale }),
    announce,
  );

  // ── the step ──────────────────────────────────────────────────────────────────────────────────────
  const retryKeeping = () => controller.retry({ keepFields: true });
  const pickAnother = () => controller.retry();
  const body = {
    loading: () => <LoadingStep />,
    error: () => (
      <ErrorStep
        text={errorText ?? 'error.generic'}
        headingId={headingId}
        onRetry={formsFailed ? lazy.retry : controller.recheck}
      />
    ),
    select: () => (
      <SelectStep
        snapshot={s}
        controller={controller}
        mode={mode}
        lazy={lazy}
        formShown={formShown}
        showUnavailable={props.showUnavailable}
        headingId={headingId}
      />
    ),
    redirect: () => (
      <RedirectNotice
        method={name}
        state={s.redirect}
        headingId={headingId}
        onContinue={controller.continueRedirect}
        onPickAnother={pickAnother}
      />
    ),
    clarification: () => (
      <ClarificationStep
        snapshot={s}
        controller={controller}
        lazy={lazy}
        methodName={name}
        headingId={headingId}
      />
    ),
    waiting: () => (
      <WaitingView
        key={s.flow.paymentId}
        headingId={headingId}
        expectedMs={props.expectedWaitMs}
        stopped={s.pollStopped}
        onCheckAgain={controller.recheck}
      />
    ),
    'payment-page': () => (
      <PaymentPageStep snapshot={s} controller={controller} pageMode={pageMode} headingId={headingId} />
    ),
    result: () =>
      payment ? (
        <ResultView
          payment={payment}
          methodName={name}
          headingId={headingId}
          onTryAgain={retryKeeping}
          onPickAnother={pickAnother}
        />
      ) : null,
  }[step]();

  return (
    <div
      ref={rootRef}
      className={`ecp-checkout ecp-checkout--${step}${theme ? ' ecp-root' : ''}${ownClass ? ` ${ownClass}` : ''}`}
      data-theme={theme === 'auto' ? undefined : theme}
      aria-label={t('checkout.label')}
      role="group"
      lang={language}
    >
      {body}
    </div>
  );
}
