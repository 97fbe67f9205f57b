/**
 * The checkout flow, framework-free: `createCheckout(options)` loads the session, creates the payment,
 * follows it (wait, long-poll), leaves for the provider, picks it up again after a return, a reload or a
 * back/forward-cache restore, and reports it — through `subscribe`/`getSnapshot` (an immutable snapshot,
 * the same object until something changes, as `useSyncExternalStore` wants) and the merchant's events.
 * React (`<Checkout>`), the script-tag embed and the custom element are views of it.
 *
 * Plain promises, not @tanstack/query-core: the controller follows one session and one payment, one
 * request at a time, so a query cache would only dedupe what it never asks twice; and query-core would add
 * ≈ 8 KB gzip to the embed, whose budget is the tightest figure we have.
 */
import * as z from 'zod/mini';
import { sessionViewSchema, type CreatePaymentRequest, type PaymentView, type SessionView } from '../api.ts';
import { createClient, newIdempotencyKey, type Client } from '../client.ts';
import type { Currency } from '../money.ts';
import { validateRedirectUrl, type RedirectPolicy, type RedirectTarget } from '../redirect.ts';
import { isFinal } from '../status.ts';
import { browserEnvironment, type CheckoutEnvironment, type PopupLike } from './environment.ts';
import { errorKind, toError, type CheckoutErrorKind, type CheckoutErrorStage } from './errors.ts';
import { flowReducer, initialFlow, type FlowEvent } from './machine.ts';
import { followPayment, type PollState } from './poll.ts';
import {
  buildSnapshot,
  currentPayment as paymentOf,
  isTracking,
  methodState as methodOf,
  type CheckoutState,
} from './snapshot.ts';
import { realScheduler } from './scheduler.ts';
import { completedStorageKey, paymentStorageKey } from './storage.ts';
import type { CheckoutController, CheckoutOptions, CheckoutSettings } from './types.ts';

const IDLE_POLL: PollState = { polling: false, timedOut: false, error: undefined };

/**
 * How long a redirect method's payment request may wait for the Gate's callback with the redirect (usually
 * within a second or two): the widget then leaves at once, without a status request in between. Past it,
 * the waiting step shows and its long-poll takes over.
 */
const SUBMIT_WAIT_S = 2;

/** A session handed over by the page, if it is a valid view of this session (else the widget asks). */
function givenSession(sessionId: string, given: unknown): SessionView | undefined {
  if (given === undefined) return undefined;
  const parsed = z.safeParse(sessionViewSchema, given);
  return parsed.success && parsed.data.id === sessionId ? parsed.data : undefined;
}

