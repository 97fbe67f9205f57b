/**
 * Bulk payouts and refunds from a CSV file: the file is checked first (every row, with the method's
 * rules), the row errors are listed with their line numbers, and only then are the valid rows run. The
 * batch's progress is polled; its results can be downloaded.
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { call, uploadCsv, type Batch, type BatchCheck, type RowError } from './api.ts';
import { methodLabel, money, statusLabel } from './labels.ts';
import { StatusBadge } from './Payments.tsx';

const COLUMNS = {
  payout: 'method, currency, amount, customer_id (required); account, name, email, description, reference',
  refund: 'payment_id, description (required); amount, reference',
};

function Errors({ errors }: { errors: RowError[] }) {
  if (errors.length === 0) return null;
  return (
    <div className="c-table-wrap" tabIndex={0}>
      <table className="c-table c-table--compact" aria-label="Rows with errors">
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Column</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((e, i) => (
            <tr key={`${e.line}-${i}`}>
              <td className="c-num">{e.line}</td>
              <td className="c-mono">{e.field ?? ''}</td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Progress({ id }: { id: string }) {
  const batch = useQuery({
    queryKey: ['batch', id],
    queryFn: () => call<Batch>(`/shop/api/batches/${encodeURIComponent(id)}`),
    refetchInterval: (q) =>
      q.state.data?.status === 'done' && !q.state.data.counts.by_status.processing ? false : 1000,
  });
  const b = batch.data;
  if (!b) return <p className="c-muted">Loading the batch…</p>;
  const c = b.counts;
  const sent = c.done + c.failed;
  return (
    <div className="c-batch" aria-label={`Batch ${b.id}`} role="region">
      <p className="c-batch__line">
        <progress max={c.valid} value={sent} aria-label="Rows sent" />{' '}
        <span role="status">
          {b.status === 'done' ? 'Done' : 'Running'}: {sent} of {c.valid} rows sent
          {c.repeated ? `, ${c.repeated} made before (not paid again)` : ''}
          {c.failed ? `, ${c.failed} failed` : ''}
          {c.invalid ? `; ${c.invalid} rows with errors not run` : ''}
        </span>
      </p>
      <p className="c-batch__line">
        {Object.entries(c.by_status).map(([s, n]) => (
          <span key={s} className="c-tally">
            <StatusBadge status={s} /> {n}
          </span>
        ))}
        <a
          className="c-btn c-btn--secondary"
          href={`/shop/api/batches/${encodeURIComponent(b.id)}/results.csv`}
          download
        >
          Download results (CSV)
        </a>
      </p>
      <div className="c-table-wrap c-table-wrap--scroll" tabIndex={0}>
        <table className="c-table c-table--compact" aria-label="Batch results">
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Method</th>
              <th scope="col" className="c-num">
                Amount
              </th>
              <th scope="col">To</th>
              <th scope="col">Payment</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {b.rows?.map((r) => (
              <tr key={r.line}>
                <td className="c-num">{r.line}</td>
                <td>{methodLabel(r.method)}</td>
                <td className="c-num">{money(r.amount, r.currency)}</td>
                <td className="c-mono">{r.account ?? ''}</td>
                <td className="c-mono">{r.refund_id ?? r.payment_id ?? ''}</td>
                <td>
                  {r.state === 'failed' ? (
                    <span className="c-error">{r.message ?? statusLabel(r.state)}</span>
                  ) : (
                    <StatusBadge status={r.status ?? r.state} />
                  )}
                  {r.repeated ? <span className="c-sub">made before</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function Bulk({ onDone }: { onDone: () => void }) {
  const id = useId();
  const [type, setType] = useState<'payout' | 'refund'>('payout');
  const [file, setFile] = useState<File | null>(null);
  const [check, setCheck] = useState<BatchCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [batch, setBatch] = useState<string | null>(null);

  const validate = async (f: File, t: 'payout' | 'refund') => {
    setCheck(null);
    setError(null);
    setBatch(null);
    setBusy(true);
    try {
      setCheck(await uploadCsv<BatchCheck>(f, t, { dryRun: true }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const run = async () => {
    if (!file) return;
    setBusy(true);
    try {
      const b = await uploadCsv<Batch>(file, type, { dryRun: false });
      setBatch(b.id);
      onDone();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const noun = type === 'payout' ? 'payout' : 'refund';
  return (
    <section aria-labelledby="bulk-h" className="c-panel">
      <div className="c-panel__head">
        <h2 id="bulk-h">Bulk upload</h2>
      </div>
      <div className="c-bulk">
        <label className="c-field">
          <span className="c-field__label">File holds</span>
          <select
            value={type}
            onChange={(e) => {
              const t = e.target.value as 'payout' | 'refund';
              setType(t);
              if (file) void validate(file, t);
            }}
          >
            <option value="payout">Payouts</option>
            <option value="refund">Refunds</option>
          </select>
        </label>
        <label className="c-field" htmlFor={`${id}-file`}>
          <span className="c-field__label">CSV file</span>
          <input
            id={`${id}-file`}
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              const f = e.target.files?.[0] ?? null;
              setFile(f);
              if (f) void validate(f, type);
            }}
          />
        </label>
        <p className="c-hint c-bulk__cols">Columns: {COLUMNS[type]}. Amounts in major units (1500.00).</p>
      </div>
      {error ? (
        <p role="alert" className="c-error">
          {error}
        </p>
      ) : null}
      {check ? (
        <div className="c-check" role="region" aria-label="File check">
          <p role="status">
            {check.rows} rows: {check.valid.length} ready
            {check.errors.length
              ? `, ${new Set(check.errors.map((e) => e.line)).size} with errors (not run)`
              : ''}
            .
          </p>
          <Errors errors={check.errors} />
          {!batch && check.valid.length > 0 ? (
            <button type="button" className="c-btn c-btn--primary" disabled={busy} onClick={() => void run()}>
              {`Send ${check.valid.length} ${noun}${check.valid.length === 1 ? '' : 's'}`}
            </button>
          ) : null}
        </div>
      ) : null}
      {batch ? <Progress id={batch} /> : null}
    </section>
  );
}
