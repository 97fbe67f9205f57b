/**
 * A typed, framework-free client for the backend's API (docs/architecture.md → Routes).
 *
 * Runs in browsers, Node and edge runtimes: it only needs `fetch`, passed in or looked up when a request is
 * made (never at import). Every answer is validated with the schemas of `./api.ts`; every failure — an
 * HTTP error, a network error, an answer that does not match the schema — is thrown as an `ApiError`.
 *
 * Browser code uses `createClient` (no secret). The merchant endpoints need the API key, so they live in
 * `createMerchantClient`, for the merchant's server only: payout forms in the widget hand their values to
 * an `onSubmit` callback and the merchant posts them to their own server, which calls `createPayout`.
 */
import * as z from 'zod/mini';
import {
  errorBodySchema,
  paymentPageResponseSchema,
  paymentViewSchema,
  sessionViewSchema,
  type ClarificationRequest,
  type CreatePaymentRequest,
  type CreateSessionRequest,
  type PaymentPageRequest,
  type PaymentPageResponse,
  type PaymentView,
  type PayoutRequest,
  type RefundRequest,
  type SessionView,
} from './api.ts';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Error codes the client itself produces; any other code comes from the backend's `{error: {code}}`. */
export type ClientErrorCode = 'network_error' | 'invalid_response' | 'http_error' | 'aborted';

export class ApiError extends Error {
  override name = 'ApiError';
  /** HTTP status; 0 when no answer arrived (network error, abort). */
  readonly status: number;
  /** The backend's error code (`validation_error`, `not_found`, …) or one of `ClientErrorCode`. */
  readonly code: string;
  /** The request field at fault, when the backend names one (`fields.email`). */
  readonly field?: string;
  /** Whether the same request may succeed if sent again (network errors, 408/425/429, 5xx). */
  readonly retryable: boolean;

  constructor(init: { status: number; code: string; message: string; field?: string; retryable?: boolean }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    if (init.field !== undefined) this.field = init.field;
    this.retryable = init.retryable ?? isRetryableStatus(init.status);
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 408 || status === 425 || status === 429 || status >= 500;
}

export interface ClientOptions {
  /** The backend's base URL, e.g. `https://shop.example` or `http://127.0.0.1:8787` (with or without `/`). */
  baseUrl: string;
  /** Default: the global `fetch`, looked up on each request. */
  fetch?: FetchLike;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /**
   * Send the payment request as a CORS-simple request: its JSON as `Content-Type: text/plain` and the
   * idempotency key in the query, so a browser on another origin sends it without a preflight round trip
   * (the backend accepts both shapes). Default false.
   */
  simpleRequests?: boolean;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface GetPaymentOptions extends RequestOptions {
  /** Long-poll: hold the request up to this many seconds (the backend caps it at 30)… */
  wait?: number;
  /** …until the payment's version is above this one. */
  version?: number;
}

export interface CreatePaymentOptions extends RequestOptions {
  /**
   * Hold the answer up to this many seconds (the backend caps it at 10) for the payment's next step — the
   * redirect, a clarification or a final status — instead of answering `wait` at once.
   */
  wait?: number;
}

export interface Client {
  readonly baseUrl: string;
  getSession(sessionId: string, opts?: RequestOptions): Promise<SessionView>;
  /** Creates the payment; the same `idempotencyKey` returns the same payment (200 instead of 201). */
  createPayment(
    sessionId: string,
    req: CreatePaymentRequest,
    idempotencyKey: string,
    opts?: CreatePaymentOptions,
  ): Promise<PaymentView>;
  getPayment(paymentId: string, opts?: GetPaymentOptions): Promise<PaymentView>;
  clarify(paymentId: string, req: ClarificationRequest, opts?: RequestOptions): Promise<PaymentView>;
  /** A backend-signed Payment Page URL for the session. */
  paymentPage(
    sessionId: string,
    req?: PaymentPageRequest,
    opts?: RequestOptions,
  ): Promise<PaymentPageResponse>;
}

type Schema<T> = z.ZodMiniType<T>;

interface Call<T> {
  method: 'GET' | 'POST';
  path: string;
  schema: Schema<T>;
  body?: unknown;
  headers?: Record<string, string>;
  /** The JSON body as `text/plain` (a CORS-simple request). */
  plainText?: boolean;
  signal?: AbortSignal | undefined;
}

function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + path;
}

const enc = encodeURIComponent;

function createTransport(options: ClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  return async function request<T>(call: Call<T>): Promise<T> {
    const doFetch: FetchLike | undefined = options.fetch ?? (globalThis.fetch?.bind(globalThis) as FetchLike);
    if (!doFetch) throw new ApiError({ status: 0, code: 'network_error', message: 'fetch is not available' });
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...options.headers,
      ...call.headers,
    };
    const init: RequestInit = { method: call.method, headers };
    if (call.body !== undefined) {
      headers['content-type'] = call.plainText ? 'text/plain;charset=UTF-8' : 'application/json';
      init.body = JSON.stringify(call.body);
    }
    if (call.signal) init.signal = call.signal;

    let res: Response;
    try {
      res = await doFetch(joinUrl(baseUrl, call.path), init);
    } catch (e) {
      if (call.signal?.aborted || (e instanceof Error && e.name === 'AbortError')) {
        throw new ApiError({
          status: 0,
          code: 'aborted',
          message: 'The request was aborted',
          retryable: false,
        });
      }
      throw new ApiError({
        status: 0,
        code: 'network_error',
        message: e instanceof Error ? e.message : 'Network error',
      });
    }

    let data: unknown = undefined;
    const text = await res.text().catch(() => '');
    if (text !== '') {
      try {
        data = JSON.parse(text);
      } catch {
        data = undefined;
      }
    }

    if (!res.ok) {
      const parsed = z.safeParse(errorBodySchema, data);
      if (parsed.success) {
        const { code, message, field } = parsed.data.error;
        throw new ApiError({ status: res.status, code, message, ...(field !== undefined ? { field } : {}) });
      }
      throw new ApiError({ status: res.status, code: 'http_error', message: `HTTP ${res.status}` });
    }

    const parsed = z.safeParse(call.schema, data);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new ApiError({
        status: res.status,
        code: 'invalid_response',
        message: `Unexpected answer from ${call.method} ${call.path}${first ? `: ${first.path.join('.') || '(root)'} ${first.message}` : ''}`,
        retryable: false,
      });
    }
    return parsed.data;
  };
}

