import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { RETURN_PARAMS, type CreatePaymentRequest, type PaymentView, type SessionView } from '../core/api.ts';
import { isApiError, newIdempotencyKey, type Client } from '../core/client.ts';
import type { MethodId } from '../core/methods/index.ts';
import { formatMoney, type Currency } from '../core/money.ts';
import {
  isInIframe,
  performRedirect,
  validateRedirectUrl,
  type RedirectData,
  type RedirectPolicy,
  type RedirectTarget,
} from '../core/redirect.ts';
import { isFinal } from '../core/status.ts';
import { MethodPicker } from './components/MethodPicker.tsx';
import { PayButton } from './components/PayButton.tsx';
import { RedirectNotice } from './components/RedirectNotice.tsx';
import { ResultView, resultMessageKey } from './components/ResultView.tsx';
import { StepHeading } from './components/StepHeading.tsx';
import { UnavailableMethods } from './components/UnavailableMethods.tsx';
import { WaitingView } from './components/WaitingView.tsx';
import {
  CheckoutProvider,
  useAnnounce,
  useClient,
  useHasProvider,
  useIsomorphicLayoutEffect,
  useAppearanceVariables,
  useLatest,
  useMergedAppearance,
  type Appearance,
} from './context.tsx';
import { CurrencySelect } from './forms/CurrencySelect.tsx';
import type { MethodSubmit } from './forms/shared.tsx';
import { paymentKey, usePayment, useSession, type UsePaymentOptions } from './hooks.ts';
import { I18nProvider, useI18n, type MessageId, type MessageOverrides } from './i18n/index.tsx';
import { flowReducer, initialFlow, type FlowEvent, type FlowState } from './machine.ts';
import { completedStorageKey, paymentStorageKey, readStored, writeStored } from './storage.ts';
import { useLazy } from './useLazy.ts';

/**
 * How long a redirect method's payment request may wait for the Gate's callback with the redirect (usually
 * within a second or two): the widget then leaves at once, without a status request in between. Past it,
 * the waiting step shows and its long-poll takes over.
 */
const SUBMIT_WAIT_S = 2;

export type CheckoutStep =
  'loading' | 'error' | 'select' | 'redirect' | 'clarification' | 'waiting' | 'payment-page' | 'result';

export type CheckoutErrorStage =
  'session' | 'submit' | 'redirect' | 'status' | 'clarification' | 'payment-page';

export type BeforeRedirectEvent = {
  payment: PaymentView;
  redirect: RedirectData;
};

// Type aliases, not interfaces: they fit `Record<string, unknown>` (Storybook args, generic wrappers).
export type CheckoutEvents = {
  /** The session is loaded and the methods are shown. */
  onReady?: (e: { session: SessionView }) => void;
  onMethodChange?: (e: { method: MethodId; currency: Currency }) => void;
  /** Before the payment is created; return `false` to stop. */
  onSubmit?: (e: CreatePaymentRequest) => void | boolean;
  /** Just before the browser leaves for the provider's (or the Payment Page's) URL. */
  onRedirect?: (e: { payment?: PaymentView; url: string; method: 'GET' | 'POST' }) => void;
  /** The payment is final (success, decline, expired…): exactly once per payment. */
  onComplete?: (payment: PaymentView) => void;
  onError?: (error: Error, context: { stage: CheckoutErrorStage }) => void;
};

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
  /**
   * Called before leaving for the provider; return `false` (or a promise of it) to stay — the shopper
   * then gets a "Continue to …" button. A promise delays the redirect until it settles.
   */
  beforeRedirect?: (e: BeforeRedirectEvent) => boolean | void | Promise<boolean | void>;
  /** Which redirect URLs are allowed (core `RedirectPolicy`); default https only. */
  redirectPolicy?: RedirectPolicy;
  /** `auto` (default): the top window when embedded in an iframe, else this one. */
  redirectTarget?: 'auto' | RedirectTarget;
  /** Also list the methods that cannot take this order, and why. */
  showUnavailable?: boolean;
  /** Polling tuning (long-poll seconds, time limit). */
  polling?: Pick<UsePaymentOptions, 'waitSeconds' | 'maxPollMs' | 'intervalMs' | 'retryDelayMs'>;
  /** How long a wait usually takes: the progress bar's bound. Default 60 s. */
  expectedWaitMs?: number;
};

