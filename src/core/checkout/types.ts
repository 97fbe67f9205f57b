/** The checkout controller's public shapes: its options, events, snapshot and commands. */
import type { ClarificationRequest, CreatePaymentRequest, PaymentView, SessionView } from '../api.ts';
import type { Client } from '../client.ts';
import type { MethodId } from '../methods/index.ts';
import type { Currency } from '../money.ts';
import type { RedirectData, RedirectPolicy, RedirectTarget } from '../redirect.ts';
import type { CheckoutEnvironment } from './environment.ts';
import type { CheckoutErrorKind, CheckoutErrorStage } from './errors.ts';
import type { FlowState } from './machine.ts';
import type { PollOptions } from './poll.ts';
import type { Scheduler } from './scheduler.ts';

export type CheckoutStep =
  'loading' | 'error' | 'select' | 'redirect' | 'clarification' | 'waiting' | 'payment-page' | 'result';

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
  /**
   * Called before leaving for the provider; return `false` (or a promise of it) to stay — the shopper
   * then gets a "Continue to …" button. A promise delays the redirect until it settles.
   */
  beforeRedirect?: (e: BeforeRedirectEvent) => boolean | void | Promise<boolean | void>;
  /** Just before the browser leaves for the provider's (or the Payment Page's) URL. */
  onRedirect?: (e: { payment?: PaymentView; url: string; method: 'GET' | 'POST' }) => void;
  /** The payment is final (success, decline, expired…): exactly once per payment. */
  onComplete?: (payment: PaymentView) => void;
  onError?: (error: Error, context: { stage: CheckoutErrorStage }) => void;
};

/** What may change after creation (`update`): the events and the redirect settings. */
export type CheckoutSettings = CheckoutEvents & {
  /** Which redirect URLs are allowed (core `RedirectPolicy`); default https only, to the session's hosts. */
  redirectPolicy?: RedirectPolicy;
  /** `auto` (default): the top window when embedded in an iframe, else this one. */
  redirectTarget?: 'auto' | RedirectTarget;
};

export type CheckoutOptions = CheckoutSettings & {
  sessionId: string;
  /** The backend's base URL; or a ready `client`. */
  apiBaseUrl?: string;
  client?: Client;
  /**
   * The session as the merchant's server got it back from `POST /api/sessions` (optional): shown at once,
   * without a request first. Display only; ignored unless it is a valid view of `sessionId`.
   */
  session?: unknown;
  /** `gate` (default): the widget's own forms. `payment-page`: ecommpay's hosted page. */
  mode?: 'gate' | 'payment-page';
  /** How the Payment Page opens (default `redirect`). */
  paymentPage?: 'redirect' | 'popup' | 'iframe';
  /** Polling tuning (long-poll seconds, time limit). */
  polling?: PollOptions;
  /** A view that must load something first (texts, forms) holds `onReady` until it calls `viewReady()`. */
  holdReady?: boolean;
  /** Start at once (default true): the session request, resume, the page-restore listener. */
  autoStart?: boolean;
  /** Time (tests inject a fake clock). */
  scheduler?: Scheduler;
  /** The browser seam (tests inject stand-ins). */
  environment?: Partial<CheckoutEnvironment>;
};

/** What the shopper is told in passing (a live region): the view translates it. */
export type CheckoutNotice =
  { id: number; kind: 'submitting' } | { id: number; kind: 'error'; error: CheckoutErrorKind };

/** One immutable picture of the checkout: the same object until something changes. */
export interface CheckoutSnapshot {
  readonly step: CheckoutStep;
  /** Why the step is `error`. */
  readonly error: CheckoutErrorKind | undefined;
  readonly session: SessionView | undefined;
  /** The chosen method (the first one until the shopper picks) and its currency. */
  readonly method: MethodId | undefined;
  readonly currency: Currency | undefined;
  readonly flow: FlowState;
  /** The payment being followed. */
  readonly payment: PaymentView | undefined;
  /** The last submit's failure, shown with the form. */
  readonly submitError: CheckoutErrorKind | undefined;
  /** The status checks: polling, stopped at the time limit, or stopped by an error. */
  readonly polling: boolean;
  readonly timedOut: boolean;
  readonly pollStopped: boolean;
  /** The redirect step: on the way, held by `beforeRedirect`, or refused. */
  readonly redirect: 'redirecting' | 'paused' | 'failed';
  /** The Payment Page: its URL, and the popup's state. */
  readonly pageUrl: string | undefined;
  readonly popupBlocked: boolean;
  /** The fields last submitted (a retry's form starts with them). */
  readonly fields: Readonly<Record<string, string>>;
  readonly notice: CheckoutNotice | undefined;
}

export interface CheckoutController {
  subscribe(listener: () => void): () => void;
  getSnapshot(): CheckoutSnapshot;
  /** The session request alone (a view calls it during its first render, before `start`). */
  prefetch(): void;
  /** Starts (or, after `destroy`, restarts) the session request, resume, polling and page listeners. */
  start(): void;
  selectMethod(method: MethodId): void;
  selectCurrency(currency: Currency): void;
  /** Pays with the chosen method (gate mode), or opens the Payment Page (payment-page mode). */
  submit(input?: { currency?: Currency; fields?: Record<string, string> }): Promise<void>;
  /** A new attempt after a result: the same method (`keepFields`) or another one. */
  retry(opts?: { keepFields?: boolean }): void;
  /** Follows a payment: the given one, else the return URL's, the tab's, or the session's open one. */
  resume(paymentId?: string): void;
  clarify(req: ClarificationRequest): Promise<void>;
  /** "Check again" (status) or "Try again" (session). */
  recheck(): void;
  /** Continues a redirect held by `beforeRedirect`, refused, or restored from the back/forward cache. */
  continueRedirect(): void;
  /** Opens the Payment Page's popup again (it was blocked or closed). */
  reopenPopup(): void;
  /** The view is ready (texts, forms): `onReady` may fire. */
  viewReady(): void;
  /** Reports a failure of the view's own (e.g. its forms did not load) through `onError`. */
  reportError(error: unknown, stage: CheckoutErrorStage): void;
  /** Replaces the events and redirect settings (callbacks are replaced, not stacked). */
  update(settings: CheckoutSettings): void;
  /** Stops every request, timer and listener; the snapshot stays. */
  destroy(): void;
}