export function createCheckout(options: CheckoutOptions): CheckoutController {
  const { sessionId } = options;
  const mode = options.mode ?? 'gate';
  const pageMode = options.paymentPage ?? 'redirect';
  const env: CheckoutEnvironment = { ...browserEnvironment, ...options.environment };
  const clock = options.scheduler ?? realScheduler;
  const client: Client =
    options.client ??
    createClient({
      baseUrl:
        options.apiBaseUrl ??
        (() => {
          throw new TypeError('createCheckout: apiBaseUrl or client is required');
        })(),
    });
  let settings: CheckoutSettings = options;

  // ── state ────────────────────────────────────────────────────────────────────────────────────────
  const st: CheckoutState = {
    mode,
    session: givenSession(sessionId, options.session),
    sessionError: undefined,
    flow: initialFlow,
    chosen: undefined,
    currencies: {},
    fields: {},
    payments: new Map(),
    poll: IDLE_POLL,
    redirectUi: undefined,
    pageUrl: undefined,
    popupBlocked: false,
    notice: undefined,
  };
  let sessionRequest: AbortController | undefined;
  let pollRun: { key: string; abort: AbortController } | undefined;
  let pollRound = 0;
  let popup: PopupLike | null = null;
  let noticeId = 0;
  const completed = new Set<string>();
  const autoRedirected = new Set<string>();
  let readyFired = false;
  let viewIsReady = !options.holdReady;
  let running = false;
  let unlisten: (() => void) | undefined;
  const listeners = new Set<() => void>();

  const report = (e: unknown, stage: CheckoutErrorStage) => settings.onError?.(toError(e), { stage });
  const say = (n: { kind: 'submitting' } | { kind: 'error'; error: CheckoutErrorKind }) => {
    st.notice = { ...n, id: ++noticeId };
  };
  const tracking = () => isTracking(st.flow);

  let snapshot = buildSnapshot(st);

  /** A new snapshot for the listeners, then what follows from it (polling, auto-redirect, events). */
  function commit(): void {
    snapshot = buildSnapshot(st);
    for (const l of [...listeners]) l();
    if (running) react();
  }

  function send(e: FlowEvent): boolean {
    const next = flowReducer(st.flow, e);
    if (next === st.flow) return false;
    st.flow = next;
    return true;
  }

  /** Reactions to the state: follow the payment, leave for the provider, announce the end. */
  function react(): void {
    syncPolling();
    const payment = snapshot.payment;
    if (
      snapshot.step === 'redirect' &&
      payment &&
      !st.flow.resumed &&
      st.flow.phase === 'tracking' &&
      !autoRedirected.has(payment.id)
    ) {
      autoRedirected.add(payment.id);
      void go(payment);
    }
    if (payment && isFinal(payment.status)) complete(payment);
    maybeReady();
  }

  function maybeReady(): void {
    if (readyFired || !st.session || !viewIsReady) return;
    readyFired = true;
    settings.onReady?.({ session: st.session });
  }

  /**
   * `onComplete`, once per payment: once per controller (a Set), and once per tab (sessionStorage), so the
   * result page reloaded, or opened again from its return URL, does not report the payment twice.
   */
  function complete(payment: PaymentView): void {
    if (completed.has(payment.id)) return;
    completed.add(payment.id);
    popup?.close();
    popup = null;
    const key = completedStorageKey(payment.id);
    if (env.storage.get(key)) return;
    env.storage.set(key, '1');
    settings.onComplete?.(payment);
  }

  // ── the session ─────────────────────────────────────────────────────────────────────────────────────
  function loadSession(): void {
    if (st.session || sessionRequest) return;
    const ac = new AbortController();
    sessionRequest = ac;
    client.getSession(sessionId, { signal: ac.signal }).then(
      (s) => {
        if (ac.signal.aborted) return;
        sessionRequest = undefined;
        st.session = s;
        st.sessionError = undefined;
        resumeFromSession();
        commit();
      },
      (e: unknown) => {
        if (ac.signal.aborted) return;
        sessionRequest = undefined;
        st.sessionError = e;
        commit();
        report(e, 'session');
      },
    );
  }

  /** The session's latest payment: followed unless it is over (and the session still open). */
  function resumeFromSession(): void {
    const p = st.session?.payment;
    if (!p || st.flow.phase !== 'idle' || st.flow.attempt > 0) return;
    if (!isFinal(p.status) || st.session?.status === 'completed') send({ type: 'RESUME', paymentId: p.id });
  }

  // ── the payment ──────────────────────────────────────────────────────────────────────────────────
  function syncPolling(): void {
    const id = tracking() ? st.flow.paymentId : undefined;
    const key = id ? `${id}:${st.flow.check}:${pollRound}` : '';
    if ((pollRun?.key ?? '') === key) return;
    pollRun?.abort.abort();
    pollRun = undefined;
    if (!id) {
      if (st.poll !== IDLE_POLL) {
        st.poll = IDLE_POLL;
        commit();
      }
      return;
    }
    const abort = new AbortController();
    pollRun = { key, abort };
    void followPayment(
      client,
      id,
      { ...options.polling, tolerateNotFound: mode === 'payment-page' },
      clock,
      abort.signal,
      {
        current: () => st.payments.get(id),
        update: (p) => {
          st.payments.set(id, p);
          // A payment of another session (a stale return URL): start afresh.
          if (p.session_id && p.session_id !== sessionId) {
            env.storage.set(paymentStorageKey(sessionId), null);
            send({ type: 'RESET' });
          }
          commit();
        },
        state: (s) => {
          st.poll = s;
          commit();
        },
      },
    );
  }

  function redirectPolicy(): RedirectPolicy | undefined {
    const given = settings.redirectPolicy;
    // Without an explicit list, form fields go only to the hosts the backend names for this session.
    const hosts = given?.allowedHosts ?? st.session?.redirect_hosts;
    return hosts ? { ...given, allowedHosts: hosts } : given;
  }

  function target(): RedirectTarget {
    const t = settings.redirectTarget ?? 'auto';
    return t === 'auto' ? (env.inIframe() ? '_top' : '_self') : t;
  }

  function navigate(data: Parameters<CheckoutEnvironment['navigate']>[0]): void {
    const policy = redirectPolicy();
    env.navigate(data, { target: target(), ...(policy ? { policy } : {}) });
  }

  /** The redirect step: `beforeRedirect`, then `onRedirect` and the navigation. */
  async function go(p: PaymentView): Promise<void> {
    const action = p.next_action;
    if (action.type !== 'redirect') return;
    st.redirectUi = { id: p.id, state: 'redirecting' };
    commit();
    let proceed: boolean | void;
    try {
      proceed = await settings.beforeRedirect?.({ payment: p, redirect: action.redirect });
    } catch (e) {
      report(e, 'redirect');
      proceed = false;
    }
    if (!running) return;
    if (proceed === false) {
      st.redirectUi = { id: p.id, state: 'paused' };
      return commit();
    }
    if (!send({ type: 'REDIRECTING' })) return;
    commit();
    settings.onRedirect?.({ payment: p, url: action.redirect.url, method: action.redirect.method });
    try {
      navigate(action.redirect);
    } catch (e) {
      send({ type: 'REDIRECT_STOPPED' });
      st.redirectUi = { id: p.id, state: 'failed' };
      commit();
      report(e, 'redirect');
    }
  }

  async function pay(cur: Currency | undefined, values: Record<string, string>): Promise<void> {
    const { method, selected } = methodOf(st);
    if (!method || !cur || st.flow.phase !== 'idle') return;
    const request: CreatePaymentRequest = { method, currency: cur, fields: values };
    if (settings.onSubmit?.(request) === false) return;
    const fingerprint = JSON.stringify(request);
    // A retry of the same request reuses its idempotency key, so the backend dedupes.
    const key = st.flow.key && st.flow.fingerprint === fingerprint ? st.flow.key : newIdempotencyKey();
    if (!send({ type: 'SUBMIT', key, fingerprint })) return;
    st.fields = values;
    say({ kind: 'submitting' });
    commit();
    try {
      // A redirect method's request waits for the redirect; the others show the waiting step at once.
      const created = await client.createPayment(sessionId, request, key, {
        wait: selected?.redirect ? SUBMIT_WAIT_S : 0,
      });
      st.payments.set(created.id, created);
      env.storage.set(paymentStorageKey(sessionId), created.id);
      send({ type: 'CREATED', paymentId: created.id });
      commit();
    } catch (e) {
      send({ type: 'FAILED', error: e });
      say({ kind: 'error', error: errorKind(e, 'submit') });
      commit();
      report(e, 'submit');
    }
  }

  async function openPaymentPage(): Promise<void> {
    if (st.flow.phase !== 'idle') return;
    const { method, currency } = methodOf(st);
    const request = { ...(method ? { method } : {}), ...(currency ? { currency } : {}) };
    if (method && currency && settings.onSubmit?.({ method, currency }) === false) return;
    // A popup must open in the click itself, or it is blocked: open it blank, point it at the URL later.
    let win: PopupLike | null = null;
    if (pageMode === 'popup') {
      win = env.openPopup('');
      st.popupBlocked = !win;
    }
    if (!send({ type: 'SUBMIT', key: newIdempotencyKey(), fingerprint: JSON.stringify(request) })) {
      win?.close();
      return;
    }
    say({ kind: 'submitting' });
    commit();
    try {
      const page = await client.paymentPage(sessionId, request);
      validateRedirectUrl(page.url, redirectPolicy());
      st.payments.delete(page.payment_id);
      env.storage.set(paymentStorageKey(sessionId), page.payment_id);
      st.pageUrl = page.url;
      send({ type: 'CREATED', paymentId: page.payment_id });
      if (pageMode === 'popup' && win) {
        popup = win;
        win.location.href = page.url;
      } else if (pageMode === 'redirect') {
        send({ type: 'REDIRECTING' });
        commit();
        settings.onRedirect?.({ url: page.url, method: 'GET' });
        navigate({ url: page.url, method: 'GET', body: {} });
      }
      commit();
    } catch (e) {
      win?.close();
      // Failed before the payment existed (FAILED), or the navigation was refused (REDIRECT_STOPPED).
      if (!send({ type: 'FAILED', error: e })) send({ type: 'REDIRECT_STOPPED' });
      say({ kind: 'error', error: errorKind(e, 'payment-page') });
      commit();
      report(e, 'payment-page');
    }
  }

  function resume(paymentId?: string): void {
    const id = paymentId ?? env.returnedPayment() ?? env.storage.get(paymentStorageKey(sessionId));
    if (id) {
      if (send({ type: 'RESUME', paymentId: id })) commit();
    } else if (st.flow.phase === 'idle') {
      resumeFromSession();
      commit();
    }
  }

  function stop(): void {
    running = false;
    sessionRequest?.abort();
    sessionRequest = undefined;
    pollRun?.abort.abort();
    pollRun = undefined;
    unlisten?.();
    unlisten = undefined;
  }

  const controller: CheckoutController = {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
    prefetch: loadSession,
    start() {
      if (running) return;
      running = true;
      // Back/forward cache: the page comes back as it was left ("redirecting"): check the status instead,
      // and leave the redirect step's "on the way" state, so it offers to continue (or another method).
      unlisten = env.onPageRestored(() => {
        if (!send({ type: 'PAGE_RESTORED' })) return;
        st.redirectUi = undefined;
        commit();
      });
      loadSession();
      // Resume: the return URL, then a reload (the tab's memory), then the session's latest payment.
      const id = env.returnedPayment() ?? env.storage.get(paymentStorageKey(sessionId));
      if (id) send({ type: 'RESUME', paymentId: id });
      else resumeFromSession();
      commit();
    },
    selectMethod(method) {
      const m = st.session?.methods.find((x) => x.method === method);
      if (!m || st.flow.phase !== 'idle') return;
      st.chosen = method;
      commit();
      const c = st.currencies[method] ?? m.options[0]?.currency;
      if (c) settings.onMethodChange?.({ method, currency: c });
    },
    selectCurrency(currency) {
      const { method, selected } = methodOf(st);
      if (!method || !selected?.options.some((o) => o.currency === currency)) return;
      st.currencies = { ...st.currencies, [method]: currency };
      commit();
      settings.onMethodChange?.({ method, currency });
    },
    submit(input = {}) {
      if (mode === 'payment-page') return openPaymentPage();
      return pay(input.currency ?? methodOf(st).currency, input.fields ?? {});
    },
    retry({ keepFields = false } = {}) {
      if (!send({ type: 'RESET' })) return;
      env.storage.set(paymentStorageKey(sessionId), null);
      env.clearReturnParams();
      st.redirectUi = undefined;
      st.pageUrl = undefined;
      st.popupBlocked = false;
      if (!keepFields) st.fields = {};
      commit();
    },
    resume,
    async clarify(req) {
      const payment = paymentOf(st);
      if (!payment) return;
      try {
        const updated = await client.clarify(payment.id, req);
        st.payments.set(updated.id, updated);
        pollRound += 1;
        commit();
      } catch (e) {
        say({ kind: 'error', error: errorKind(e, 'clarification') });
        commit();
        report(e, 'clarification');
      }
    },
    recheck() {
      if (tracking()) pollRound += 1;
      else if (!st.session) {
        st.sessionError = undefined;
        loadSession();
      }
      commit();
    },
    continueRedirect() {
      const payment = paymentOf(st);
      if (mode === 'payment-page') {
        if (st.pageUrl) navigate({ url: st.pageUrl, method: 'GET', body: {} });
      } else if (payment) void go(payment);
    },
    reopenPopup() {
      if (!st.pageUrl) return;
      const w = env.openPopup(st.pageUrl);
      if (!w) return;
      popup = w;
      st.popupBlocked = false;
      commit();
    },
    viewReady() {
      viewIsReady = true;
      if (running) maybeReady();
    },
    reportError: report,
    update(next) {
      settings = { ...settings, ...next };
    },
    destroy: stop,
  };
  if (options.autoStart !== false) controller.start();
  return controller;
}