/**
 * The drop-in checkout: amount, methods, the chosen method's form, Pay, the redirect or waiting step,
 * and the result. Inside a `<CheckoutProvider>` it uses that provider; otherwise it makes its own.
 */
export function Checkout(props: CheckoutProps) {
  const inside = useHasProvider();
  // Keyed by session: a new session id starts a fresh flow (never a payment of the old one).
  // Inside a provider, this checkout's own locale, messages, appearance and class win over the provider's.
  if (inside && !props.apiBaseUrl && !props.client)
    return <CheckoutFlow key={props.sessionId} {...props} scoped />;
  return (
    <CheckoutProvider
      {...(props.apiBaseUrl !== undefined ? { apiBaseUrl: props.apiBaseUrl } : {})}
      {...(props.client ? { client: props.client } : {})}
      {...(props.locale ? { locale: props.locale } : {})}
      {...(props.messages ? { messages: props.messages } : {})}
      {...(props.appearance ? { appearance: props.appearance } : {})}
      {...(props.className ? { className: props.className } : {})}
    >
      <CheckoutFlow key={props.sessionId} {...props} />
    </CheckoutProvider>
  );
}

function readReturnedPayment(): string | null {
  try {
    const search = (globalThis as { location?: Location }).location?.search ?? '';
    const id = new URLSearchParams(search).get(RETURN_PARAMS.payment);
    return id && id.trim() !== '' ? id : null;
  } catch {
    return null;
  }
}

/** Removes the return parameters from the address bar (after "try again", a reload starts afresh). */
function clearReturnParams(): void {
  try {
    const loc = (globalThis as { location?: Location }).location;
    const hist = (globalThis as { history?: History }).history;
    if (!loc || !hist) return;
    const url = new URL(loc.href);
    if (!url.searchParams.has(RETURN_PARAMS.payment)) return;
    url.searchParams.delete(RETURN_PARAMS.payment);
    url.searchParams.delete(RETURN_PARAMS.result);
    hist.replaceState(hist.state, '', url.href);
  } catch {
    // Not allowed here (sandboxed frame): harmless.
  }
}

function errorKey(e: unknown, stage: CheckoutErrorStage): MessageId {
  if (isApiError(e)) {
    if (e.code === 'network_error') return 'error.network';
    if (stage === 'session' && e.status === 404) return 'error.session_not_found';
    if (e.code.includes('expired')) return 'error.session_expired';
  }
  return 'error.generic';
}

function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

type FlowProps = CheckoutProps & {
  /** In a provider of someone else's: `appearance` and `className` apply to this checkout's root. */
  scoped?: boolean;
};

function CheckoutFlow(props: FlowProps) {
  const session = useSession(props.sessionId, props.session);
  const outer = useI18n();
  // The language: this checkout's `locale`, else the session's once it is known, else the provider's (the
  // tree keeps its shape, so nothing remounts). The texts: the provider's overrides, this checkout's on top.
  const { messages } = props;
  const overrides = useMemo(
    () => (messages ? { ...outer.overrides, ...messages } : outer.overrides),
    [outer.overrides, messages],
  );
  return (
    <I18nProvider locale={props.locale ?? session.data?.locale ?? outer.locale} messages={overrides}>
      <CheckoutSteps {...props} sessionState={session} />
    </I18nProvider>
  );
}

type StepsProps = FlowProps & {
  sessionState: ReturnType<typeof useSession>;
};

