/** A batch as the API shows it: progress, the row errors, and each row's result with its payment's status. */
import { eq, inArray, sql } from 'drizzle-orm';
import { toMajorString, type Currency } from '../../core/money.ts';
import { payments, refunds } from '../db/schema.ts';
import type { Store } from '../store/index.ts';
import type { RefundRowRequest } from './rows.ts';
import { bulkRows, type BatchRow, type BulkRowRow, type RowIssue } from './schema.ts';

export interface BatchRowView {
  line: number;
  state: BulkRowRow['state'];
  method?: string;
  amount?: number;
  currency?: string;
  account?: string;
  customer_id?: string;
  payment_id?: string;
  refund_id?: string;
  /** The payout's, or the refund's, status now. */
  status?: string;
  /** The row found an earlier payout/refund with its key: nothing was paid again. */
  repeated: boolean;
  code?: string;
  message?: string;
}

export interface BatchView {
  id: string;
  type: BatchRow['kind'];
  file_name?: string;
  status: 'running' | 'done';
  counts: {
    rows: number;
    invalid: number;
    valid: number;
    queued: number;
    done: number;
    failed: number;
    repeated: number;
    /** Rows by their payout's or refund's status: success, decline, processing, … */
    by_status: Record<string, number>;
  };
  errors: RowIssue[];
  rows?: BatchRowView[];
  created_at: string;
  updated_at: string;
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Counts by the rows' run state and their payout's/refund's status, in one statement. */
async function countRows(store: Store, batchId: string): Promise<BatchView['counts'] & { sending: number }> {
  const result = await store.db.execute(sql`
    SELECT br.state, br.repeated > 0 AS repeated, coalesce(r.status, p.status) AS status, count(*)::int AS n
    FROM bulk_rows br
    LEFT JOIN refunds r ON r.id = br.refund_id
    LEFT JOIN payments p ON p.id = br.payment_id AND br.refund_id IS NULL
    WHERE br.batch_id = ${batchId}
    GROUP BY 1, 2, 3`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
    state: BulkRowRow['state'];
    repeated: boolean;
    status: string | null;
    n: number;
  }[];
  const counts = {
    rows: 0,
    invalid: 0,
    valid: 0,
    queued: 0,
    sending: 0,
    done: 0,
    failed: 0,
    repeated: 0,
    by_status: {} as Record<string, number>,
  };
  for (const r of rows) {
    const n = Number(r.n);
    counts.valid += n;
    counts[r.state] += n;
    if (r.repeated) counts.repeated += n;
    if (r.status) counts.by_status[r.status] = (counts.by_status[r.status] ?? 0) + n;
  }
  return counts;
}

async function rowViews(store: Store, b: BatchRow): Promise<BatchRowView[]> {
  const rows = await store.db
    .select()
    .from(bulkRows)
    .where(eq(bulkRows.batchId, b.id))
    .orderBy(bulkRows.line);
  const status = new Map<string, { status: string; method: string | null; currency: string }>();
  const paymentIds = [...new Set(rows.map((r) => r.paymentId).filter((x): x is string => !!x))];
  for (const ids of chunks(paymentIds, 1000)) {
    const found = await store.db
      .select({
        id: payments.id,
        status: payments.status,
        method: payments.method,
        currency: payments.currency,
      })
      .from(payments)
      .where(inArray(payments.id, ids));
    for (const p of found) status.set(p.id, p);
  }
  const refundStatus = new Map<string, string>();
  const refundIds = rows.map((r) => r.refundId).filter((x): x is string => !!x);
  for (const ids of chunks(refundIds, 1000)) {
    const found = await store.db
      .select({ id: refunds.id, status: refunds.status })
      .from(refunds)
      .where(inArray(refunds.id, ids));
    for (const r of found) refundStatus.set(r.id, r.status);
  }
  return rows.map((r) => {
    const req = r.request as Record<string, unknown>;
    const v: BatchRowView = { line: r.line, state: r.state, repeated: r.repeated > 0 };
    if (b.kind === 'payout') {
      const account = (req.account ?? {}) as Record<string, string>;
      v.method = String(req.method);
      v.amount = Number(req.amount);
      v.currency = String(req.currency);
      const to = account.number ?? account.email;
      if (to) v.account = to;
      v.customer_id = String((req.customer as { id: string }).id);
    } else {
      const rr = req as unknown as RefundRowRequest;
      if (rr.amount !== undefined) v.amount = rr.amount;
    }
    const p = r.paymentId ? status.get(r.paymentId) : undefined;
    if (r.paymentId) v.payment_id = r.paymentId;
    if (r.refundId) v.refund_id = r.refundId;
    if (b.kind === 'refund' && p) {
      if (p.method) v.method = p.method;
      v.currency = p.currency;
    }
    const now = b.kind === 'payout' ? p?.status : r.refundId ? refundStatus.get(r.refundId) : undefined;
    if (now) v.status = now;
    if (r.code) v.code = r.code;
    if (r.message) v.message = r.message;
    return v;
  });
}

export async function batchView(store: Store, b: BatchRow, opts: { rows: boolean }): Promise<BatchView> {
  const { sending, ...counts } = await countRows(store, b.id);
  counts.queued += sending;
  counts.rows = b.totalRows;
  counts.invalid = new Set(b.errors.map((e) => e.line)).size;
  return {
    id: b.id,
    type: b.kind,
    ...(b.fileName ? { file_name: b.fileName } : {}),
    status: counts.queued > 0 ? 'running' : 'done',
    counts,
    errors: b.errors,
    ...(opts.rows ? { rows: await rowViews(store, b) } : {}),
    created_at: b.createdAt.toISOString(),
    updated_at: b.updatedAt.toISOString(),
  };
}

export const RESULT_COLUMNS = [
  'line',
  'result',
  'method',
  'amount',
  'currency',
  'account',
  'customer_id',
  'payment_id',
  'refund_id',
  'status',
  'repeated',
  'code',
  'message',
] as const;

/** One results-CSV line per file row: the run rows, and the rows refused by validation. */
export function resultCells(view: BatchView): (string | number | undefined)[][] {
  const out: { line: number; cells: (string | number | undefined)[] }[] = [];
  for (const r of view.rows ?? []) {
    const currency = r.currency as Currency | undefined;
    out.push({
      line: r.line,
      cells: [
        r.line,
        r.state,
        r.method,
        r.amount !== undefined && currency ? toMajorString(r.amount, currency) : undefined,
        r.currency,
        r.account,
        r.customer_id,
        r.payment_id,
        r.refund_id,
        r.status,
        r.repeated ? 'yes' : 'no',
        r.code,
        r.message,
      ],
    });
  }
  const invalid = new Map<number, string[]>();
  for (const e of view.errors)
    invalid.set(e.line, [...(invalid.get(e.line) ?? []), `${e.field ? `${e.field}: ` : ''}${e.message}`]);
  for (const [line, messages] of invalid)
    out.push({
      line,
      cells: [line, 'invalid', '', '', '', '', '', '', '', '', 'no', 'validation_error', messages.join('; ')],
    });
  return out.sort((a, b) => a.line - b.line).map((x) => x.cells);
}
