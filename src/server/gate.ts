/**
 * The Gate: request bodies per method (pure, from the catalog and the seeds), signing, and sending with a
 * timeout. The secret key is used here and in the Payment Page signer only; it never leaves in a body.
 */
import { RETURN_PARAMS, type Customer } from '../core/api.ts';
import type { Catalog, CustomerField, MethodId, ReturnUrlKey } from '../core/methods/index.ts';
import { parseJsonLossless, signGateRequest, toPlainJson, verify } from '../core/signature.ts';
import type { ServerConfig } from './config.ts';
import type { Logger } from './logger.ts';
import { isObject } from './service/gate-messages.ts';

export const CALLBACK_PATH = '/api/callbacks/ecommpay';
export const STATUS_PATH = '/v2/payment/status';
export const CLARIFICATION_PATH = '/v2/payment/clarification';

/** The Gate's "payment ID already exists": to a re-send it means the first send got through. */
export const CODE_DUPLICATE_PAYMENT = '3041';
export const CODE_NOT_FOUND = '3061';

export type GateBody = { general: Record<string, unknown> } & Record<string, unknown>;

export interface GateContext {
  projectId: number;
  publicBaseUrl: string;
}

export function callbackUrl(publicBaseUrl: string): string {
  return `${publicBaseUrl}${CALLBACK_PATH}`;
}

/** The merchant's return URL with `ecp_payment` and `ecp_result` added (existing query kept). */
export function returnUrlFor(base: string, paymentId: string, result: ReturnUrlKey): string {
  const url = new URL(base);
  url.searchParams.set(RETURN_PARAMS.payment, paymentId);
  url.searchParams.set(RETURN_PARAMS.result, result);
  return url.toString();
}

function general(ctx: GateContext, paymentId: string, withCallback = true): Record<string, unknown> {
  return {
    project_id: ctx.projectId,
    payment_id: paymentId,
    ...(withCallback ? { merchant_callback_url: callbackUrl(ctx.publicBaseUrl) } : {}),
  };
}

function paymentObject(amount: number, currency: string, description: string | null | undefined) {
  return { amount, currency, ...(description ? { description } : {}) };
}

export interface SaleInput {
  paymentId: string;
  method: MethodId;
  amount: number;
  currency: string;
  description?: string | null | undefined;
  customer: Customer;
  /** The method's fields, parsed with its schema (customer details, or Jeton's voucher). */
  fields: Record<string, string>;
  ip: string;
  returnUrl: string;
}

/**
 * A sale request (seeds 000–004): general, payment, customer {id, ip_address, and the details the method
 * requires or recommends for the currency — the shopper's fields first, else the session's}, return_url
 * with the keys the method needs, and Jeton's voucher as `account`.
 */
export function buildSaleRequest(ctx: GateContext, catalog: Catalog, input: SaleInput): GateBody {
  const method = catalog.get(input.method);
  const rules = method.customerFields(input.currency as never);
  const customer: Record<string, string> = { id: input.customer.id, ip_address: input.ip };
  const wanted: CustomerField[] = [...rules.required, ...rules.recommended];
  for (const field of wanted) {
    const value = input.fields[field] ?? input.customer[field];
    if (value !== undefined && value !== '') customer[field] = value;
  }
  const body: GateBody = {
    general: general(ctx, input.paymentId),
    payment: paymentObject(input.amount, input.currency, input.description),
    customer,
  };
  if (input.method === 'jeton') {
    body.account = {
      number: input.fields.number,
      expiration: input.fields.expiration,
      security_code: input.fields.security_code,
    };
  }
  if (method.returnUrlKeys.length > 0) {
    body.return_url = Object.fromEntries(
      method.returnUrlKeys.map((key) => [key, returnUrlFor(input.returnUrl, input.paymentId, key)]),
    );
  }
  return body;
}

export interface PayoutInput {
  paymentId: string;
  method: MethodId;
  amount: number;
  currency: string;
  description?: string | undefined;
  customerId: string;
  ip: string;
  account?: Record<string, string | undefined> | undefined;
}

/** A payout (seeds 001, 002, 004): general, payment, customer {id, ip_address}, and the method's account. */
export function buildPayoutRequest(ctx: GateContext, input: PayoutInput): GateBody {
  const body: GateBody = {
    general: general(ctx, input.paymentId),
    payment: paymentObject(input.amount, input.currency, input.description),
    customer: { id: input.customerId, ip_address: input.ip },
  };
  const account: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.account ?? {})) if (v !== undefined && v !== '') account[k] = v;
  if (Object.keys(account).length > 0) body.account = account;
  return body;
}

/** A refund (seed 003): the purchase's payment_id; amount and currency only for a partial refund. */
export function buildRefundRequest(
  ctx: GateContext,
  input: { paymentId: string; description: string; amount?: number | undefined; currency: string },
): GateBody {
  return {
    general: general(ctx, input.paymentId),
    payment: {
      description: input.description,
      ...(input.amount !== undefined ? { amount: input.amount, currency: input.currency } : {}),
    },
  };
}

export function buildStatusRequest(ctx: GateContext, paymentId: string): GateBody {
  return { general: general(ctx, paymentId, false) };
}

/** Clarification (protocol.md, unconfirmed): general + additional_data with the requested objects. */
export function buildClarificationRequest(
  ctx: GateContext,
  paymentId: string,
  additional: Record<string, Record<string, string>>,
): GateBody {
  return { general: general(ctx, paymentId, false), additional_data: additional };
}