function CheckoutSteps(props: StepsProps) {
  const { sessionId, mode = 'gate' } = props;
  const pageMode = props.paymentPage ?? 'redirect';
  const client = useClient();
  const qc = useQueryClient();
  const { t, locale, ready, language } = useI18n();
  const announce = useAnnounce();
  const latest = useLatest(props);
  const baseId = useId();
  const rootRef = useRef<HTMLDivElement>(null);

  // Inside someone else's provider, this checkout's own appearance restyles its root as an `.ecp-root`
  // (its theme, else the provider's; the provider's variables with its own on top). With a provider of
  // its own, `appearance` and `className` are that provider's.
  const ownAppearance = props.scoped ? props.appearance : undefined;
  const appearance = useMergedAppearance(ownAppearance);
  useAppearanceVariables(rootRef, ownAppearance ? appearance.variables : undefined);
  const theme = ownAppearance ? (appearance.theme ?? 'light') : undefined;
  const ownClass = props.scoped ? props.className : undefined;

  // ── the state machine; the ref makes its guard synchronous (two clicks in one tick) ───────────────
  const [flow, setFlow] = useState<FlowState>(initialFlow);
  const flowRef = useRef(flow);
  const send = useCallback((e: FlowEvent): boolean => {
    const next = flowReducer(flowRef.current, e);
    if (next === flowRef.current) return false;
    flowRef.current = next;
    setFlow(next);
    return true;
  }, []);

  const phaseNow = () => flowRef.current.phase;
  const report = useCallback(
    (e: unknown, stage: CheckoutErrorStage) => latest.current.onError?.(toError(e), { stage }),
    [latest],
  );

  const sessionData = props.sessionState.data;
  // The shopper's choice; until there is one, the first method (derived, not set by an effect: a choice
  // made before such an effect ran would be overwritten by it).
  const [chosen, setMethod] = useState<MethodId | undefined>(undefined);
  const [currencies, setCurrencies] = useState<Partial<Record<MethodId, Currency>>>({});
  const [lastFields, setLastFields] = useState<Record<string, string>>({});
  const [pageUrl, setPageUrl] = useState<string | null>(null);
  const [popupBlocked, setPopupBlocked] = useState(false);
  const popupRef = useRef<Window | null>(null);
  // The redirect step's own state (set by `go`): on the way, held by `beforeRedirect`, or refused.
  const [redirectUi, setRedirectUi] = useState<{
    id: string;
    state: 'redirecting' | 'paused' | 'failed';
  } | null>(null);

  // The forms (with react-hook-form) are a chunk of their own (`./lazy.ts`), loading from the first render
  // alongside the session; the Payment Page mode needs none of them.
  const lazy = useLazy(mode === 'gate');

  const methods = sessionData?.methods ?? [];
  const method = methods.some((m) => m.method === chosen) ? chosen : methods[0]?.method;
  const selected = methods.find((m) => m.method === method);
  const currency = (method && currencies[method]) ?? selected?.options[0]?.currency;
  const option = selected?.options.find((o) => o.currency === currency) ?? selected?.options[0];

  // ── resume: the return URL, then a reload (sessionStorage), then the session's latest payment ──────
  useEffect(() => {
    const id = readReturnedPayment() ?? readStored(paymentStorageKey(sessionId));
    if (id) send({ type: 'RESUME', paymentId: id });
  }, [sessionId, send]);

  useEffect(() => {
    const p = sessionData?.payment;
    if (!p || flowRef.current.phase !== 'idle' || flowRef.current.attempt > 0) return;
    if (!isFinal(p.status) || sessionData.status === 'completed') send({ type: 'RESUME', paymentId: p.id });
  }, [sessionData, send]);

  // Back/forward cache: the page comes back as it was left ("redirecting"): check the status instead,
  // and leave the redirect step's "on the way" state, so it offers to continue (or pick another method).
  useEffect(() => {
    const onShow = (e: PageTransitionEvent) => {
      if (e.persisted && send({ type: 'PAGE_RESTORED' })) setRedirectUi(null);
    };
    window.addEventListener('pageshow', onShow);
    return () => window.removeEventListener('pageshow', onShow);
  }, [send]);

  // ── the payment ───────────────────────────────────────────────────────────────────────────────────
  const tracking = flow.phase === 'tracking' || flow.phase === 'redirecting';
  const paymentState = usePayment(tracking ? flow.paymentId : undefined, {
    ...props.polling,
    tolerateNotFound: mode === 'payment-page',
    restartKey: flow.check,
  });
  const payment = paymentState.payment;

  // A payment of another session (a stale return URL): start afresh.
  useEffect(() => {
    if (payment?.session_id && payment.session_id !== sessionId) {
      writeStored(paymentStorageKey(sessionId), null);
      send({ type: 'RESET' });
    }
  }, [payment?.session_id, sessionId, send]);

  // ── which step ────────────────────────────────────────────────────────────────────────────────────
  let step: CheckoutStep;
  let errorText: MessageId | null = null;
  if (props.sessionState.isPending || !ready) step = 'loading';
  else if (props.sessionState.isError) {
    step = 'error';
    errorText = errorKey(props.sessionState.error, 'session');
  } else if (!tracking) {
    if (sessionData?.status === 'expired') {
      step = 'error';
      errorText = 'error.session_expired';
    } else if (sessionData?.status === 'completed') {
      step = 'error';
      errorText = 'error.session_completed';
    } else step = 'select';
  } else if (!payment) {
    if (paymentState.error && !paymentState.polling) {
      step = 'error';
      errorText = errorKey(paymentState.error, 'status');
    } else step = 'waiting';
  } else if (isFinal(payment.status)) step = 'result';
  else if (mode === 'payment-page') step = 'payment-page';
  else if (payment.next_action.type === 'redirect') step = 'redirect';
  else if (payment.next_action.type === 'clarification') step = 'clarification';
  else step = 'waiting';
  // The forms' chunk could not load: the form would never come, so this is an error with a retry.
  const formsFailed = step === 'select' && mode === 'gate' && !lazy.module && lazy.error !== undefined;
  if (formsFailed) {
    step = 'error';
    errorText = 'error.network';
  }

  // The methods first, the chosen method's form and the amounts right after: the list shows (and takes a
  // choice) as soon as the session is there, and the form, the heavier render, follows once that frame has
  // been painted (or once its chunk has loaded). The amounts wait with it because the page's first
  // `Intl.NumberFormat` loads the locale's number data (~50 ms on a throttled phone CPU); they have a cell
  // of their own, so nothing moves when they appear. This brings the list forward by 80–150 ms there.
  const [formShown, setFormShown] = useState(false);
  useEffect(() => {
    if (step !== 'select' || formShown) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const show = () => {
      timer = setTimeout(() => setFormShown(true), 0);
    };
    // After the next paint: a frame callback runs before painting, the timeout it queues after it.
    const frame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(show) : undefined;
    if (frame === undefined) show();
    return () => {
      if (frame !== undefined) cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [step, formShown]);

  // ── events: ready, complete ───────────────────────────────────────────────────────────────────────
  const readyFired = useRef(false);
  const formsReady = mode !== 'gate' || lazy.module !== undefined;
  useEffect(() => {
    if (readyFired.current || !sessionData || !ready || !formsReady) return;
    readyFired.current = true;
    latest.current.onReady?.({ session: sessionData });
  }, [sessionData, ready, formsReady, latest]);

  useEffect(() => {
    if (props.sessionState.isError) report(props.sessionState.error, 'session');
  }, [props.sessionState.isError, props.sessionState.error, report]);

  // The forms' chunk did not load: a failure to load the checkout, like the session's.
  useEffect(() => {
    if (lazy.error !== undefined) report(lazy.error, 'session');
  }, [lazy.error, report]);

  const completed = useRef(new Set<string>());
  useEffect(() => {
    if (!payment || !isFinal(payment.status) || completed.current.has(payment.id)) return;
    completed.current.add(payment.id);
    popupRef.current?.close();
    popupRef.current = null;
    if (readStored(completedStorageKey(payment.id))) return;
    writeStored(completedStorageKey(payment.id), '1');
    latest.current.onComplete?.(payment);
  }, [payment, latest]);

  // ── redirect ──────────────────────────────────────────────────────────────────────────────────────
  const target: RedirectTarget =
    (props.redirectTarget ?? 'auto') === 'auto'
      ? isInIframe()
        ? '_top'
        : '_self'
      : (props.redirectTarget as RedirectTarget);
  const go = useCallback(
    async (p: PaymentView) => {
      const action = p.next_action;
      if (action.type !== 'redirect') return;
      setRedirectUi({ id: p.id, state: 'redirecting' });
      let proceed: boolean | void;
      try {
        proceed = await latest.current.beforeRedirect?.({ payment: p, redirect: action.redirect });
      } catch (e) {
        report(e, 'redirect');
        proceed = false;
      }
      // What the step says (on the way, held, refused) is announced with the step (below).
      if (proceed === false) {
        setRedirectUi({ id: p.id, state: 'paused' });
        return;
      }
      if (!send({ type: 'REDIRECTING' })) return;
      latest.current.onRedirect?.({ payment: p, url: action.redirect.url, method: action.redirect.method });
      try {
        performRedirect(action.redirect, {
          target,
          ...(latest.current.redirectPolicy ? { policy: latest.current.redirectPolicy } : {}),
        });
      } catch (e) {
        send({ type: 'REDIRECT_STOPPED' });
        setRedirectUi({ id: p.id, state: 'failed' });
        report(e, 'redirect');
      }
    },
    [latest, send, target, report],
  );

  const autoRedirected = useRef(new Set<string>());
  useEffect(() => {
    if (step !== 'redirect' || !payment || flow.resumed || flow.phase !== 'tracking') return;
    if (autoRedirected.current.has(payment.id)) return;
    autoRedirected.current.add(payment.id);
    void go(payment);
  }, [step, payment, flow.resumed, flow.phase, go]);

  // ── focus and announcements on step changes ───────────────────────────────────────────────────────
  const stepKey = `${step}:${flow.attempt}`;
  const previousStep = useRef<string | null>(null);
  useIsomorphicLayoutEffect(() => {
    const before = previousStep.current;
    previousStep.current = stepKey;
    // Not on the first render and not from "loading": never steal focus when the page opens.
    if (before === null || before.startsWith('loading') || before === stepKey) return;
    const heading = rootRef.current?.querySelector<HTMLElement>('[data-ecp-step-heading]');
    heading?.focus();
  }, [stepKey]);

  // What the step on screen is, in the live region, on every change of step (or of what the step says:
  // the redirect step on the way / held / refused, a result's status). The page opening (loading, then the
  // methods) says nothing: its content is there to be read. A resumed payment's "waiting" step is followed
  // by what comes next (the redirect step with its button), so the live region never keeps a stale step.
  const name = payment ? methodName(sessionData, payment.method) : (selected?.name ?? '');
  const redirectState: 'redirecting' | 'paused' | 'failed' =
    flow.phase === 'redirecting'
      ? 'redirecting'
      : redirectUi && redirectUi.id === payment?.id
        ? redirectUi.state
        : flow.resumed
          ? 'paused'
          : 'redirecting';
  const pageState =
    pageMode === 'redirect'
      ? flow.phase === 'redirecting'
        ? 'redirecting'
        : 'paused'
      : pageMode === 'popup' && popupBlocked
        ? 'blocked'
        : pageMode;
  const detail =
    step === 'result'
      ? payment?.status
      : step === 'error'
        ? errorText
        : step === 'redirect'
          ? redirectState
          : step === 'payment-page'
            ? pageState
            : '';
  const announceKey = `${step}:${detail ?? ''}:${flow.attempt}`;
  const announced = useRef<string | null>(null);
  useEffect(() => {
    const before = announced.current;
    if (before === announceKey) return;
    announced.current = announceKey;
    const opening = before === null || before.startsWith('loading:');
    if ((step === 'loading' || step === 'select') && opening) return;
    announce(stepAnnouncement());
    // On step changes only (not on every re-render of the same step): the key says what changed.
  }, [announceKey]);

  function stepAnnouncement(): string {
    switch (step) {
      case 'loading':
        return t('step.loading');
      case 'select':
        return t('step.method');
      case 'error':
        return t(errorText ?? 'error.generic');
      case 'waiting':
        return t('step.waiting');
      case 'clarification':
        return t('step.clarification');
      case 'redirect':
        return redirectState === 'redirecting'
          ? t('status.redirecting', { method: name })
          : redirectState === 'paused'
            ? t('redirect.paused', { method: name })
            : t('redirect.failed', { method: name });
      case 'payment-page':
        return pageState === 'redirecting'
          ? t('status.redirecting', { method: 'ecommpay' })
          : pageState === 'paused'
            ? t('redirect.paused', { method: 'ecommpay' })
            : pageState === 'iframe'
              ? t('step.payment_page')
              : t(pageState === 'blocked' ? 'payment_page.popup_blocked' : 'payment_page.popup');
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
    }
  }

  // ── actions ───────────────────────────────────────────────────────────────────────────────────────
  const changeMethod = (m: MethodId) => {
    setMethod(m);
    const c = currencies[m] ?? methods.find((x) => x.method === m)?.options[0]?.currency;
    if (c) latest.current.onMethodChange?.({ method: m, currency: c });
  };
  const changeCurrency = (c: Currency) => {
    if (!method) return;
    setCurrencies((all) => ({ ...all, [method]: c }));
    latest.current.onMethodChange?.({ method, currency: c });
  };

  const submitPayment = async ({ currency: cur, fields }: MethodSubmit) => {
    if (!method || flowRef.current.phase !== 'idle') return;
    const request: CreatePaymentRequest = { method, currency: cur, fields };
    if (latest.current.onSubmit?.(request) === false) return;
    const fingerprint = JSON.stringify(request);
    const f = flowRef.current;
    const key = f.key && f.fingerprint === fingerprint ? f.key : newIdempotencyKey();
    if (!send({ type: 'SUBMIT', key, fingerprint })) return;
    setLastFields(fields);
    announce(t('status.submitting'));
    try {
      // A redirect method's request waits for the redirect; the others show the waiting step at once.
      const wait = selected?.redirect ? SUBMIT_WAIT_S : 0;
      const created = await client.createPayment(sessionId, request, key, { wait });
      qc.setQueryData(paymentKey(created.id), created);
      writeStored(paymentStorageKey(sessionId), created.id);
      send({ type: 'CREATED', paymentId: created.id });
    } catch (e) {
      send({ type: 'FAILED', error: e });
      announce(t(errorKey(e, 'submit')));
      report(e, 'submit');
    }
  };

  const openPaymentPage = async () => {
    if (flowRef.current.phase !== 'idle') return;
    const request = { ...(method ? { method } : {}), ...(currency ? { currency } : {}) };
    if (method && currency && latest.current.onSubmit?.({ method, currency }) === false) return;
    // A popup must open in the click itself, or it is blocked: open it blank, point it at the URL later.
    let popup: Window | null = null;
    if (pageMode === 'popup') {
      popup = window.open('', 'ecp_payment_page', 'popup,width=520,height=760');
      setPopupBlocked(!popup);
    }
    if (!send({ type: 'SUBMIT', key: newIdempotencyKey(), fingerprint: JSON.stringify(request) })) {
      popup?.close();
      return;
    }
    announce(t('status.submitting'));
    try {
      const page = await client.paymentPage(sessionId, request);
      const policy = latest.current.redirectPolicy;
      validateRedirectUrl(page.url, policy);
      qc.removeQueries({ queryKey: paymentKey(page.payment_id) });
      writeStored(paymentStorageKey(sessionId), page.payment_id);
      setPageUrl(page.url);
      send({ type: 'CREATED', paymentId: page.payment_id });
      if (pageMode === 'popup' && popup) {
        popupRef.current = popup;
        popup.location.href = page.url;
      } else if (pageMode === 'redirect') {
        send({ type: 'REDIRECTING' });
        latest.current.onRedirect?.({ url: page.url, method: 'GET' });
        performRedirect(
          { url: page.url, method: 'GET', body: {} },
          { target, ...(policy ? { policy } : {}) },
        );
      }
    } catch (e) {
      popup?.close();
      if (phaseNow() === 'submitting') send({ type: 'FAILED', error: e });
      else send({ type: 'REDIRECT_STOPPED' });
      announce(t(errorKey(e, 'payment-page')));
      report(e, 'payment-page');
    }
  };

  const reset = (keepMethod: boolean) => {
    writeStored(paymentStorageKey(sessionId), null);
    clearReturnParams();
    setRedirectUi(null);
    setPageUrl(null);
    setPopupBlocked(false);
    if (!keepMethod) setLastFields({});
    send({ type: 'RESET' });
  };

  const clarify = async (req: Parameters<Client['clarify']>[1]) => {
    if (!payment) return;
    try {
      const updated = await client.clarify(payment.id, req);
      qc.setQueryData(paymentKey(updated.id), updated);
      paymentState.recheck();
    } catch (e) {
      announce(t(errorKey(e, 'clarification')));
      report(e, 'clarification');
    }
  };

  // ── render ────────────────────────────────────────────────────────────────────────────────────────
  const headingId = `${baseId}-heading`;
  const submitError = flow.phase === 'idle' && flow.error ? t(errorKey(flow.error, 'submit')) : null;

  let body;
  switch (step) {
    case 'loading':
      body = (
        <section className="ecp-step ecp-step--loading" aria-busy="true">
          <p className="ecp-loading">
            <span className="ecp-spinner" aria-hidden="true" />
            {t('step.loading')}
          </p>
        </section>
      );
      break;
    case 'error':
      body = (
        <section className="ecp-step ecp-step--error" aria-labelledby={headingId}>
          <StepHeading id={headingId}>{t('step.error')}</StepHeading>
          <p className="ecp-alert ecp-alert--error">{t(errorText ?? 'error.generic')}</p>
          {errorText === 'error.network' || errorText === 'error.generic' ? (
            <button
              type="button"
              className="ecp-button ecp-button--secondary"
              onClick={() =>
                formsFailed
                  ? lazy.retry()
                  : tracking
                    ? paymentState.recheck()
                    : void props.sessionState.refetch()
              }
            >
              {t('error.retry')}
            </button>
          ) : null}
        </section>
      );
      break;
    case 'select': {
      const Form = method ? lazy.module?.METHOD_FORMS[method] : undefined;
      // Until the form shows (its chunk, then the frame after the list's), a placeholder keeps its place.
      const formOn = Form !== undefined && formShown;
      const errorBox = submitError ? (
        <p className="ecp-alert ecp-alert--error" role="alert">
          {submitError}
        </p>
      ) : null;
      body = (
        <section
          className="ecp-step ecp-step--select"
          aria-labelledby={headingId}
          aria-busy={mode === 'gate' && !formOn ? true : undefined}
        >
          <StepHeading id={headingId}>{t('step.method')}</StepHeading>
          {sessionData?.description ? <p className="ecp-description">{sessionData.description}</p> : null}
          {option && (selected?.options.length ?? 0) <= 1 ? (
            <p className={`ecp-amount ecp-amount--total${formShown ? '' : ' ecp-amount--pending'}`}>
              {t('checkout.total')}:{' '}
              <strong>{formShown ? formatMoney(option.amount, option.currency, locale) : null}</strong>
            </p>
          ) : null}
          {sessionData?.test_mode ? <p className="ecp-badge">{t('checkout.test_mode')}</p> : null}
          {methods.length === 0 ? <p className="ecp-alert">{t('methods.none')}</p> : null}
          {methods.length === 0 && props.showUnavailable ? (
            <UnavailableMethods unavailable={sessionData?.unavailable} />
          ) : null}
          {methods.length > 0 ? (
            <MethodPicker
              methods={methods}
              value={method}
              onChange={changeMethod}
              amounts={formShown}
              unavailable={sessionData?.unavailable}
              showUnavailable={props.showUnavailable}
            />
          ) : null}
          {mode === 'payment-page' ? (
            <form
              className="ecp-form ecp-form--payment-page"
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                void openPaymentPage();
              }}
            >
              {selected && selected.options.length > 1 && currency ? (
                <CurrencySelect options={selected.options} currency={currency} onChange={changeCurrency} />
              ) : null}
              {errorBox}
              <PayButton
                amount={option?.amount}
                currency={option?.currency}
                busy={flow.phase === 'submitting'}
              />
            </form>
          ) : !selected ? null : !formOn ? (
            <div className="ecp-form-placeholder" aria-hidden="true" />
          ) : (
            <Form
              key={`${method}:${flow.attempt}`}
              options={selected.options}
              currency={currency}
              onCurrencyChange={changeCurrency}
              defaultValues={{ ...sessionData?.customer, ...lastFields }}
              onSubmit={(v) => void submitPayment(v)}
              busy={flow.phase === 'submitting'}
              aria-labelledby={headingId}
            >
              {errorBox}
            </Form>
          )}
        </section>
      );
      break;
    }
    case 'redirect': {
      body = (
        <RedirectNotice
          method={name}
          state={redirectState}
          headingId={headingId}
          onContinue={() => payment && void go(payment)}
          onPickAnother={() => reset(false)}
        />
      );
      break;
    }
    case 'clarification': {
      // Loaded with the method forms, so here already (unless the page resumed straight into this step).
      const Clarification = lazy.module?.ClarificationForm;
      body = (
        <section
          className="ecp-step ecp-step--clarification"
          aria-labelledby={headingId}
          aria-busy={Clarification ? undefined : true}
        >
          <StepHeading id={headingId}>{t('step.clarification')}</StepHeading>
          <p>{t('clarification.body', { method: name })}</p>
          {payment?.next_action.type !== 'clarification' ? null : Clarification ? (
            <Clarification
              fields={payment.next_action.fields}
              defaultValues={{ ...sessionData?.customer, ...lastFields }}
              onSubmit={(req) => void clarify(req)}
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
      break;
    }
    case 'waiting':
      body = (
        <WaitingView
          key={flow.paymentId}
          headingId={headingId}
          expectedMs={props.expectedWaitMs}
          stopped={paymentState.timedOut || (!paymentState.polling && paymentState.error !== null)}
          onCheckAgain={paymentState.recheck}
        />
      );
      break;
    case 'payment-page':
      body =
        pageMode === 'iframe' && pageUrl ? (
          <section className="ecp-step ecp-step--payment-page" aria-labelledby={headingId}>
            <StepHeading id={headingId}>{t('step.payment_page')}</StepHeading>
            <iframe className="ecp-frame" src={pageUrl} title={t('payment_page.frame_title')} />
          </section>
        ) : pageMode === 'redirect' ? (
          <RedirectNotice
            method="ecommpay"
            state={pageState === 'redirecting' ? 'redirecting' : 'paused'}
            headingId={headingId}
            onContinue={
              pageUrl
                ? () =>
                    performRedirect({ url: pageUrl, method: 'GET', body: {} }, { target, ...policyOf(props) })
                : undefined
            }
            onPickAnother={() => reset(false)}
          />
        ) : (
          <section className="ecp-step ecp-step--payment-page" aria-labelledby={headingId}>
            <StepHeading id={headingId}>{t('step.payment_page')}</StepHeading>
            <p>{popupBlocked ? t('payment_page.popup_blocked') : t('payment_page.popup')}</p>
            {pageUrl ? (
              <button
                type="button"
                className="ecp-button ecp-button--primary"
                onClick={() => {
                  const w = window.open(pageUrl, 'ecp_payment_page', 'popup,width=520,height=760');
                  if (w) {
                    popupRef.current = w;
                    setPopupBlocked(false);
                  }
                }}
              >
                {t('payment_page.open')}
              </button>
            ) : null}
          </section>
        );
      break;
    case 'result':
      body = payment ? (
        <ResultView
          payment={payment}
          methodName={name}
          headingId={headingId}
          onTryAgain={() => reset(true)}
          onPickAnother={() => reset(false)}
        />
      ) : null;
      break;
  }

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

function policyOf(props: CheckoutProps): { policy?: RedirectPolicy } {
  return props.redirectPolicy ? { policy: props.redirectPolicy } : {};
}

/** A payment's method name; a Payment Page payment has none until the shopper picks one there. */
function methodName(session: SessionView | undefined, id: MethodId | undefined): string {
  if (!id) return 'ecommpay';
  return (
    session?.methods.find((m) => m.method === id)?.name ??
    { grabpay: 'GrabPay', advcash: 'ADVCash', payco: 'Payco', jeton: 'Jeton Voucher' }[id]
  );
}
