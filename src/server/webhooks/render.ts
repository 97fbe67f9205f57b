/**
 * A webhook's JSON body from its event: `data` is the merchant API's view of the payment (or payout, or
 * refund) as the status change left it — rendered from the row snapshot the trigger stored, so every retry
 * sends the same bytes.
 */
import type { WebhookEvent } from '../../core/webhooks.ts';
import type { PaymentRow, RefundRow } from '../db/schema.ts';
import { paymentView, refundView } from '../views.ts';
import type { ClaimedDelivery } from './outbox.ts';

const TIMESTAMPS = new Set([
  'sending_since',
  'status_checked_at',
  'last_callback_at',
  'created_at',
  'updated_at',
]);
const NUMBERS = new Set(['amount', 'refunded_amount', 'version', 'send_attempts']);

/** `to_jsonb` of a row (snake_case, timestamps as text) → the typed row. */
export function rowFromSnapshot<T>(snapshot: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(snapshot)) {
    const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    if (value === null || value === undefined) out[camel] = null;
    else if (TIMESTAMPS.has(key)) out[camel] = new Date(value as string);
    else if (NUMBERS.has(key)) out[camel] = Number(value);
    else out[camel] = value;
  }
  return out as T;
}

export function renderEvent(event: ClaimedDelivery['event'], devHosts: string[]): string {
  const data = event.type.startsWith('refund.')
    ? refundView(rowFromSnapshot<RefundRow>(event.snapshot))
    : paymentView(rowFromSnapshot<PaymentRow>(event.snapshot), { devHosts, merchant: true });
  const body: WebhookEvent = {
    id: event.id,
    type: event.type,
    created: event.createdAt.toISOString(),
    sequence: event.sequence,
    data,
  };
  return JSON.stringify(body);
}
