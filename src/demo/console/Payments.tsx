/** The payments list: search and filters, cursor paging, CSV export, a row's refund and its history. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { call, filterQuery, NO_FILTERS, type Filters, type Operation, type OperationPage } from './api.ts';
import { SearchForm } from './Filters.tsx';
import { History } from './History.tsx';
import { methodLabel, money, statusLabel, statusTone, TYPE_LABEL, when } from './labels.ts';
import { noActionReason, Refund } from './Refund.tsx';

const PAGE = 20;

export function StatusBadge({ status }: { status: string | undefined }) {
  return <span className={`c-badge c-badge--${statusTone(status)}`}>{statusLabel(status)}</span>;
}

function Row({ p, onOpen, onChange }: { p: Operation; onOpen: (id: string) => void; onChange: () => void }) {
  const reason = noActionReason(p);
  const target = p.type === 'refund' ? (p.payment_id ?? p.id) : p.id;
  return (
    <tr>
      <td className="c-nowrap">{when(p.created_at)}</td>
      <td>
        <button type="button" className="c-link c-mono" onClick={() => onOpen(target)}>
          {p.id}
        </button>
      </td>
      <td>{p.customer_email ?? <span className="c-muted">—</span>}</td>
      <td>{TYPE_LABEL[p.type] ?? p.type}</td>
      <td>{methodLabel(p.method)}</td>
      <td className="c-num">{money(p.amount, p.currency)}</td>
      <td>
        <StatusBadge status={p.status} />
        {p.refunded_amount ? (
          <span className="c-sub">{money(p.refunded_amount, p.currency)} refunded</span>
        ) : null}
      </td>
      <td>
        {reason === null && p.type !== 'refund' ? (
          <Refund payment={p} onDone={onChange} />
        ) : (
          <span className="c-muted">{reason ?? `Refund of ${p.payment_id ?? ''}`}</span>
        )}
      </td>
    </tr>
  );
}

export function Payments({ version, onChange }: { version: number; onChange: () => void }) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  // Cursor paging: the cursors of the pages before this one, so "Newer" can go back.
  const [cursors, setCursors] = useState<string[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];
  const qs = filterQuery(filters, { limit: String(PAGE), ...(cursor ? { cursor } : {}) });
  const list = useQuery({
    queryKey: ['payments', qs, version],
    queryFn: () => call<OperationPage>(`/shop/api/payments?${qs}`),
    placeholderData: (prev) => prev,
  });
  const page = list.data;
  const first = cursors.length * PAGE + 1;
  return (
    <section aria-labelledby="payments-h" className="c-panel">
      <div className="c-panel__head">
        <h2 id="payments-h">Payments</h2>
        <div className="c-panel__tools">
          <button type="button" className="c-btn c-btn--secondary" onClick={onChange}>
            Refresh
          </button>
          <a
            className="c-btn c-btn--secondary"
            href={`/shop/api/exports/payments.csv?${filterQuery(filters)}`}
            download
          >
            Export CSV
          </a>
        </div>
      </div>
      <SearchForm
        value={filters}
        onSearch={(f) => {
          setFilters(f);
          setCursors([]);
        }}
      />
      {list.error ? (
        <p role="alert" className="c-error">
          {list.error.message}
        </p>
      ) : null}
      <div className="c-table-wrap" tabIndex={0}>
        <table className="c-table" aria-busy={list.isFetching}>
          <thead>
            <tr>
              <th scope="col">Created (UTC)</th>
              <th scope="col">Payment</th>
              <th scope="col">Customer</th>
              <th scope="col">Type</th>
              <th scope="col">Method</th>
              <th scope="col" className="c-num">
                Amount
              </th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {page?.data.map((p) => (
              <Row key={p.id} p={p} onOpen={setOpen} onChange={onChange} />
            ))}
            {page && page.data.length === 0 ? (
              <tr>
                <td colSpan={8} className="c-empty">
                  No payments match these filters.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <nav className="c-pager" aria-label="Pages">
        <span className="c-muted">
          {page && page.data.length > 0 ? `${first}–${first + page.data.length - 1}` : ''}
        </span>
        <button
          type="button"
          className="c-btn c-btn--secondary"
          disabled={cursors.length === 0}
          onClick={() => setCursors((c) => c.slice(0, -1))}
        >
          Newer
        </button>
        <button
          type="button"
          className="c-btn c-btn--secondary"
          disabled={!page?.next_cursor}
          onClick={() => page?.next_cursor && setCursors((c) => [...c, page.next_cursor as string])}
        >
          Older
        </button>
      </nav>
      {open ? <History id={open} version={version} onClose={() => setOpen(null)} /> : null}
    </section>
  );
}
