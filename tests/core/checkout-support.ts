/** Stand-ins for the checkout controller's tests in plain Node: a scripted client, a fake clock, a fake browser. */
import type {
  ClarificationRequest,
  CreatePaymentRequest,
  PaymentPageResponse,
  PaymentView,
  SessionView,
} from '../../src/core/api.ts';
import { ApiError, type Client } from '../../src/core/client.ts';
import {
  createCheckout,
  type CheckoutEnvironment,
  type CheckoutOptions,
  type Scheduler,
} from '../../src/core/index.ts';

export function sessionView(overrides: Partial<SessionView> = {}): SessionView {
  return {
    id: 'ses_1',
    status: 'open',
    prices: [{ currency: 'EUR', amount: 2500 }],
    customer: { email: 'ana@example.com' },
    methods: [
      {
        method: 'grabpay',
        name: 'GrabPay',
        redirect: true,
        options: [{ currency: 'MYR', amount: 1500, required: [], recommended: ['email'] }],
      },
      {
        method: 'jeton',
        name: 'Jeton Voucher',
        redirect: false,
        options: [{ currency: 'EUR', amount: 2500, required: [], recommended: [] }],
      },
    ],
    unavailable: [],
    return_url: 'https://shop.example/return',
    test_mode: true,
    expires_at: '2030-01-01T00:00:00Z',
    ...overrides,
  };
}

let version = 0;
export function paymentView(overrides: Partial<PaymentView> = {}): PaymentView {
  version += 1;
  return {
    id: 'pay_1',
    session_id: 'ses_1',
    type: 'purchase',
    method: 'jeton',
    amount: 2500,
    currency: 'EUR',
    status: 'processing',
    next_action: { type: 'wait', retry_after_ms: 500 },
    version,
    created_at: '2026-12-04T10:00:00Z',
    updated_at: '2026-12-04T10:00:00Z',
    ...overrides,
  };
}

export const redirectAction = (url = 'https://pay.grab.example/p?t=1', method: 'GET' | 'POST' = 'POST') =>
  ({ type: 'redirect', redirect: { url, method, body: { token: 't1' } } }) as const;

type Answer<T> = T | Error | (() => T | Error);

/** A client whose answers are scripted: each status request takes the next answer; none left holds it. */
export class FakeClient implements Client {
  readonly baseUrl = 'https://api.example';
  session: Answer<SessionView> = sessionView();
  creates: { req: CreatePaymentRequest; key: string; wait: number | undefined }[] = [];
  createAnswers: Answer<PaymentView>[] = [];
  gets: { id: string; wait: number | undefined; version: number | undefined }[] = [];
  statusAnswers: Answer<PaymentView>[] = [];
  clarifications: ClarificationRequest[] = [];
  clarifyAnswer: Answer<PaymentView> = () => paymentView();
  pageAnswer: Answer<PaymentPageResponse> = {
    url: 'https://paymentpage.example/pay?x=1',
    payment_id: 'pay_pp',
    config: {},
  };
  sessionRequests = 0;

  private take<T>(a: Answer<T>): Promise<T> {
    const v = typeof a === 'function' ? (a as () => T | Error)() : a;
    return v instanceof Error ? Promise.reject(v) : Promise.resolve(v);
  }

  getSession = () => {
    this.sessionRequests += 1;
    return this.take(this.session);
  };
  createPayment = (_s: string, req: CreatePaymentRequest, key: string, opts?: { wait?: number }) => {
    this.creates.push({ req, key, wait: opts?.wait });
    const next = this.createAnswers.length > 1 ? this.createAnswers.shift()! : this.createAnswers[0];
    return this.take(next ?? paymentView());
  };
  getPayment = (id: string, opts: { wait?: number; version?: number; signal?: AbortSignal } = {}) => {
    this.gets.push({ id, wait: opts.wait, version: opts.version });
    const next = this.statusAnswers.shift();
    if (next !== undefined) return this.take(next);
    // Nothing new: a long-poll the backend holds until the caller gives up.
    return new Promise<PaymentView>((_, reject) =>
      opts.signal?.addEventListener('abort', () =>
        reject(new ApiError({ status: 0, code: 'aborted', message: 'aborted', retryable: false })),
      ),
    );
  };
  clarify = (_id: string, req: ClarificationRequest) => {
    this.clarifications.push(req);
    return this.take(this.clarifyAnswer);
  };
  paymentPage = () => this.take(this.pageAnswer);
}

