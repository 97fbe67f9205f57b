/**
 * Merchant routes for the console as an operations tool: search with filters and cursor paging, a
 * payment's history, and the CSV export of a filtered list. All behind the merchant API key.
 *
 * - `GET /api/merchant/payments` — search (see `query.ts`); `{data, next_cursor}`.
 * - `GET /api/merchant/payments/:id/history` — our requests, the Gate's callbacks (secrets masked), the
 *   status, and the webhooks delivered when the backend keeps them.
 * - `GET /api/merchant/exports/payments.csv` — the same filters, every page, streamed as CSV.
 */
import { inArray, sql } from 'drizzle-orm';
import type { Env, Hono, MiddlewareHandler } from 'hono';
import { stream } from 'hono/streaming';
import type { PaymentView } from '../../core/api.ts';
import { toMajorString, type Currency } from '../../core/money.ts';
import type { ServerConfig } from '../config.ts';
import { csvHeaders, csvLine } from '../csv.ts';
import { payments, refunds, sessions, type PaymentRow, type RefundRow } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import type { Store } from '../store/index.ts';
import { paymentView, refundView, type RefundView } from '../views.ts';
import { maskSecrets, paymentHistory, type WebhookHistory } from './history.ts';
import {
  decodeCursor,
  encodeCursor,
  parseSearchQuery,
  searchSql,
  type OperationRef,
  type SearchQuery,
} from './query.ts';

export interface SearchRoutesDeps {
  store: Store;
  config: ServerConfig;
  /** The merchant API key check. */
  merchantOnly: MiddlewareHandler;
  /** The webhooks delivered for a payment, once the backend keeps a webhook log. */
  webhookHistory?: WebhookHistory;
}

export type OperationItem =
  | (PaymentView & { customer_email?: string })
  | (RefundView & { type: 'refund'; method?: string; session_id?: string; customer_email?: string });

function rowsOf(result: unknown): Record<string, unknown>[] {
  return Array.isArray(result) ? result : ((result as { rows: Record<string, unknown>[] }).rows ?? []);
}

export async function searchPage(
  store: Store,
  config: ServerConfig,
  q: SearchQuery,
): Promise<{ data: OperationItem[]; next_cursor: string | null }> {
  const refs: OperationRef[] = rowsOf(await store.db.execute(searchSql(q))).map((r) => ({
    kind: r.kind as OperationRef['kind'],
    id: String(r.id),
    createdAt: new Date(r.created_at as string | Date),
  }));
  const page = refs.slice(0, q.limit);
  const refundIds = page.filter((r) => r.kind === 'refund').map((r) => r.id);
  const refundRows: RefundRow[] = refundIds.length
    ? await store.db.select().from(refunds).where(inArray(refunds.id, refundIds))
    : [];
  const paymentIds = [
    ...new Set([
      ...page.filter((r) => r.kind === 'payment').map((r) => r.id),
      ...refundRows.map((r) => r.paymentId),
    ]),
  ];
  const paymentRows: PaymentRow[] = paymentIds.length
    ? await store.db.select().from(payments).where(inArray(payments.id, paymentIds))
    : [];
  const byPayment = new Map(paymentRows.map((p) => [p.id, p]));
  const sessionIds = [...new Set(paymentRows.map((p) => p.sessionId).filter((s): s is string => !!s))];
  const emails = new Map<string, string>();
  if (sessionIds.length) {
    const rows = await store.db
      .select({ id: sessions.id, email: sql<string | null>`${sessions.customer}->>'email'` })
      .from(sessions)
      .where(inArray(sessions.id, sessionIds));
    for (const r of rows) if (r.email) emails.set(r.id, r.email);
  }
  const byRefund = new Map(refundRows.map((r) => [r.id, r]));
  const data: OperationItem[] = [];
  for (const ref of page) {
    if (ref.kind === 'payment') {
      const p = byPayment.get(ref.id);
      if (!p) continue;
      const email = p.sessionId ? emails.get(p.sessionId) : undefined;
      data.push({
        ...paymentView(p, { devHosts: config.redirectDevHosts, merchant: true }),
        ...(email ? { customer_email: email } : {}),
      });
    } else {
      const r = byRefund.get(ref.id);
      if (!r) continue;
      const p = byPayment.get(r.paymentId);
      const email = p?.sessionId ? emails.get(p.sessionId) : undefined;
      data.push({
        ...refundView(r),
        type: 'refund',
        ...(p?.method ? { method: p.method } : {}),
        ...(p?.sessionId ? { session_id: p.sessionId } : {}),
        ...(email ? { customer_email: email } : {}),
      });
    }
  }
  const last = page[page.length - 1];
  return { data, next_cursor: refs.length > q.limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

const EXPORT_COLUMNS = [
  'id',
  'type',
  'payment_id',
  'session_id',
  'customer_email',
  'method',
  'amount',
  'currency',
  'status',
  'refunded_amount',
  'code',
  'message',
  'created_at',
  'updated_at',
] as const;

function exportCells(item: OperationItem): (string | number | undefined)[] {
  const currency = item.currency as Currency;
  const major = (n: number | undefined) => (n === undefined ? undefined : toMajorString(n, currency));
  const refund = item.type === 'refund' ? item : null;
  const payment = item.type === 'refund' ? null : item;
  return [
    item.id,
    item.type,
    refund ? refund.payment_id : undefined,
    item.session_id,
    item.customer_email,
    item.method,
    major(item.amount),
    item.currency,
    item.status,
    major(payment?.refunded_amount),
    item.code,
    item.message,
    item.created_at,
    item.updated_at,
  ];
}

/** Rows per page while exporting: the export holds one page in memory at a time. */
const EXPORT_PAGE = 100;

export function registerSearchRoutes<E extends Env>(app: Hono<E>, deps: SearchRoutesDeps): void {
  const { store, config, merchantOnly } = deps;

  app.get('/api/merchant/payments', merchantOnly, async (c) => {
    const q = parseSearchQuery((name) => c.req.query(name));
    c.header('Cache-Control', 'no-store');
    return c.json(await searchPage(store, config, q));
  });

  app.get('/api/merchant/payments/:id/history', merchantOnly, async (c) => {
    const id = c.req.param('id');
    const [p] = await store.db
      .select()
      .from(payments)
      .where(inArray(payments.id, [id]));
    if (!p) throw notFound('payment', id);
    const view = maskSecrets(
      paymentView(p, { devHosts: config.redirectDevHosts, merchant: true }),
    ) as PaymentView;
    c.header('Cache-Control', 'no-store');
    return c.json(await paymentHistory(store, p, view, deps.webhookHistory));
  });

  app.get('/api/merchant/exports/payments.csv', merchantOnly, async (c) => {
    const first = parseSearchQuery((name) => (name === 'limit' ? undefined : c.req.query(name)));
    // Validated before the first byte: a bad filter is a 400, not a broken download.
    const firstPage = await searchPage(store, config, { ...first, limit: EXPORT_PAGE });
    const date = new Date().toISOString().slice(0, 10);
    for (const [k, v] of Object.entries(csvHeaders(`payments-${date}.csv`))) c.header(k, v);
    return stream(c, async (s) => {
      await s.write(csvLine(EXPORT_COLUMNS));
      let page = firstPage;
      for (;;) {
        await s.write(page.data.map((item) => csvLine(exportCells(item))).join(''));
        if (!page.next_cursor || s.aborted) break;
        page = await searchPage(store, config, {
          ...first,
          limit: EXPORT_PAGE,
          cursor: decodeCursor(page.next_cursor),
        });
      }
    });
  });
}
