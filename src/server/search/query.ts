/**
 * The merchant's search over payments, payouts and refunds (`GET /api/merchant/payments`): the query
 * string, validated with zod, and the SQL that answers it, one cursor page at a time.
 *
 * Purchases and payouts live in `payments`, refunds in `refunds`; a search with no `type` (or
 * `type=refund`) reads both as one list of operations ordered by (created_at, id), newest first. Each
 * filter is pushed into both halves, so each half uses its own index (migration `console_search`).
 */
import { sql, type SQL } from 'drizzle-orm';
import * as z from 'zod/mini';
import { METHOD_IDS, type MethodId } from '../../core/methods/index.ts';
import { CURRENCIES, exponentOf, type Currency } from '../../core/money.ts';
import { PAYMENT_STATES } from '../../core/status.ts';
import { ApiError } from '../errors.ts';
import { decodeCursor } from '../routes/request.ts';

export const OPERATION_TYPES = ['purchase', 'payout', 'refund'] as const;
export type OperationType = (typeof OPERATION_TYPES)[number];
export const REFUND_STATUSES = ['sending', 'pending', 'unknown', 'success', 'decline', 'error'] as const;
const STATUSES = [...new Set<string>([...PAYMENT_STATES, ...REFUND_STATUSES])];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface SearchQuery {
  q?: string;
  id?: string;
  sessionId?: string;
  email?: string;
  amount?: number;
  currency?: Currency;
  method?: MethodId;
  status?: string;
  type?: OperationType;
  createdFrom?: Date;
  /** Exclusive. */
  createdTo?: Date;
  limit: number;
  cursor?: { createdAt: Date; id: string };
}

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

const fields = {
  q: [text(200), 'at most 200 characters'],
  id: [text(100), 'a payment, payout or refund id'],
  session_id: [text(100), 'a session id'],
  email: [z.email(), 'an e-mail address'],
  amount: [z.string().check(z.regex(/^\d{1,15}$/)), 'a whole amount in minor units'],
  currency: [z.enum(CURRENCIES as [Currency, ...Currency[]]), `one of ${CURRENCIES.join(', ')}`],
  method: [z.enum(METHOD_IDS as [MethodId, ...MethodId[]]), `one of ${METHOD_IDS.join(', ')}`],
  status: [z.enum(STATUSES as [string, ...string[]]), `one of ${STATUSES.join(', ')}`],
  type: [z.enum(OPERATION_TYPES), 'use purchase, payout or refund'],
  created_from: [
    z.string().check(z.refine((v) => parseTime(v) !== null)),
    'a date (YYYY-MM-DD) or an ISO time',
  ],
  created_to: [
    z.string().check(z.refine((v) => parseTime(v) !== null)),
    'a date (YYYY-MM-DD) or an ISO time',
  ],
  limit: [
    z.string().check(
      z.regex(/^\d+$/),
      z.refine((v) => +v >= 1 && +v <= 100),
    ),
    'a whole number from 1 to 100',
  ],
} as const;

export const SEARCH_PARAMS = [...Object.keys(fields), 'cursor'] as const;

function parseTime(v: string): Date | null {
  if (!DAY.test(v) && !/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(v)) return null;
  const d = new Date(DAY.test(v) ? `${v}T00:00:00Z` : v);
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1 || d.getUTCFullYear() > 9999 ? null : d;
}

/** Validates the query string (`get(name)` → its value); every problem is a 400 naming the parameter. */
export function parseSearchQuery(get: (name: string) => string | undefined): SearchQuery {
  const v: Record<string, string> = {};
  for (const [name, [schema, hint]] of Object.entries(fields)) {
    const raw = get(name);
    if (raw === undefined || raw === '') continue;
    const r = z.safeParse(schema as z.ZodMiniType<string>, raw);
    if (!r.success) throw new ApiError(400, 'validation_error', `${name}: expected ${hint}`, name);
    v[name] = r.data;
  }
  const day = (s: string | undefined, end: boolean): Date | undefined => {
    if (s === undefined) return undefined;
    const d = parseTime(s) as Date;
    // A day given as created_to includes the whole day.
    return end && DAY.test(s) ? new Date(d.getTime() + 86_400_000) : d;
  };
  const cursorText = get('cursor');
  const query: SearchQuery = { limit: v.limit ? Number(v.limit) : 20 };
  if (v.q) query.q = v.q;
  if (v.id) query.id = v.id;
  if (v.session_id) query.sessionId = v.session_id;
  if (v.email) query.email = v.email.toLowerCase();
  if (v.amount) query.amount = Number(v.amount);
  if (v.currency) query.currency = v.currency as Currency;
  if (v.method) query.method = v.method as MethodId;
  if (v.status) query.status = v.status;
  if (v.type) query.type = v.type as OperationType;
  const from = day(v.created_from, false);
  const to = day(v.created_to, true);
  if (from) query.createdFrom = from;
  if (to) query.createdTo = to;
  if (from && to && from >= to)
    throw new ApiError(400, 'validation_error', 'created_to: must be after created_from', 'created_to');
  if (cursorText !== undefined && cursorText !== '') query.cursor = decodeCursor(cursorText);
  return query;
}

