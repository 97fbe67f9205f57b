/** Human labels for what the API names with ids: methods, statuses, types. */
import { catalog, isMethodId } from '../../core/methods/index.ts';
import { formatMoney, isCurrency } from '../../core/money.ts';

export function methodLabel(id: string | undefined): string {
  if (!id) return 'Not chosen yet';
  return isMethodId(id) ? catalog.get(id).name : id;
}

const STATUS: Record<string, string> = {
  created: 'Created',
  awaiting_redirect: 'Awaiting shopper',
  awaiting_clarification: 'Needs details',
  processing: 'Processing',
  success: 'Succeeded',
  decline: 'Declined',
  expired: 'Expired',
  cancelled: 'Cancelled',
  error: 'Failed',
  partially_refunded: 'Partially refunded',
  refunded: 'Refunded',
  // refunds
  sending: 'Sending',
  pending: 'Pending',
  unknown: 'Unknown',
  // bulk rows
  queued: 'Queued',
  done: 'Sent',
  failed: 'Failed',
};

export function statusLabel(status: string | undefined): string {
  if (!status) return '—';
  return STATUS[status] ?? status.charAt(0).toUpperCase() + status.slice(1).replace(/_/g, ' ');
}

/** The badge colour of a status: good, bad, waiting or neutral. */
export function statusTone(status: string | undefined): 'good' | 'bad' | 'wait' | 'neutral' {
  switch (status) {
    case 'success':
    case 'done':
      return 'good';
    case 'decline':
    case 'error':
    case 'failed':
    case 'expired':
    case 'cancelled':
      return 'bad';
    case 'refunded':
    case 'partially_refunded':
      return 'neutral';
    default:
      return 'wait';
  }
}

export const TYPE_LABEL: Record<string, string> = { purchase: 'Payment', payout: 'Payout', refund: 'Refund' };

export function money(amount: number | undefined, currency: string | undefined): string {
  if (amount === undefined || !currency || !isCurrency(currency)) return '—';
  return formatMoney(amount, currency, 'en');
}

export function when(iso: string): string {
  const d = new Date(iso);
  return d.toISOString().replace('T', ' ').slice(0, 19);
}

/** "Payout pout_…: Succeeded", with the Gate's message only when it says more than the status. */
export function outcome(status: string, message: string | undefined): string {
  const label = statusLabel(status);
  return message &&
    message.trim().toLowerCase() !== label.toLowerCase() &&
    message.trim().toLowerCase() !== status
    ? `${label} — ${message}`
    : label;
}
