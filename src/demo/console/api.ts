/**
 * The console's calls to the demo merchant server (`/shop/api/…`), which adds the merchant API key and
 * passes them to the backend's merchant API: the browser never holds the key.
 */
import type { PaymentView } from '../../core/api.ts';

export class ApiFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

export async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, {
    ...init,
    headers: {
      'content-type': 'application/json',
      'idempotency-key': crypto.randomUUID(),
      ...(init?.headers as Record<string, string> | undefined),
    },
  });
  const body = (await res.json().catch(() => ({}))) as T & { error?: { message: string; code?: string } };
  if (!res.ok)
    throw new ApiFailure(body.error?.message ?? `HTTP ${res.status}`, res.status, body.error?.code);
  return body;
}

/** A row of the search: a purchase or payout, or a refund (`type: 'refund'`). */
export type Operation = Omit<PaymentView, 'type'> & {
  type: 'purchase' | 'payout' | 'refund';
  customer_email?: string;
  payment_id?: string;
  description?: string;
};

export interface OperationPage {
  data: Operation[];
  next_cursor: string | null;
}

export interface HistoryEvent {
  at: string;
  kind: 'request' | 'callback' | 'status_check' | 'status' | 'refund';
  title: string;
  status?: string;
  applied?: boolean;
  detail?: Record<string, unknown>;
}

export interface PaymentHistory {
  payment: PaymentView;
  events: HistoryEvent[];
  /** null: the backend keeps no webhook log (yet). */
  webhooks: unknown[] | null;
}

export interface RowError {
  line: number;
  field?: string;
  message: string;
}

export interface BatchCheck {
  type: 'payout' | 'refund';
  rows: number;
  valid: { line: number; summary: string }[];
  errors: RowError[];
}

export interface BatchRowView {
  line: number;
  state: 'queued' | 'sending' | 'done' | 'failed';
  method?: string;
  amount?: number;
  currency?: string;
  account?: string;
  payment_id?: string;
  refund_id?: string;
  status?: string;
  repeated: boolean;
  code?: string;
  message?: string;
}

export interface Batch {
  id: string;
  type: 'payout' | 'refund';
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
    by_status: Record<string, number>;
  };
  errors: RowError[];
  rows?: BatchRowView[];
  created_at: string;
}

/** The search's filters, as the query string of the merchant API. */
export interface Filters {
  q: string;
  method: string;
  status: string;
  type: string;
  created_from: string;
  created_to: string;
}

export const NO_FILTERS: Filters = {
  q: '',
  method: '',
  status: '',
  type: '',
  created_from: '',
  created_to: '',
};

export function filterQuery(f: Filters, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...f, ...extra })) if (v.trim()) p.set(k, v.trim());
  return p.toString();
}

export async function uploadCsv<T>(file: File, type: string, opts: { dryRun: boolean }): Promise<T> {
  const qs = new URLSearchParams({ type, file_name: file.name, ...(opts.dryRun ? { dry_run: 'true' } : {}) });
  return call<T>(`/shop/api/batches?${qs}`, {
    method: 'POST',
    body: file,
    // The batch key is the file's digest (the backend's default): the same file uploaded twice is one batch.
    headers: { 'content-type': 'text/csv', 'idempotency-key': '' },
  });
}
