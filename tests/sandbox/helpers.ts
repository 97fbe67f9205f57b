import { createHmac } from 'node:crypto';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/app.ts';

/**
 * An independent implementation of ecommpay's signature (shared/spec/protocol.md), written from the spec
 * with node:crypto, so the sandbox's use of src/core/signature.ts is checked against something else.
 */
function flatten(value: unknown, path: string, out: [string, string][]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => flatten(item, `${path}:${i}`, out));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'frame_mode' || item === undefined) continue;
      if (key === 'signature' && (path === '' || path === 'general')) continue;
      const escaped = key.replaceAll(':', '::');
      flatten(item, path === '' ? escaped : `${path}:${escaped}`, out);
    }
  } else {
    const text = value === true ? '1' : value === false ? '0' : value === null ? '' : String(value);
    out.push([path, text]);
  }
}

/** Natural order: digit runs compare as numbers, everything else by code unit. */
function natural(a: string, b: string): number {
  const split = (s: string) => s.match(/\d+|\D+/g) ?? [];
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i] as string;
    const q = y[i] as string;
    if (p === q) continue;
    if (/^\d/.test(p) && /^\d/.test(q)) return Number(p) - Number(q) || (p < q ? -1 : 1);
    return p < q ? -1 : 1;
  }
  return x.length - y.length;
}

export function independentStringToSign(data: unknown): string {
  const lines: [string, string][] = [];
  flatten(data, '', lines);
  lines.sort((a, b) => natural(a[0], b[0]));
  return lines.map(([path, v]) => `${path}:${v}`).join(';');
}

export function independentSign(data: unknown, secret: string): string {
  return createHmac('sha512', secret).update(independentStringToSign(data), 'utf8').digest('base64');
}

// ── a sandbox with a recording callback receiver ───────────────────────────────────────────────────

export const PROJECT = { id: 1001, secret: 'sandbox-test-secret' };
export const OTHER = { id: 2002, secret: 'other-secret' };
export const PUBLIC_URL = 'http://127.0.0.1:8790';
export const CALLBACK_URL = 'http://merchant.test/api/callbacks/ecommpay';

export interface Callback {
  url: string;
  text: string;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** HTTP status the receiver answered. */
  answered: number;
  at: number;
}

export interface Harness {
  sandbox: Sandbox;
  callbacks: Callback[];
  /** The HTTP status the receiver answers for the n-th call (0-based); default 200. */
  respond: (call: Callback, n: number) => number;
  gate(path: string, body: Record<string, unknown>, opts?: { secret?: string }): Promise<GateAnswer>;
  request(path: string, init?: RequestInit): Promise<Response>;
  /** Callbacks for one payment, in arrival order. */
  callbacksOf(paymentId: string): Callback[];
}

export interface GateAnswer {
  status: number;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function harness(options: Partial<SandboxOptions> = {}): Harness {
  const callbacks: Callback[] = [];
  const h: Harness = {
    callbacks,
    respond: () => 200,
    sandbox: createSandbox({
      projects: [PROJECT, { ...OTHER, callbackUrl: 'http://other.test/cb' }],
      publicUrl: PUBLIC_URL,
      timeScale: 0.001,
      callbackRetry: { maxAttempts: 4 },
      fetch: async (input, init) => {
        const text = String(init?.body);
        const call: Callback = {
          url: String(input),
          text,
          body: JSON.parse(text),
          answered: 0,
          at: Date.now(),
        };
        call.answered = h.respond(call, callbacks.length);
        callbacks.push(call);
        return new Response(call.answered === 200 ? 'OK' : 'no', { status: call.answered });
      },
      ...options,
    }),
    async gate(path, body, opts = {}) {
      const signed = signed_(body, opts.secret ?? PROJECT.secret);
      const res = await h.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(signed),
      });
      return { status: res.status, body: (await res.json()) as GateAnswer['body'] };
    },
    async request(path, init) {
      return h.sandbox.app.request(path, init);
    },
    callbacksOf: (paymentId) => callbacks.filter((c) => c.body.payment?.id === paymentId),
  };
  return h;
}