// ── sending ───────────────────────────────────────────────────────────────────────────────────────

export type GateAnswer =
  /** HTTP 2xx with `status: success`. */
  | { kind: 'accepted'; requestId: string | null; data: Record<string, unknown>; httpStatus: number }
  /** The Gate looked at the request and refused it (a 4xx or a `status: error` answer). */
  | { kind: 'refused'; code: string; message: string; httpStatus: number; data: Record<string, unknown> }
  /** 5xx, a network error, or an answer that is not JSON: the request may or may not have got through. */
  | { kind: 'unavailable'; message: string; httpStatus?: number }
  | { kind: 'timeout'; message: string };

export interface GateClientOptions {
  config: Pick<ServerConfig, 'gateUrl' | 'secretKey' | 'gateTimeoutMs' | 'projectId' | 'publicBaseUrl'>;
  fetch: typeof fetch;
  log: Logger;
}

export class GateClient {
  constructor(private readonly options: GateClientOptions) {}

  get context(): GateContext {
    return { projectId: this.options.config.projectId, publicBaseUrl: this.options.config.publicBaseUrl };
  }

  /** Signs and sends `body` to `path`. Never throws for network trouble: it answers `unavailable`/`timeout`. */
  async send(path: string, body: GateBody): Promise<GateAnswer> {
    const { config, log } = this.options;
    const signed = await signGateRequest(body, config.secretKey);
    const started = performance.now();
    const paymentId = String(body.general.payment_id);
    let res: Response;
    try {
      res = await this.options.fetch(`${config.gateUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(signed),
        signal: AbortSignal.timeout(config.gateTimeoutMs),
      });
    } catch (error) {
      const ms = Math.round(performance.now() - started);
      const timeout =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      log.warn('gate.request_failed', { path, payment_id: paymentId, ms, timeout, error: String(error) });
      return timeout
        ? { kind: 'timeout', message: `The Gate did not answer within ${config.gateTimeoutMs} ms` }
        : { kind: 'unavailable', message: 'The Gate could not be reached' };
    }
    let text = '';
    try {
      text = await res.text();
    } catch (error) {
      const timeout =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      if (timeout)
        return { kind: 'timeout', message: `The Gate did not answer within ${config.gateTimeoutMs} ms` };
    }
    const ms = Math.round(performance.now() - started);
    let data: Record<string, unknown> = {};
    let parsed = false;
    try {
      const value = toPlainJson(parseJsonLossless(text));
      if (isObject(value)) {
        data = value;
        parsed = true;
      }
    } catch {
      parsed = false;
    }
    log.info('gate.request', {
      path,
      payment_id: paymentId,
      http_status: res.status,
      ms,
      gate_status: data.status,
      code: data.code,
      request_id: data.request_id,
    });
    if (res.status >= 500 || !parsed) {
      return { kind: 'unavailable', httpStatus: res.status, message: `The Gate answered HTTP ${res.status}` };
    }
    const status = typeof data.status === 'string' ? data.status : undefined;
    if (res.ok && status !== 'error') {
      return {
        kind: 'accepted',
        requestId: typeof data.request_id === 'string' ? data.request_id : null,
        data,
        httpStatus: res.status,
      };
    }
    return {
      kind: 'refused',
      code: data.code === undefined ? String(res.status) : String(data.code),
      message:
        typeof data.message === 'string' ? data.message : `The Gate refused the request (HTTP ${res.status})`,
      httpStatus: res.status,
      data,
    };
  }

  /**
   * Asks `/v2/payment/status`. A signed answer is verified (a forged one is ignored); the raw text is
   * returned for storing beside callbacks.
   */
  async status(
    paymentId: string,
  ): Promise<
    | { kind: 'found'; raw: string; data: Record<string, unknown> }
    | { kind: 'not_found' }
    | { kind: 'failed'; message: string }
  > {
    const { config, log } = this.options;
    const signed = await signGateRequest(buildStatusRequest(this.context, paymentId), config.secretKey);
    let res: Response;
    let text: string;
    try {
      res = await this.options.fetch(`${config.gateUrl}${STATUS_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(signed),
        signal: AbortSignal.timeout(config.gateTimeoutMs),
      });
      text = await res.text();
    } catch (error) {
      log.warn('gate.status_failed', { payment_id: paymentId, error: String(error) });
      return { kind: 'failed', message: String(error) };
    }
    let lossless: unknown;
    try {
      lossless = parseJsonLossless(text);
    } catch {
      return { kind: 'failed', message: `The status answer is not JSON (HTTP ${res.status})` };
    }
    const data = toPlainJson(lossless);
    if (!isObject(data)) return { kind: 'failed', message: 'The status answer is not an object' };
    log.info('gate.status', { payment_id: paymentId, http_status: res.status, code: data.code });
    if (data.status === 'error' || !res.ok) {
      if (String(data.code) === CODE_NOT_FOUND) return { kind: 'not_found' };
      return {
        kind: 'failed',
        message: `HTTP ${res.status} ${String(data.code ?? '')} ${String(data.message ?? '')}`.trim(),
      };
    }
    const hasSignature =
      data.signature !== undefined || (isObject(data.general) && data.general.signature !== undefined);
    if (hasSignature && !(await verify(lossless as Record<string, unknown>, config.secretKey))) {
      log.warn('gate.status_bad_signature', { payment_id: paymentId });
      return { kind: 'failed', message: 'The status answer has a bad signature' };
    }
    return { kind: 'found', raw: text, data };
  }
}
