/**
 * A payment's whole history for the merchant console, read from what the backend keeps: the payment row
 * (our request to the Gate: when, how many sends, the Gate's request id), its refunds (our refund requests
 * and their answers), and every callback and status answer the Gate sent (raw bodies, stored under their
 * digest before they were applied). A status change is the callback that made it (`applied`), and the
 * payment's current state closes the list.
 *
 * Voucher numbers and security codes (and anything else that works as money or a credential: account
 * numbers, signatures) are masked here, before the body leaves the backend: the history is for reading,
 * the payout's vouchers stay on the payment's own detail route.
 */
import { asc, eq } from 'drizzle-orm';
import type { PaymentView } from '../../core/api.ts';
import { callbacks, refunds, type PaymentRow } from '../db/schema.ts';
import type { Store } from '../store/index.ts';

export type HistoryKind = 'request' | 'callback' | 'status_check' | 'status' | 'refund';

export interface HistoryEvent {
  at: string;
  kind: HistoryKind;
  title: string;
  status?: string;
  /** Whether a callback changed the payment (false for repeats and late ones). */
  applied?: boolean;
  detail?: Record<string, unknown>;
}

/** The webhooks delivered for a payment, when the webhooks module is there to say (see the routes). */
export type WebhookHistory = (paymentId: string) => Promise<unknown[] | null>;

export interface PaymentHistory {
  payment: PaymentView;
  events: HistoryEvent[];
  /** The payment's webhook events with their deliveries and attempts (null without a webhook log). */
  webhooks: unknown[] | null;
}

const SECRET_KEYS = new Set(['number', 'vouchernumber', 'securitycode', 'cvv', 'pan', 'signature', 'token']);

function maskText(key: string, value: string): string {
  if (key === 'signature' || key === 'token') return '(hidden)';
  if (key === 'securitycode' || key === 'cvv') return '•'.repeat(Math.min(value.length, 4));
  const tail = value.replace(/\s/g, '').slice(-4);
  return value.length > 4 ? `•••• ${tail}` : '••••';
}

/** A copy of a Gate body with voucher numbers, security codes, account numbers and signatures masked. */
export function maskSecrets(value: unknown, key = ''): unknown {
  const k = key.toLowerCase().replace(/[_-]/g, '');
  if (typeof value === 'string' || typeof value === 'number') {
    return SECRET_KEYS.has(k) ? maskText(k, String(value)) : value;
  }
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, key));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(value)) out[name] = maskSecrets(v, name);
    return out;
  }
  return value;
}

function parseBody(raw: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(raw);
    return v !== null && typeof v === 'object' ? (maskSecrets(v) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function paymentHistory(
  store: Store,
  p: PaymentRow,
  view: PaymentView,
  webhooks?: WebhookHistory,
): Promise<PaymentHistory> {
  const events: HistoryEvent[] = [];
  const what = p.type === 'payout' ? 'Payout' : 'Purchase';
  events.push({
    at: p.createdAt.toISOString(),
    kind: 'request',
    title:
      p.channel === 'payment_page'
        ? 'Payment Page signed for the shopper'
        : `${what} request sent to the Gate`,
    detail: {
      channel: p.channel,
      gate_state: p.gateState,
      send_attempts: p.sendAttempts,
      ...(p.requestId ? { request_id: p.requestId } : {}),
      ...(p.idempotencyKey ? { idempotency_key: p.idempotencyKey } : {}),
    },
  });
  const refundRows = await store.db
    .select()
    .from(refunds)
    .where(eq(refunds.paymentId, p.id))
    .orderBy(asc(refunds.createdAt));
  for (const r of refundRows) {
    events.push({
      at: r.createdAt.toISOString(),
      kind: 'refund',
      title: r.full ? 'Full refund requested' : 'Refund requested',
      status: r.status,
      detail: {
        refund_id: r.id,
        amount: r.amount,
        currency: r.currency,
        description: r.description,
        ...(r.requestId ? { request_id: r.requestId } : {}),
        ...(r.code !== null ? { code: r.code } : {}),
        ...(r.message !== null ? { message: r.message } : {}),
      },
    });
  }
  const messages = await store.db
    .select()
    .from(callbacks)
    .where(eq(callbacks.paymentId, p.id))
    .orderBy(asc(callbacks.receivedAt), asc(callbacks.id));
  for (const m of messages) {
    const op = m.operationType ? `${m.operationType} ` : '';
    events.push({
      at: m.receivedAt.toISOString(),
      kind: m.source === 'callback' ? 'callback' : 'status_check',
      title:
        m.source === 'callback'
          ? `Callback from the Gate: ${op}${m.paymentStatus ?? ''}`.trim()
          : `Status asked of the Gate: ${m.paymentStatus ?? 'no answer'}`,
      ...(m.paymentStatus ? { status: m.paymentStatus } : {}),
      applied: m.applied,
      detail: parseBody(m.rawBody),
    });
  }
  events.push({
    at: p.updatedAt.toISOString(),
    kind: 'status',
    title: 'Current status',
    status: p.status,
    detail: {
      version: p.version,
      ...(p.code !== null ? { code: p.code } : {}),
      ...(p.message !== null ? { message: p.message } : {}),
      ...(p.refundedAmount > 0 ? { refunded_amount: p.refundedAmount } : {}),
    },
  });
  // Stable: by time, then in the order written above (request before its answer at the same instant).
  const ordered = events.map((e, i) => ({ e, i })).sort((a, b) => a.e.at.localeCompare(b.e.at) || a.i - b.i);
  return { payment: view, events: ordered.map((x) => x.e), webhooks: webhooks ? await webhooks(p.id) : null };
}