/** A Gate body with `general.signature` computed by the independent signer. */
export function signed_(body: Record<string, unknown>, secret = PROJECT.secret): Record<string, unknown> {
  const general = (body.general ?? {}) as Record<string, unknown>;
  return { ...body, general: { ...general, signature: independentSign(body, secret) } };
}

/** Whether a callback's root signature is right, by the independent signer. */
export function callbackSignatureOk(body: Record<string, unknown>, secret = PROJECT.secret): boolean {
  const { signature, ...rest } = body;
  return typeof signature === 'string' && independentSign(rest, secret) === signature;
}

/** Polls `check` every few ms until it holds (or fails the test after `ms`). */
export async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('until: condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

let seq = 0;
export const newId = (prefix = 'pay'): string => `${prefix}-${++seq}-${Date.now().toString(36)}`;

export function general(paymentId: string, extra: Record<string, unknown> = {}) {
  return { project_id: PROJECT.id, payment_id: paymentId, merchant_callback_url: CALLBACK_URL, ...extra };
}

export const customer = (extra: Record<string, unknown> = {}) => ({
  id: 'cust-1',
  ip_address: '192.0.2.10',
  ...extra,
});

export const RETURN = {
  success: 'http://shop.test/checkout?ecp_payment=p&ecp_result=success',
  decline: 'http://shop.test/checkout?ecp_payment=p&ecp_result=decline',
  return: 'http://shop.test/checkout?ecp_payment=p&ecp_result=return',
};

export const PATHS = {
  grabpaySale: '/v2/payment/wallet/grabpay/sale',
  advcashSale: '/v2/payment/advcash/sale',
  paycoSale: '/v2/payment/wallet/payco/sale',
  jetonSale: '/v2/payment/voucher/jeton/sale',
  grabpayPayout: '/v2/payment/wallet/grabpay/payout',
  advcashPayout: '/v2/payment/advcash/payout',
  jetonPayout: '/v2/payment/voucher/jeton/payout',
  paycoRefund: '/v2/payment/wallet/payco/refund',
  status: '/v2/payment/status',
  clarification: '/v2/payment/clarification',
} as const;

/** Valid sale bodies per method. */
export const sales = {
  grabpay: (id: string, extra: Record<string, unknown> = {}) => ({
    general: general(id),
    payment: { amount: 10_000, currency: 'PHP' },
    customer: customer({ email: 'buyer@example.com' }),
    return_url: { success: RETURN.success },
    ...extra,
  }),
  advcash: (id: string, extra: Record<string, unknown> = {}) => ({
    general: general(id),
    payment: { amount: 100_000, currency: 'UAH', description: 'Order 42 — тест & <ok>' },
    customer: customer(),
    return_url: { success: RETURN.success, decline: RETURN.decline },
    ...extra,
  }),
  payco: (id: string, extra: Record<string, unknown> = {}) => ({
    general: general(id),
    payment: { amount: 1000, currency: 'KRW', description: '테스트 주문' },
    customer: customer(),
    return_url: { ...RETURN },
    ...extra,
  }),
  jeton: (id: string, extra: Record<string, unknown> = {}) => ({
    general: general(id),
    payment: { amount: 10_000, currency: 'EUR' },
    customer: customer(),
    account: { number: '8400772805885304235', expiration: '12/2099', security_code: '5459' },
    ...extra,
  }),
};

/** The provider page for a redirect_data, the way a browser would open it (GET query / POST form). */
export function openRedirect(h: Harness, rd: { url: string; method: string; body: Record<string, unknown> }) {
  const url = new URL(rd.url);
  const fields = Object.fromEntries(Object.entries(rd.body).map(([k, v]) => [k, String(v)]));
  if (rd.method === 'GET') {
    for (const [k, v] of Object.entries(fields)) url.searchParams.append(k, v);
    return h.request(url.pathname + url.search);
  }
  return h.request(url.pathname + url.search, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Presses a provider page button. */
export function pressButton(h: Harness, html: string, result: 'success' | 'decline' | 'return') {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const token = /name="token" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !token) throw new Error('no decide form on the page');
  return h.request(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, result }).toString(),
  });
}
