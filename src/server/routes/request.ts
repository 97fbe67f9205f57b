/**
 * What the route modules share: the Hono environment, reading and validating a request (JSON body,
 * query numbers, the Idempotency-Key, the client's IP), cursors, and refusing text Postgres cannot store.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type { RequestIdVariables } from 'hono/request-id';
import * as z from 'zod/mini';
import { validationError } from '../../core/api.ts';
import type { ServerConfig } from '../config.ts';
import { ApiError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Service } from '../service/index.ts';
import type { Store } from '../store/index.ts';

export type Env = { Variables: RequestIdVariables; Bindings: HttpBindings | undefined };

/** What every route module is built from. */
export interface RouteParts {
  config: ServerConfig;
  service: Service;
  store: Store;
  log: Logger;
  now: () => number;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const PLAIN_TYPE = /^text\/plain\s*(?:;|$)/i;

export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** The customer's IP: X-Forwarded-For only behind a trusted proxy, else the socket's address. */
export function clientIp(c: Context<Env>, trustProxy: boolean): string {
  if (trustProxy) {
    const first = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (first && isIP(first)) return first;
  }
  const addr = c.env?.incoming?.socket?.remoteAddress;
  if (addr) {
    const plain = addr.startsWith('::ffff:') ? addr.slice(7) : addr;
    if (isIP(plain)) return plain;
  }
  // app.request() in tests has no socket.
  return '127.0.0.1';
}

/** The `Idempotency-Key` header; or `?idempotency_key=` (a CORS-simple request can send no custom header). */
export function idempotencyKey(c: Context<Env>): string | null {
  const key = c.req.header('idempotency-key') ?? c.req.query('idempotency_key');
  if (key === undefined) return null;
  const trimmed = key.trim();
  if (trimmed === '' || trimmed.length > 255 || !/^[\x21-\x7e]+$/.test(trimmed)) {
    throw new ApiError(
      400,
      'validation_error',
      'Idempotency-Key: 1–255 visible ASCII characters',
      'Idempotency-Key',
    );
  }
  return trimmed;
}

/**
 * The JSON body. `plainText`: `Content-Type: text/plain` carrying JSON is accepted too — a CORS-simple request,
 * which a browser sends without a preflight round trip (the widget's payment POST).
 */
export async function readJson(
  c: Context<Env>,
  opts: { optional?: boolean; plainText?: boolean } = {},
): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') {
    if (opts.optional) return {};
    throw new ApiError(400, 'invalid_json', 'The request body is empty; send a JSON object');
  }
  const type = c.req.header('content-type') ?? '';
  if (!JSON_TYPE.test(type) && !(opts.plainText && PLAIN_TYPE.test(type))) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      `Send Content-Type: application/json (got "${type || 'none'}")`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError(
      400,
      'invalid_json',
      `The body is not valid JSON: ${error instanceof Error ? error.message : 'parse error'}`,
    );
  }
  const bad = unstorableTextPath(value);
  if (bad !== null) throw unstorableText(bad);
  return value;
}

/** U+0000, or a UTF-16 surrogate without its pair (not Unicode text: JSON escapes it, Postgres refuses it). */
// eslint-disable-next-line no-control-regex -- NUL is what it looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Where the first string (or key) that Postgres cannot store is, as a path like `customer.first_name`, or
 * null: Postgres keeps no NUL in text and no unpaired surrogate in jsonb, and no client has a reason to send
 * either. Iterative: a body may nest tens of thousands of levels deep.
 */
export function unstorableTextPath(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, '']];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [item, path] = top;
    if (typeof item === 'string') {
      if (UNSTORABLE.test(item)) return path || '(body)';
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item).reverse()) {
        const at = path ? `${path}.${key}` : key;
        if (UNSTORABLE.test(key)) return at;
        stack.push([child, at]);
      }
    }
  }
  return null;
}

export function unstorableText(path: string): ApiError {
  return new ApiError(
    400,
    'validation_error',
    `${path}: text may not contain NUL characters or unpaired surrogates`,
    path,
  );
}

export function parse<T>(schema: z.ZodMiniType<T>, value: unknown): T {
  const r = z.safeParse(schema, value);
  if (r.success) return r.data;
  const body = validationError(r.error);
  throw new ApiError(400, body.error.code, body.error.message, body.error.field);
}

export function queryNumber(
  c: Context<Env>,
  name: string,
  opts: { min: number; max: number; integer: boolean },
): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (
    !/^\d+(\.\d+)?$/.test(raw) ||
    !Number.isFinite(n) ||
    n < opts.min ||
    n > opts.max ||
    (opts.integer && !Number.isInteger(n))
  ) {
    throw new ApiError(
      400,
      'validation_error',
      `${name}: expected ${opts.integer ? 'a whole number' : 'a number'} from ${opts.min} to ${opts.max}`,
      name,
    );
  }
  return n;
}

export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

export function decodeCursor(text: string): { createdAt: Date; id: string } {
  try {
    const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    // Only what encodeCursor writes: an ISO time in years 0001–9999 (Postgres's range, as written back by
    // toISOString) and a payment id.
    if (
      Array.isArray(v) &&
      typeof v[0] === 'string' &&
      typeof v[1] === 'string' &&
      /^(?!0000)\d{4}-/.test(v[0]) &&
      /^[a-z]+_[0-9a-f]{32}$/.test(v[1])
    ) {
      const d = new Date(v[0]);
      if (!Number.isNaN(d.getTime()) && d.toISOString() === v[0]) return { createdAt: d, id: v[1] };
    }
  } catch {
    // fall through
  }
  throw new ApiError(400, 'validation_error', 'cursor: not a cursor this API gave out', 'cursor');
}