export { decodeCursor, encodeCursor } from '../routes/request.ts';

/** Which half a row came from, and its place in the order. */
export interface OperationRef {
  kind: 'payment' | 'refund';
  id: string;
  createdAt: Date;
}

/**
 * What the free-text `q` can mean: an id (payment, payout, refund or session), an e-mail, or an amount in
 * major units ("1500", "1,500.00") — matched in every currency, each with its own minor-unit exponent.
 */
function freeText(q: string, half: 'payment' | 'refund'): SQL {
  const idCol = half === 'payment' ? sql`p.id` : sql`r.id`;
  const parts: SQL[] = [sql`${idCol} = ${q}`, sql`p.session_id = ${q}`];
  if (half === 'refund') parts.push(sql`r.payment_id = ${q}`);
  if (q.includes('@')) parts.push(sql`lower(s.customer->>'email') = ${q.toLowerCase()}`);
  const major = q.replace(/[,\s]/g, '');
  if (/^\d{1,12}(\.\d{1,3})?$/.test(major)) {
    const amountCol = half === 'payment' ? sql`p.amount` : sql`r.amount`;
    const curCol = half === 'payment' ? sql`p.currency` : sql`r.currency`;
    for (const exp of [0, 2, 3]) {
      const [whole, frac = ''] = major.split('.');
      if (frac.replace(/0+$/, '').length > exp) continue;
      const minor = Number(`${whole}${frac.padEnd(exp, '0').slice(0, exp)}`);
      const currencies = CURRENCIES.filter((c) => exponentOf(c) === exp);
      if (currencies.length > 0)
        parts.push(
          sql`(${amountCol} = ${minor} AND ${curCol} IN (${sql.join(
            currencies.map((c) => sql`${c}`),
            sql`, `,
          )}))`,
        );
    }
  }
  return sql`(${sql.join(parts, sql` OR `)})`;
}

function half(q: SearchQuery, which: 'payment' | 'refund'): SQL {
  const w: SQL[] = [];
  const t = which === 'payment' ? sql`p` : sql`r`;
  if (which === 'payment' && q.type && q.type !== 'refund') w.push(sql`p.type = ${q.type}`);
  if (which === 'refund') w.push(sql`p.id = r.payment_id`);
  if (q.id)
    w.push(which === 'payment' ? sql`p.id = ${q.id}` : sql`(r.id = ${q.id} OR r.payment_id = ${q.id})`);
  if (q.sessionId) w.push(sql`p.session_id = ${q.sessionId}`);
  if (q.email)
    w.push(sql`p.session_id IN (SELECT id FROM sessions WHERE lower(customer->>'email') = ${q.email})`);
  if (q.amount !== undefined) w.push(sql`${t}.amount = ${q.amount}`);
  if (q.currency) w.push(sql`${t}.currency = ${q.currency}`);
  if (q.method) w.push(sql`p.method = ${q.method}`);
  if (q.status) w.push(sql`${t}.status = ${q.status}`);
  if (q.createdFrom) w.push(sql`${t}.created_at >= ${q.createdFrom.toISOString()}::timestamptz`);
  if (q.createdTo) w.push(sql`${t}.created_at < ${q.createdTo.toISOString()}::timestamptz`);
  if (q.cursor)
    w.push(
      sql`(${t}.created_at, ${t}.id) < (${q.cursor.createdAt.toISOString()}::timestamptz, ${q.cursor.id})`,
    );
  if (q.q) w.push(freeText(q.q, which));
  const from =
    which === 'payment'
      ? sql`payments p LEFT JOIN sessions s ON s.id = p.session_id`
      : sql`refunds r, payments p LEFT JOIN sessions s ON s.id = p.session_id`;
  const where = w.length > 0 ? sql` WHERE ${sql.join(w, sql` AND `)}` : sql``;
  const kind = which === 'payment' ? sql`'payment'` : sql`'refund'`;
  return sql`(SELECT ${kind} AS kind, ${t}.id AS id, ${t}.created_at AS created_at FROM ${from}${where} ORDER BY ${t}.created_at DESC, ${t}.id DESC LIMIT ${q.limit + 1})`;
}

/** The SQL of one page (limit + 1 rows, so the caller knows whether there is a next page). */
export function searchSql(q: SearchQuery): SQL {
  const wantPayments = q.type !== 'refund';
  // Without a type the list is what it always was, purchases and payouts; refunds are `type=refund`.
  const wantRefunds = q.type === 'refund';
  const halves: SQL[] = [];
  if (wantPayments) halves.push(half(q, 'payment'));
  if (wantRefunds) halves.push(half(q, 'refund'));
  return sql`SELECT kind, id, created_at FROM (${sql.join(halves, sql` UNION ALL `)}) ops ORDER BY created_at DESC, id DESC LIMIT ${q.limit + 1}`;
}
