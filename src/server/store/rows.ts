/**
 * The rows as the hand-written statements write and read them: column lists (name and Postgres type, in
 * the order of the statements' parameters), the conversion of a value to a parameter, and of a driver's
 * row (snake_case; int8 as a number or a string) back to the typed row.
 *
 * Plain PostgreSQL that PGlite and node-postgres both run: every parameter is cast to its column's type
 * (PGlite infers types from the statement, and a text parameter compared with a `timestamptz` would not
 * compare as one), jsonb goes as JSON text (node-postgres would send a JS array as a Postgres array),
 * timestamps as ISO strings.
 */
import type { NewPaymentRow, PaymentRow, SessionRow } from '../db/schema.ts';

export const PAYMENT_COLUMNS: readonly (readonly [keyof PaymentRow, string])[] = [
  ['id', 'text'],
  ['sessionId', 'text'],
  ['channel', 'text'],
  ['type', 'text'],
  ['method', 'text'],
  ['amount', 'bigint'],
  ['currency', 'text'],
  ['status', 'text'],
  ['version', 'integer'],
  ['idemScope', 'text'],
  ['idempotencyKey', 'text'],
  ['fingerprint', 'text'],
  ['customerId', 'text'],
  ['description', 'text'],
  ['gateState', 'text'],
  ['sendAttempts', 'integer'],
  ['sendingSince', 'timestamptz'],
  ['requestId', 'text'],
  ['redirect', 'jsonb'],
  ['clarificationFields', 'jsonb'],
  ['clarificationSent', 'boolean'],
  ['vouchers', 'jsonb'],
  ['code', 'text'],
  ['message', 'text'],
  ['refundedAmount', 'bigint'],
  ['statusCheckedAt', 'timestamptz'],
  ['lastCallbackAt', 'timestamptz'],
  ['createdAt', 'timestamptz'],
  ['updatedAt', 'timestamptz'],
  ['reviewReason', 'text'],
];

export const SESSION_COLUMNS: readonly (readonly [keyof SessionRow, string])[] = [
  ['id', 'text'],
  ['prices', 'jsonb'],
  ['customer', 'jsonb'],
  ['description', 'text'],
  ['methods', 'jsonb'],
  ['returnUrl', 'text'],
  ['locale', 'text'],
  ['expiresAt', 'timestamptz'],
  ['createdAt', 'timestamptz'],
];

export const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** `a, b, c` for a column list. */
export const columnNames = (columns: readonly (readonly [string, string])[]) =>
  columns.map(([k]) => snake(k)).join(', ');

/** `$1::text, $2::bigint, …` for a column list. */
export const columnParams = (columns: readonly (readonly [string, string])[]) =>
  columns.map(([, type], i) => `$${i + 1}::${type}`).join(', ');

/** A value as a parameter of a column of type `kind`. */
export function toParam(value: unknown, kind: string): unknown {
  if (value === null || value === undefined) return null;
  if (kind === 'timestamptz') return (value as Date).toISOString();
  if (kind === 'jsonb') return JSON.stringify(value);
  return value;
}

/** A row as the drivers answer it → the typed row. */
function rowReader<T>(columns: readonly (readonly [string, string])[]): (row: Record<string, unknown>) => T {
  const fields = columns.map(([key, kind]) => [key, snake(key), kind] as const);
  return (row) => {
    const out: Record<string, unknown> = {};
    for (const [key, column, kind] of fields) {
      const v = row[column] ?? null;
      // jsonb comes parsed from both drivers.
      if (v === null) out[key] = null;
      else if (kind === 'timestamptz') out[key] = toDate(v);
      else if (kind === 'bigint') out[key] = Number(v);
      else out[key] = v;
    }
    return out as T;
  };
}

export const paymentFromRow = rowReader<PaymentRow>(PAYMENT_COLUMNS);
export const sessionFromRow = rowReader<SessionRow>(SESSION_COLUMNS);

/** A timestamp as either driver answers it (PGlite: text with drizzle's parsers installed; pg: a Date). */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(value as string);
}

/** The columns a new payment row leaves empty, so that an inserted row can be completed without a read. */
const EMPTY_PAYMENT_COLUMNS = {
  sessionId: null,
  method: null,
  idempotencyKey: null,
  fingerprint: null,
  description: null,
  sendingSince: null,
  requestId: null,
  redirect: null,
  clarificationFields: null,
  vouchers: null,
  code: null,
  message: null,
  statusCheckedAt: null,
  lastCallbackAt: null,
  reviewReason: null,
} satisfies { [K in keyof PaymentRow as null extends PaymentRow[K] ? K : never]-?: null };

/** The stored row of an inserted `NewPaymentRow` (every NOT NULL column is required there, without defaults). */
export function completePaymentRow(row: NewPaymentRow): PaymentRow {
  const out: Record<string, unknown> = { ...EMPTY_PAYMENT_COLUMNS };
  for (const [k, v] of Object.entries(row)) if (v !== undefined) out[k] = v;
  return out as PaymentRow;
}