/** A clock that moves only when told: `advance(ms)` resolves the sleeps that are due. */
export class FakeClock implements Scheduler {
  t = 0;
  private sleepers: { at: number; resolve: () => void }[] = [];
  now = () => this.t;
  random = () => 0.5;
  sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      this.sleepers.push({ at: this.t + ms, resolve });
      signal.addEventListener('abort', () => resolve());
    });
  get sleeping(): number {
    return this.sleepers.length;
  }
  async advance(ms: number): Promise<void> {
    this.t += ms;
    const due = this.sleepers.filter((s) => s.at <= this.t);
    this.sleepers = this.sleepers.filter((s) => s.at > this.t);
    for (const s of due) s.resolve();
    await settle();
  }
}

/** Lets every pending promise chain run (no timers involved). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
}

export interface FakeBrowser extends CheckoutEnvironment {
  store: Map<string, string>;
  navigations: { url: string; method: string; allowedHosts?: string[] | undefined }[];
  returned: string | null;
  restore(): void;
  popups: { url: string; closed: boolean; location: { href: string } }[];
}

export function fakeBrowser(): FakeBrowser {
  const store = new Map<string, string>();
  let restoreListener: (() => void) | undefined;
  const b: FakeBrowser = {
    store,
    navigations: [],
    returned: null,
    popups: [],
    storage: {
      get: (k) => store.get(k) ?? null,
      set: (k, v) => (v === null ? store.delete(k) : store.set(k, v)),
    },
    returnedPayment: () => b.returned,
    clearReturnParams: () => {
      b.returned = null;
    },
    onPageRestored(l) {
      restoreListener = l;
      return () => (restoreListener = undefined);
    },
    restore: () => restoreListener?.(),
    inIframe: () => false,
    navigate(data, opts) {
      // The real seam validates through core `planRedirect`; recorded here with the policy it got.
      const allowed = opts.policy?.allowedHosts;
      if (allowed && !allowed.includes(new URL(data.url).hostname))
        throw new Error(`host_not_allowed: ${data.url}`);
      b.navigations.push({ url: data.url, method: data.method, allowedHosts: allowed });
      return { kind: 'get', url: data.url };
    },
    openPopup(url) {
      const p = {
        url,
        closed: false,
        location: { href: url },
        close() {
          p.closed = true;
        },
      };
      b.popups.push(p);
      return p;
    },
  };
  return b;
}

/** A started controller on the fakes, with every event recorded. */
export function setup(opts: Partial<CheckoutOptions> & { client?: FakeClient; browser?: FakeBrowser } = {}) {
  const client = opts.client ?? new FakeClient();
  const browser = opts.browser ?? fakeBrowser();
  const clock = new FakeClock();
  const events: [string, unknown][] = [];
  const checkout = createCheckout({
    sessionId: 'ses_1',
    client,
    scheduler: clock,
    environment: browser,
    onReady: (e) => events.push(['ready', e.session.id]),
    onMethodChange: (e) => events.push(['method', e]),
    onSubmit: (e) => void events.push(['submit', e]),
    onRedirect: (e) => events.push(['redirect', e.url]),
    onComplete: (p) => events.push(['complete', `${p.id}:${p.status}`]),
    onError: (e, c) => events.push(['error', `${c.stage}:${e.message}`]),
    ...opts,
  });
  const steps: string[] = [];
  checkout.subscribe(() => {
    const s = checkout.getSnapshot().step;
    if (steps[steps.length - 1] !== s) steps.push(s);
  });
  const completes = () => events.filter(([k]) => k === 'complete').map(([, v]) => v);
  return { client, browser, clock, events, checkout, steps, completes };
}
