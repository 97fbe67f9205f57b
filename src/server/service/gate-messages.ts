/**
 * Gate messages: what a verified callback (or a status answer, which has the same shape) says
 * (`parseGateMessage`), how it changes a stored payment (`applyUpdate`, pure: the store runs it under the
 * payment's row lock, so repeats, reorderings and concurrent deliveries all end in one state), and the
 * service's entry that stores and applies one (`recordGateMessage`).
 */
import { createHash } from 'node:crypto';
import { fromEcommpayStatus, isFinal, isPaid, transition, type PaymentState } from '../../core/status.ts';
import { catalog, methodFromCallbackLabel, type MethodId } from '../../core/methods/index.ts';
import type { PaymentRow, SealedVouchers, StoredRedirect, StoredVoucher } from '../db/schema.ts';
import { redactRawBody } from '../voucher-crypto.ts';
import type { RecordResult } from '../store/index.ts';
import { newId, type ServiceContext } from './context.ts';

/**
 * `payment.method` as callbacks spell it (seeds: "advcash", "Jeton Voucher", "JetonVoucher", …): each
 * method module's `callbackLabels` say which of its spellings it answers to.
 */
export function methodFromLabel(label: string): MethodId | undefined {
  return methodFromCallbackLabel(catalog, label);
}

export interface GateOperation {
  type?: string;
  status?: string;
  requestId?: string;
  id?: string;
  amount?: number;
  currency?: string;
  code?: string;
  message?: string;
}

export interface GateUpdate {
  projectId?: number;
  paymentId?: string;
  paymentType?: string;
  /** `payment.method` mapped to our method id, when recognised. */
  method?: MethodId;
  /** `payment.status` as ecommpay spelled it. */
  rawStatus?: string;
  /** Our state for it; null for a status we do not know (the payment keeps its state). */
  state: PaymentState | null;
  operation?: GateOperation;
  /** `payment.sum` as sent (absent when the message has none): what the Gate says the payment is. */
  paymentSum?: SentSum;
  /** The operation's `sum_initial` (or `sum`) as sent: what the operation was asked for. */
  operationSum?: SentSum;
  /** The result code and message (operation, old-shape payment.result_code, or errors[0]). */
  code?: string;
  message?: string;
  redirect?: StoredRedirect;
  clarificationFields?: Record<string, string[]>;
  /** As parsed; sealed (encrypted) by `recordGateMessage` before the store sees them. */
  vouchers?: StoredVoucher[] | SealedVouchers;
}

/** A sum as a message sent it; a field that is missing or not what a sum holds is null. */
export interface SentSum {
  amount: number | null;
  currency: string | null;
}

type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function int(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v) && Number.isSafeInteger(Number(v))) return Number(v);
  return undefined;
}

function sentSum(v: unknown): SentSum {
  if (!isObject(v)) return { amount: null, currency: null };
  return { amount: int(v.amount) ?? null, currency: str(v.currency) ?? null };
}

function operationOf(o: Obj, sum: unknown): GateOperation {
  const op: GateOperation = {};
  const type = str(o.type);
  const status = str(o.status);
  const requestId = str(o.request_id);
  const id = str(o.id);
  const code = str(o.code);
  const message = str(o.message);
  if (type !== undefined) op.type = type.toLowerCase();
  if (status !== undefined) op.status = status.toLowerCase();
  if (requestId !== undefined && requestId !== '') op.requestId = requestId;
  if (id !== undefined) op.id = id;
  if (code !== undefined && code !== '') op.code = code;
  if (message !== undefined && message !== '') op.message = message;
  if (isObject(sum)) {
    const amount = int(sum.amount);
    const currency = str(sum.currency);
    if (amount !== undefined) op.amount = amount;
    if (currency !== undefined) op.currency = currency;
  }
  return op;
}

