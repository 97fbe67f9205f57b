/** The Actions cell: a refund for a paid Payco payment, or why there is nothing to do. */
import { useState } from 'react';
import { catalog, isMethodId } from '../../core/methods/index.ts';
import { toMinor, type Currency } from '../../core/money.ts';
import { call, type Operation } from './api.ts';
import { methodLabel } from './labels.ts';

/** Why a row has no refund action, or null when it has one. */
export function noActionReason(p: Operation): string | null {
  if (p.type === 'refund') return null;
  if (p.type === 'payout') return 'Payouts are final';
  if (!p.method || !isMethodId(p.method)) return 'Method not chosen yet';
  if (catalog.get(p.method).refunds === 'none') return `${methodLabel(p.method)} has no API refunds`;
  if (p.status === 'refunded') return 'Fully refunded';
  if (p.status !== 'success' && p.status !== 'partially_refunded') return 'Not paid';
  return null;
}

export function Refund({ payment, onDone }: { payment: Operation; onDone: () => void }) {
  const [amount, setAmount] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const refund = async (partial: boolean) => {
    setMessage(null);
    setBusy(true);
    try {
      await call(`/shop/api/payments/${encodeURIComponent(payment.id)}/refunds`, {
        method: 'POST',
        body: JSON.stringify({
          description: 'Refund from the merchant console',
          ...(partial ? { amount: toMinor(amount, payment.currency as Currency) } : {}),
        }),
      });
      setMessage('Refund requested');
      setAmount('');
      setTimeout(onDone, 800);
    } catch (e) {
      setMessage((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="c-refund">
      <label>
        <span className="ecp-offscreen">Partial refund amount for {payment.id}</span>
        <input
          inputMode="numeric"
          placeholder="Amount"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          size={7}
        />
      </label>
      <button
        type="button"
        className="c-btn c-btn--secondary"
        onClick={() => refund(true)}
        disabled={!amount || busy}
      >
        Refund part
      </button>
      <button type="button" className="c-btn c-btn--secondary" onClick={() => refund(false)} disabled={busy}>
        Refund all
      </button>
      <span role="status" className="c-refund__status">
        {message}
      </span>
    </div>
  );
}
