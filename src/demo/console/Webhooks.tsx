/**
 * The webhooks part of a payment's history: each event with its deliveries (endpoint, status, attempts
 * with the receiver's answers) and a "Resend webhook" action. `null` from the backend means it keeps no
 * webhook log: the section says so instead.
 */
import { useState } from 'react';
import { call } from './api.ts';
import { when } from './labels.ts';

export interface WebhookAttempt {
  attempt: number;
  at: string;
  duration_ms: number;
  response_status?: number;
  response_body?: string;
  error?: string;
}

export interface WebhookDelivery {
  id: string;
  endpoint_id: string;
  url: string;
  status: string;
  attempts: number;
  next_attempt_at?: string;
  delivered_at?: string;
  attempt_log: WebhookAttempt[];
}

export interface WebhookEvent {
  id: string;
  type: string;
  sequence: number;
  created: string;
  deliveries: WebhookDelivery[];
}

const TONE: Record<string, string> = { delivered: 'good', failed: 'bad', pending: 'wait' };

function Resend({ event, onDone }: { event: WebhookEvent; onDone: () => void }) {
  const [message, setMessage] = useState<string | null>(null);
  return (
    <span className="c-resend">
      <button
        type="button"
        className="c-btn c-btn--secondary"
        onClick={async () => {
          setMessage(null);
          try {
            const r = await call<{ queued: number }>(
              `/shop/api/webhook-events/${encodeURIComponent(event.id)}/resend`,
              { method: 'POST', body: '{}' },
            );
            setMessage(`Queued to ${r.queued} endpoint${r.queued === 1 ? '' : 's'}`);
            setTimeout(onDone, 1500);
          } catch (e) {
            setMessage((e as Error).message);
          }
        }}
      >
        Resend webhook
      </button>
      <span role="status" className="c-muted">
        {message}
      </span>
    </span>
  );
}

export function Webhooks({ events, onChange }: { events: unknown[] | null; onChange: () => void }) {
  if (events === null)
    return (
      <p className="c-muted c-slot">
        This backend keeps no webhook log: deliveries and their attempts are listed here when it does.
      </p>
    );
  const list = events as WebhookEvent[];
  if (list.length === 0)
    return <p className="c-muted">No webhook events for this payment (is an endpoint configured?).</p>;
  return (
    <ol className="c-webhooks" aria-label="Webhook events">
      {list.map((e) => (
        <li key={e.id} className="c-webhook">
          <div className="c-webhook__head">
            <strong className="c-mono">{e.type}</strong>
            <span className="c-muted">#{e.sequence}</span>
            <time dateTime={e.created} className="c-muted">
              {when(e.created)}
            </time>
            <Resend event={e} onDone={onChange} />
          </div>
          {e.deliveries.map((d) => (
            <details key={d.id} className="c-delivery">
              <summary>
                <span className={`c-badge c-badge--${TONE[d.status] ?? 'neutral'}`}>
                  {d.status.charAt(0).toUpperCase() + d.status.slice(1)}
                </span>{' '}
                <span className="c-mono">{d.url}</span> · {d.attempts} attempt{d.attempts === 1 ? '' : 's'}
              </summary>
              <table className="c-table c-table--compact" aria-label={`Attempts to ${d.url}`}>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">At</th>
                    <th scope="col">Answer</th>
                    <th scope="col" className="c-num">
                      Time
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.attempt_log.map((a) => (
                    <tr key={a.attempt}>
                      <td className="c-num">{a.attempt}</td>
                      <td className="c-nowrap">{when(a.at)}</td>
                      <td>
                        {a.response_status !== undefined ? `HTTP ${a.response_status}` : (a.error ?? '—')}
                        {a.response_body ? (
                          <span className="c-sub c-mono">{a.response_body.slice(0, 200)}</span>
                        ) : null}
                      </td>
                      <td className="c-num">{a.duration_ms} ms</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ))}
        </li>
      ))}
    </ol>
  );
}