/** Requested fields by object: `{customer: ['first_name']}`, or a JSON-schema-like description of them. */
export function normalizeClarificationFields(v: unknown): Record<string, string[]> | undefined {
  if (!isObject(v)) return undefined;
  const source = isObject(v.properties) ? v.properties : v;
  const out: Record<string, string[]> = {};
  for (const [group, spec] of Object.entries(source)) {
    if (group === 'type' || group === 'required' || group === '$schema') continue;
    let fields: string[] = [];
    if (Array.isArray(spec)) fields = spec.filter((f): f is string => typeof f === 'string');
    else if (isObject(spec)) {
      const required = Array.isArray(spec.required) ? spec.required.filter((f) => typeof f === 'string') : [];
      const props = isObject(spec.properties) ? Object.keys(spec.properties) : [];
      fields = required.length > 0 ? (required as string[]) : props.length > 0 ? props : Object.keys(spec);
    }
    if (fields.length > 0) out[group] = fields;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function normalizeRedirect(v: unknown): StoredRedirect | undefined {
  if (!isObject(v)) return undefined;
  const url = str(v.url);
  if (url === undefined || url === '') return undefined;
  const method = (str(v.method) ?? 'GET').toUpperCase();
  const body: StoredRedirect['body'] = {};
  if (isObject(v.body)) {
    for (const [k, val] of Object.entries(v.body)) {
      // Nested values cannot travel as query parameters or form fields; the core's planner refuses them.
      if (val === null || ['string', 'number', 'boolean'].includes(typeof val))
        body[k] = val as string | number | boolean | null;
    }
  }
  return { url, method, body };
}

function normalizeVouchers(v: unknown): StoredVoucher[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: StoredVoucher[] = [];
  for (const item of v) {
    if (!isObject(item)) continue;
    const number = str(item.voucherNumber ?? item.voucher_number ?? item.number);
    const expiration = str(item.expiration ?? item.expiry ?? item.expiration_date);
    const securityCode = str(item.securityCode ?? item.security_code);
    if (number === undefined || expiration === undefined || securityCode === undefined) continue;
    const voucher: StoredVoucher = { number, expiration, security_code: securityCode };
    const amount = int(item.amount);
    const currency = str(item.currency);
    const created = str(item.createDate ?? item.create_date ?? item.created_at);
    if (amount !== undefined) voucher.amount = amount;
    if (currency !== undefined) voucher.currency = currency;
    if (created !== undefined) voucher.created_at = created;
    out.push(voucher);
  }
  return out.length > 0 ? out : undefined;
}

/**
 * Reads a callback or a status answer. Two shapes are known: the usual one (`project_id`, `payment`,
 * `operation`, …) and an older Jeton payout one (`general.project_id`, `payment.result_code`,
 * `operations[]`, `request_id` at the root) that seed 004 shows.
 */
export function parseGateMessage(data: unknown): GateUpdate {
  const d = isObject(data) ? data : {};
  const payment = isObject(d.payment) ? d.payment : {};
  const general = isObject(d.general) ? d.general : {};
  const update: GateUpdate = { state: null };

  const projectId = int(d.project_id) ?? int(general.project_id);
  if (projectId !== undefined) update.projectId = projectId;
  const paymentId = str(payment.id) ?? str(general.payment_id);
  if (paymentId !== undefined) update.paymentId = paymentId;
  const paymentType = str(payment.type);
  if (paymentType !== undefined) update.paymentType = paymentType;
  const label = str(payment.method);
  const method = label !== undefined ? methodFromLabel(label) : undefined;
  if (method) update.method = method;
  const rawStatus = str(payment.status);
  if (rawStatus !== undefined) {
    update.rawStatus = rawStatus;
    update.state = fromEcommpayStatus(rawStatus);
  }

  if ('sum' in payment) update.paymentSum = sentSum(payment.sum);
  if (isObject(d.operation)) {
    const sum = d.operation.sum_initial ?? d.operation.sum;
    update.operation = operationOf(d.operation, sum);
    if (sum !== undefined) update.operationSum = sentSum(sum);
  } else if (Array.isArray(d.operations) && d.operations.length > 0) {
    const last: unknown = d.operations[d.operations.length - 1];
    if (isObject(last)) {
      const sum = last.sum ?? d.sum_real;
      update.operation = operationOf(last, sum);
      if (sum !== undefined) update.operationSum = sentSum(sum);
    }
    const rid = str(d.request_id);
    if (update.operation && rid !== undefined && update.operation.requestId === undefined)
      update.operation.requestId = rid;
  } else if (str(d.request_id) !== undefined) {
    update.operation = { requestId: str(d.request_id) as string };
  }

  const firstError = Array.isArray(d.errors) && isObject(d.errors[0]) ? d.errors[0] : undefined;
  const code =
    update.operation?.code ?? str(payment.result_code) ?? (firstError ? str(firstError.code) : undefined);
  const message =
    update.operation?.message ??
    str(payment.result_message) ??
    (firstError ? str(firstError.message) : undefined);
  if (code !== undefined && code !== '') update.code = code;
  if (message !== undefined && message !== '') update.message = message;

  const redirect = normalizeRedirect(d.redirect_data);
  if (redirect) update.redirect = redirect;
  const clarification = normalizeClarificationFields(d.clarification_fields);
  if (clarification) update.clarificationFields = clarification;
  const extra = isObject(d.provider_extra_fields) ? d.provider_extra_fields : {};
  const vouchers = normalizeVouchers(extra.vouchers ?? d.vouchers);
  if (vouchers) update.vouchers = vouchers;
  return update;
}

/** What applying an update changes on the payment row (nothing visible → same version). */
export interface PaymentPatch {
  changes: Partial<PaymentRow>;
  /** Whether the shopper/merchant can see a difference (the version grows). */
  visible: boolean;
  /** Whether the payment state moved. */
  stateChanged: boolean;
}

export function isRefundOperation(u: GateUpdate): boolean {
  return u.operation?.type === 'refund';
}

/**
 * The payment's new fields after `u`. Monotonic through the core's state machine: a repeated or late
 * callback never moves a payment back, and side data (redirect, clarification, result code) is taken only
 * from the callback that moved the state, so every order of the same callbacks ends alike.
 */
export function applyUpdate(p: PaymentRow, u: GateUpdate): PaymentPatch {
  const changes: Partial<PaymentRow> = {};
  let visible = false;
  const refund = isRefundOperation(u);
  let next = u.state ? transition(p.status, u.state) : { state: p.status, changed: false };
  // A message that would make the payment paid with a sum or currency other than the payment's does not:
  // the payment keeps its state and is held for review (the message is stored all the same).
  const mismatch = next.changed && isPaid(next.state) && !isPaid(p.status) ? sumMismatch(p, u, refund) : null;
  if (mismatch) {
    next = { state: p.status, changed: false };
    if (p.reviewReason !== mismatch) {
      changes.reviewReason = mismatch;
      visible = true;
    }
  }
  if (next.changed) {
    changes.status = next.state;
    visible = true;
  }
  const after = next.state;

  if (!refund) {
    if (
      after === 'awaiting_redirect' &&
      u.redirect &&
      u.state === 'awaiting_redirect' &&
      (next.changed || !p.redirect)
    ) {
      changes.redirect = u.redirect;
      visible = true;
    }
    if (after === 'awaiting_clarification' && next.changed && u.clarificationFields) {
      changes.clarificationFields = u.clarificationFields;
      changes.clarificationSent = false;
      visible = true;
    }
    if (isFinal(after) && u.state === after && (next.changed || p.code === null) && (u.code || u.message)) {
      if (u.code !== undefined && u.code !== p.code) changes.code = u.code;
      if (u.message !== undefined && u.message !== p.message) changes.message = u.message;
      if (changes.code !== undefined || changes.message !== undefined) visible = true;
    }
    if (p.type === 'payout' && after === 'success' && u.vouchers && !p.vouchers) {
      changes.vouchers = u.vouchers;
      visible = true;
    }
    if (p.requestId === null && u.operation?.requestId) changes.requestId = u.operation.requestId;
  }
  if (p.method === null && u.method) {
    changes.method = u.method;
    visible = true;
  }
  // A message about the payment proves the Gate has it.
  if (p.gateState === 'pending' || p.gateState === 'retryable') changes.gateState = 'accepted';
  return { changes, visible, stateChanged: next.changed };
}

/**
 * Why a message's sums do not fit the payment, or null when they do (or it sends none). `payment.sum` is
 * what is left of the payment (its amount before any refund); the operation's sum is checked too, except a
 * refund's (its own amount). Amounts are compared in minor units as sent to the Gate (KRW has none).
 */
export function sumMismatch(p: PaymentRow, u: GateUpdate, refund = isRefundOperation(u)): string | null {
  const expected = p.amount - p.refundedAmount;
  const sums: [string, SentSum | undefined][] = [
    ['payment.sum', u.paymentSum],
    [refund ? '' : 'operation.sum_initial', refund ? undefined : u.operationSum],
  ];
  for (const [where, sum] of sums) {
    if (!sum) continue;
    if (sum.amount !== expected || sum.currency !== p.currency) {
      return `amount_mismatch: ${where} is ${sum.amount ?? '?'} ${sum.currency ?? '?'}, the payment is ${expected} ${p.currency}`;
    }
  }
  return null;
}

/** The refund operation a refund callback reports, when it reports a result. */
export function refundResult(u: GateUpdate): { status: 'success' | 'decline' | 'error' } | null {
  if (!isRefundOperation(u)) return null;
  const s = u.operation?.status;
  if (s === 'success') return { status: 'success' };
  if (s === 'decline' || s === 'declined') return { status: 'decline' };
  if (s === 'error' || s === 'internal error' || s === 'external error') return { status: 'error' };
  return null;
}

// ── the service entry ──────────────────────────────────────────────────────────────────────────────

/** Stores and applies a verified Gate message (callback or status answer). */
export async function recordGateMessage(
  ctx: ServiceContext,
  rawBody: string,
  data: unknown,
  source: 'callback' | 'status',
): Promise<RecordResult & { update: GateUpdate }> {
  const update = parseGateMessage(data);
  // Vouchers are bearer instruments: the payment keeps them encrypted, the stored body keeps a keyed hash
  // (and a number's last 4 digits) instead. The caller verified the signature on the body as received;
  // the dedup key is still that body's hash, so a repeat is recognised.
  const { vouchers, ...rest } = update;
  const sealed: GateUpdate = rest;
  if (vouchers && update.paymentId && Array.isArray(vouchers))
    sealed.vouchers = ctx.vouchers.seal(update.paymentId, vouchers);
  const result = await ctx.deps.store.recordGateMessage({
    rawBody: redactRawBody(ctx.vouchers, rawBody, data),
    dedupKey: createHash('sha256').update(`${source}\n${rawBody}`).digest('hex'),
    source,
    update: sealed,
    now: ctx.date(),
    newRefundId: () => newId('ref'),
  });
  if (result.payment?.reviewReason && !result.duplicate) {
    ctx.log.warn('payment.requires_review', {
      payment_id: result.payment.id,
      source,
      reason: result.payment.reviewReason,
      status: result.payment.status,
    });
  }
  ctx.log.info(source === 'callback' ? 'callback.stored' : 'status.stored', {
    payment_id: update.paymentId,
    payment_status: update.rawStatus,
    operation: update.operation?.type,
    duplicate: result.duplicate,
    applied: result.applied,
    status: result.payment?.status,
    version: result.payment?.version,
  });
  return { ...result, update };
}