export function createClient(options: ClientOptions): Client {
  const request = createTransport(options);
  return {
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    getSession: (sessionId, opts = {}) =>
      request({
        method: 'GET',
        path: `/api/sessions/${enc(sessionId)}`,
        schema: sessionViewSchema,
        signal: opts.signal,
      }),
    createPayment: (sessionId, req, idempotencyKey, opts = {}) => {
      const simple = options.simpleRequests === true;
      const q = new URLSearchParams();
      if (opts.wait !== undefined && opts.wait > 0)
        q.set('wait', String(Math.min(10, Math.round(opts.wait * 10) / 10)));
      if (simple) q.set('idempotency_key', idempotencyKey);
      const qs = q.toString();
      return request({
        method: 'POST',
        path: `/api/sessions/${enc(sessionId)}/payments${qs ? `?${qs}` : ''}`,
        schema: paymentViewSchema,
        body: req,
        ...(simple ? { plainText: true } : { headers: { 'idempotency-key': idempotencyKey } }),
        signal: opts.signal,
      });
    },
    getPayment: (paymentId, opts = {}) => {
      const q = new URLSearchParams();
      if (opts.wait !== undefined && opts.wait > 0)
        q.set('wait', String(Math.min(30, Math.round(opts.wait))));
      if (opts.version !== undefined) q.set('version', String(opts.version));
      const qs = q.toString();
      return request({
        method: 'GET',
        path: `/api/payments/${enc(paymentId)}${qs ? `?${qs}` : ''}`,
        schema: paymentViewSchema,
        signal: opts.signal,
      });
    },
    clarify: (paymentId, req, opts = {}) =>
      request({
        method: 'POST',
        path: `/api/payments/${enc(paymentId)}/clarification`,
        schema: paymentViewSchema,
        body: req,
        signal: opts.signal,
      }),
    paymentPage: (sessionId, req = {}, opts = {}) =>
      request({
        method: 'POST',
        path: `/api/sessions/${enc(sessionId)}/payment-page`,
        schema: paymentPageResponseSchema,
        body: req,
        signal: opts.signal,
      }),
  };
}

// ── merchant side (API key: the merchant's server only, never a browser) ────────────────────────────

export interface MerchantClientOptions extends ClientOptions {
  apiKey: string;
}

export interface MerchantClient {
  createSession(req: CreateSessionRequest, opts?: RequestOptions): Promise<SessionView>;
  createPayout(req: PayoutRequest, idempotencyKey?: string, opts?: RequestOptions): Promise<PaymentView>;
  refund(paymentId: string, req: RefundRequest, opts?: RequestOptions): Promise<unknown>;
  getPayment(paymentId: string, opts?: RequestOptions): Promise<PaymentView>;
}

export function createMerchantClient(options: MerchantClientOptions): MerchantClient {
  const request = createTransport({
    ...options,
    headers: { ...options.headers, authorization: `Bearer ${options.apiKey}` },
  });
  return {
    createSession: (req, opts = {}) =>
      request({
        method: 'POST',
        path: '/api/sessions',
        schema: sessionViewSchema,
        body: req,
        signal: opts.signal,
      }),
    createPayout: (req, idempotencyKey, opts = {}) =>
      request({
        method: 'POST',
        path: '/api/merchant/payouts',
        schema: paymentViewSchema,
        body: req,
        ...(idempotencyKey ? { headers: { 'idempotency-key': idempotencyKey } } : {}),
        signal: opts.signal,
      }),
    refund: (paymentId, req, opts = {}) =>
      request({
        method: 'POST',
        path: `/api/merchant/payments/${enc(paymentId)}/refunds`,
        schema: z.unknown(),
        body: req,
        signal: opts.signal,
      }),
    getPayment: (paymentId, opts = {}) =>
      request({
        method: 'GET',
        path: `/api/merchant/payments/${enc(paymentId)}`,
        schema: paymentViewSchema,
        signal: opts.signal,
      }),
  };
}

/** A random idempotency key: `crypto.randomUUID` where there is one, else `getRandomValues`, else Math.random. */
export function newIdempotencyKey(): string {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
