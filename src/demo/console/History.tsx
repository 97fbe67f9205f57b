/**
 * A payment's history: our requests to the Gate, the Gate's callbacks and status answers (voucher numbers
 * and codes arrive masked from the backend), refunds, the status now, and the webhooks delivered for it.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { call, type HistoryEvent, type PaymentHistory } from './api.ts';
import { methodLabel, money, statusLabel, when } from './labels.ts';
import { StatusBadge } from './Payments.tsx';
import { Webhooks } from './Webhooks.tsx';

const KIND: Record<HistoryEvent['kind'], string> = {
  request: 'Our request',
  callback: 'Gate callback',
  status_check: 'Status check',
  refund: 'Refund',
  status: 'Status',
};

function Event({ e }: { e: HistoryEvent }) {
  return (
    <li className={`c-event c-event--${e.kind}`}>
      <div className="c-event__head">
        <span className="c-event__kind">{KIND[e.kind]}</span>
        <time dateTime={e.at} className="c-muted c-nowrap">
          {when(e.at)}
        </time>
      </div>
      <p className="c-event__title">
        {e.title}
        {e.status && e.kind !== 'callback' && e.kind !== 'status_check' ? (
          <>
            {' '}
            <StatusBadge status={e.status} />
          </>
        ) : null}
        {e.applied === false ? <span className="c-sub">repeat or late: changed nothing</span> : null}
      </p>
      {e.detail && Object.keys(e.detail).length > 0 ? (
        <details>
          <summary>Details</summary>
          <pre className="c-json">{JSON.stringify(e.detail, null, 2)}</pre>
        </details>
      ) : null}
    </li>
  );
}

export function History({ id, version, onClose }: { id: string; version: number; onClose: () => void }) {
  const h = useQuery({
    queryKey: ['history', id, version],
    queryFn: () => call<PaymentHistory>(`/shop/api/payments/${encodeURIComponent(id)}/history`),
  });
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [id]);
  const p = h.data?.payment;
  return (
    <section className="c-history" aria-labelledby="history-h">
      <div className="c-panel__head">
        <h3 id="history-h" ref={heading} tabIndex={-1}>
          Payment {id}
        </h3>
        <button type="button" className="c-btn c-btn--secondary" onClick={onClose}>
          Close
        </button>
      </div>
      {h.error ? (
        <p role="alert" className="c-error">
          {h.error.message}
        </p>
      ) : null}
      {p ? (
        <dl className="c-facts">
          <div>
            <dt>Status</dt>
            <dd>
              <StatusBadge status={p.status} />
            </dd>
          </div>
          <div>
            <dt>Amount</dt>
            <dd>{money(p.amount, p.currency)}</dd>
          </div>
          <div>
            <dt>Method</dt>
            <dd>{methodLabel(p.method)}</dd>
          </div>
          <div>
            <dt>Session</dt>
            <dd className="c-mono">{p.session_id ?? '—'}</dd>
          </div>
          {p.code ? (
            <div>
              <dt>Result</dt>
              <dd>
                {p.code}
                {p.message && p.message.toLowerCase() !== statusLabel(p.status).toLowerCase()
                  ? ` — ${p.message}`
                  : ''}
              </dd>
            </div>
          ) : null}
        </dl>
      ) : null}
      <h4>History</h4>
      <ol className="c-timeline" aria-label="History">
        {h.data?.events.map((e, i) => (
          <Event key={`${e.at}-${i}`} e={e} />
        ))}
      </ol>
      <h4>Webhooks</h4>
      {h.data ? <Webhooks events={h.data.webhooks} onChange={() => void h.refetch()} /> : null}
    </section>
  );
}
