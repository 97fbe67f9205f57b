/**
 * The signing backend's HTTP app (Hono). See docs/architecture.md for the routes. Every input is
 * validated with the core's schemas; every error is `{error: {code, message, field?}}` with a 4xx/5xx.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { requestId, type RequestIdVariables } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import * as z from 'zod/mini';
import {
  clarificationRequestSchema,
  createPaymentRequestSchema,
  createSessionRequestSchema,
  parseMethodFields,
  paymentPageRequestSchema,
  payoutRequestSchema,
  refundRequestSchema,
  validationError,
} from '../core/api.ts';
import { createCatalog, type Catalog } from '../core/methods/index.ts';
import { verifyCallbackText } from '../core/signature.ts';
import type { ServerConfig } from './config.ts';
import { ApiError } from './errors.ts';
import { GateClient } from './gate.ts';
import { FixedWindowLimiter } from './limiter.ts';
import { createLogger, type Logger } from './logger.ts';
import { buildOpenApi } from './openapi.ts';
import { BULK_PATH, BulkRunner, registerConsoleRoutes } from './console-routes.ts';
import { newId, Service } from './service.ts';
import { Store } from './store.ts';
import { parseGateMessage } from './updates.ts';
import { refundView } from './views.ts';

export interface ServerDeps {
  /** Outgoing requests to the Gate (tests route them to the sandbox in process). */
  fetch?: typeof fetch;
  /** Clock for timestamps, status checks and limit times. */
  now?: () => number;
  // ── additions to docs/architecture.md ───────────────────────────────────────────────────────────
  /** A store to use instead of opening `config.database` (it is then not closed by `close()`). */
  store?: Store;
  /** Where log lines go (default stdout). */
  logSink?: (line: string) => void;
  /** Run the status sweeper on a timer (default true; tests call `sweep()` instead). */
  autoSweep?: boolean;
}

export interface BackendServer {
  app: Hono<Env>;
  close(): Promise<void>;
  // ── additions to docs/architecture.md ───────────────────────────────────────────────────────────
  store: Store;
  service: Service;
  /** One sweeper pass: asks the Gate about payments whose callback is late. Returns how many were due. */
  sweep(): Promise<number>;
}

type Env = { Variables: RequestIdVariables; Bindings: HttpBindings | undefined };

const MAX_WAIT_S = 30;
/** How long a payment request may be held for the payment's next step (`POST …/payments?wait=`). */
const MAX_CREATE_WAIT_S = 10;
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

export async function createServer(config: ServerConfig, deps: ServerDeps = {}): Promise<BackendServer> {
  const now = deps.now ?? Date.now;
  const log = createLogger({
    level: config.logLevel,
    redact: [config.secretKey, config.merchantApiKey],
    ...(deps.logSink ? { sink: deps.logSink } : {}),
  });
  const ownStore = !deps.store;
  const store = deps.store ?? (await Store.open(config.database, { log }));
  const catalog: Catalog = createCatalog({
    testProject: config.testProject,
    advcashPaymentPageCode: config.advcashPaymentPageCode,
    ...(config.jetonCurrencies ? { jetonCurrencies: config.jetonCurrencies } : {}),
  });
  const gate = new GateClient({
    config,
    fetch: deps.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    log,
  });
  const service = new Service({ config, store, gate, catalog, log, now });

  const runner = new BulkRunner({ store, ops: service, log, now });
  const app = buildApp({ config, service, store, log, now, runner });

  let sweeping: Promise<number> | null = null;
  const sweep = (): Promise<number> => {
    // One pass at a time per instance; across instances the per-payment claim keeps checks single.
    sweeping ??= service.sweep().finally(() => {
      sweeping = null;
    });
    return sweeping;
  };
  let timer: ReturnType<typeof setInterval> | null = null;
  if (deps.autoSweep !== false) {
    timer = setInterval(() => {
      void sweep().catch((error: unknown) => log.error('sweeper.failed', { error: String(error) }));
    }, config.sweepIntervalMs);
    timer.unref();
  }

  let closed = false;
  return {
    app,
    store,
    service,
    sweep,
    close: async () => {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      service.stop();
      await runner.stop();
      await sweeping?.catch(() => undefined);
      if (ownStore) await store.close();
    },
  };
}

interface AppParts {
  config: ServerConfig;
  service: Service;
  store: Store;
  log: Logger;
  now: () => number;
  runner: BulkRunner;
}

function buildApp({ config, service, store, log, now, runner }: AppParts): Hono<Env> {
  const app = new Hono<Env>();
  const allowedOrigins = new Set(config.allowedOrigins);
  const apiKeyDigest = digest(config.merchantApiKey);
  let openapi: Record<string, unknown> | null = null;

  app.use(requestId());
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    log.info('http.request', {
      request_id: c.var.requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  });
  app.use(secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }));

  // CORS only for the configured origins; any other origin gets no CORS headers at all.
  const corsMiddleware = cors({
    origin: (origin) => (allowedOrigins.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Idempotency-Key'],
    exposeHeaders: ['X-Request-Id', 'Retry-After'],
    maxAge: 600,
  });
  app.use('/api/*', async (c, next) => {
    const origin = c.req.header('origin');
    if (origin !== undefined && allowedOrigins.has(origin)) return corsMiddleware(c, next);
    if (c.req.method === 'OPTIONS' && origin !== undefined) {
      throw new ApiError(403, 'origin_not_allowed', `Origin ${origin} is not allowed`);
    }
    return next();
  });

  // Postgres cannot store U+0000 in text: a NUL in an id or a query parameter is refused here, not by the
  // database with a 500.
  app.use('/api/*', async (c, next) => {
    if (/%00/i.test(c.req.url)) {
      throw new ApiError(400, 'validation_error', 'The URL contains a NUL character (%00)', 'url');
    }
    await next();
  });

  const generalBodyLimit = bodyLimit({
    maxSize: config.bodyLimitBytes,
    onError: (c) =>
      c.json(
        {
          error: {
            code: 'body_too_large',
            message: `The request body is larger than ${config.bodyLimitBytes} bytes`,
          },
        },
        413,
      ),
  });
  // Bulk files have their own, larger limit (console-routes.ts).
  app.use('/api/*', (c, next) => (c.req.path === BULK_PATH ? next() : generalBodyLimit(c, next)));

  const limiter = new FixedWindowLimiter({ limit: config.rateLimitPerMinute, windowMs: 60_000, now });
  const rateLimited =
    (route: string): MiddlewareHandler<Env> =>
    async (c, next) => {
      const r = limiter.hit(`${clientIp(c, config.trustProxy)} ${route}`);
      c.header('RateLimit-Limit', String(r.limit));
      c.header('RateLimit-Remaining', String(r.remaining));
      if (!r.allowed) {
        const retry = String(Math.max(1, Math.ceil(r.resetMs / 1000)));
        throw new ApiError(429, 'rate_limited', `Too many requests; retry in ${retry} s`, undefined, {
          'Retry-After': retry,
        });
      }
      await next();
    };

  const merchantOnly: MiddlewareHandler<Env> = async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    // Compare digests: equal length, constant time, and the key's length is not revealed.
    if (!m || !timingSafeEqual(digest(m[1] as string), apiKeyDigest)) {
      throw new ApiError(
        401,
        'unauthorized',
        m ? 'The API key is wrong' : 'Send Authorization: Bearer <MERCHANT_API_KEY>',
        undefined,
        {
          'WWW-Authenticate': 'Bearer',
        },
      );
    }
    await next();
  };

  // ── health and docs ──────────────────────────────────────────────────────────────────────────
  app.get('/api/health', async (c) => {
    try {
      if (await store.health()) return c.json({ status: 'ok', db: store.kind });
    } catch (error) {
      log.error('health.db_failed', { error: String(error) });
    }
    return c.json(
      { status: 'error', error: { code: 'db_unavailable', message: 'The database does not answer' } },
      503,
    );
  });
  app.get('/api/openapi.json', (c) => {
    openapi ??= buildOpenApi(config.publicBaseUrl);
    return c.json(openapi);
  });

  // ── sessions (merchant creates, browser reads) ─────────────────────────────────────────────────
  app.post('/api/sessions', merchantOnly, async (c) => {
    const req = parse(createSessionRequestSchema, await readJson(c));
    return c.json(await service.createSession(req), 201);
  });

  app.get('/api/sessions/:id', rateLimited('session.read'), async (c) => {
    const session = await service.getSession(c.req.param('id'));
    return c.json(await service.sessionViewOf(session));
  });

  app.post('/api/sessions/:id/payments', rateLimited('payment.create'), async (c) => {
    const key = idempotencyKey(c);
    const req = parse(createPaymentRequestSchema, await readJson(c));
    const session = await service.getSession(c.req.param('id'));
    service.priceFor(session, req.method, req.currency);
    const fields = parseMethodFields(req.method, req.currency, req.fields ?? {}, service.catalog);
    if (!fields.ok) {
      const [first] = fields.issues;
      const field = first?.field ? `fields.${first.field}` : 'fields';
      throw new ApiError(400, 'validation_error', `${field}: ${first?.message ?? 'invalid'}`, field);
    }
    const wait = queryNumber(c, 'wait', { min: 0, max: MAX_CREATE_WAIT_S, integer: false });
    const result = await service.createPurchase({
      session,
      req,
      fields: fields.data,
      idempotencyKey: key,
      ip: clientIp(c, config.trustProxy),
    });
    // `?wait=N`: the answer waits (up to N s) for the payment's next step — the Gate's callback with the
    // redirect, a clarification, a final status — so the browser goes on without asking again. The
    // payment exists either way; after N s the answer says `wait` and the browser long-polls as before.
    let view = result.view;
    if (wait && view.next_action.type === 'wait') {
      const p = await service.waitForPayment(view.id, view.version, wait * 1000, c.req.raw.signal);
      view = service.view(p);
    }
    return c.json(view, result.created ? 201 : 200);
  });

  app.post('/api/sessions/:id/payment-page', rateLimited('payment_page'), async (c) => {
    const req = parse(paymentPageRequestSchema, await readJson(c, { optional: true }));
    return c.json(await service.paymentPage(c.req.param('id'), req));
  });

  // ── payments (browser) ─────────────────────────────────────────────────────────────────────────
  app.get('/api/payments/:id', rateLimited('payment.read'), async (c) => {
    const wait = queryNumber(c, 'wait', { min: 0, max: MAX_WAIT_S, integer: false });
    const version = queryNumber(c, 'version', { min: 0, max: 2 ** 31, integer: true });
    const p = await service.waitForPayment(c.req.param('id'), version, (wait ?? 0) * 1000, c.req.raw.signal);
    c.header('Cache-Control', 'no-store');
    return c.json(service.view(p));
  });

  app.post('/api/payments/:id/clarification', rateLimited('payment.clarification'), async (c) => {
    const req = parse(clarificationRequestSchema, await readJson(c));
    return c.json(await service.clarify(c.req.param('id'), req));
  });

  // ── callbacks (ecommpay) ───────────────────────────────────────────────────────────────────────
  app.post('/api/callbacks/ecommpay', async (c) => {
    const raw = await c.req.text();
    // The signature is checked before anything is stored.
    const verified = await verifyCallbackText(raw, config.secretKey);
    if (!verified.ok) {
      log.warn('callback.rejected', {
        request_id: c.var.requestId,
        reason: verified.reason,
        bytes: raw.length,
      });
      if (verified.reason === 'bad_signature')
        throw new ApiError(403, 'invalid_signature', 'The callback signature is not valid');
      if (verified.reason === 'missing_signature')
        throw new ApiError(400, 'missing_signature', 'The callback is not signed');
      throw new ApiError(400, 'invalid_json', 'The callback body is not a JSON object');
    }
    // Genuine Gate messages never carry these; stored, they would fail the transaction on every retry.
    const bad = unstorableTextPath(verified.data);
    if (bad !== null) {
      log.warn('callback.rejected', { request_id: c.var.requestId, reason: 'unstorable_text', field: bad });
      throw unstorableText(bad);
    }
    const update = parseGateMessage(verified.data);
    if (update.projectId !== undefined && update.projectId !== config.projectId) {
      log.warn('callback.wrong_project', { project_id: update.projectId });
      throw new ApiError(400, 'wrong_project', `The callback is for project ${update.projectId}`);
    }
    const result = await service.recordGateMessage(raw, verified.data, 'callback');
    return c.json({ status: 'ok', duplicate: result.duplicate });
  });

  // ── merchant ───────────────────────────────────────────────────────────────────────────────────
  app.post('/api/merchant/payouts', merchantOnly, async (c) => {
    const key = idempotencyKey(c);
    const req = parse(payoutRequestSchema, await readJson(c));
    const result = await service.createPayout(
      req,
      key,
      req.customer.ip_address ?? clientIp(c, config.trustProxy),
    );
    return c.json(result.view, result.created ? 201 : 200);
  });

  app.post('/api/merchant/payments/:id/refunds', merchantOnly, async (c) => {
    const key = idempotencyKey(c);
    const req = parse(refundRequestSchema, await readJson(c));
    const result = await service.createRefund(c.req.param('id'), req, key);
    return c.json(result.view, result.created ? 201 : 200);
  });

  // Search, history, CSV export, bulk payouts and refunds.
  registerConsoleRoutes(app, {
    store,
    config,
    catalog: service.catalog,
    runner,
    merchantOnly,
    clientIp: (c) => clientIp(c as Context<Env>, config.trustProxy),
    newId,
  });

  app.get('/api/merchant/payments/:id', merchantOnly, async (c) => {
    const p = await service.getPayment(c.req.param('id'), { includePayouts: true });
    const refunds = await store.listRefunds(p.id);
    return c.json({
      ...service.view(p),
      customer_id: p.customerId,
      channel: p.channel,
      ...(p.requestId ? { request_id: p.requestId } : {}),
      refunds: refunds.map(refundView),
    });
  });

  // ── errors ─────────────────────────────────────────────────────────────────────────────────────
  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `No route ${c.req.method} ${c.req.path}` } }, 404),
  );
  app.onError((error, c) => {
    if (error instanceof ApiError) {
      if (error.status >= 500) log.warn('http.gate_error', { request_id: c.var.requestId, code: error.code });
      return c.json(error.body, error.status, error.headers);
    }
    log.error('http.unhandled', { request_id: c.var.requestId, path: c.req.path, error: errorText(error) });
    return c.json(
      {
        error: {
          code: 'internal_error',
          message: `Something went wrong on our side (request ${c.var.requestId})`,
        },
      },
      500,
    );
  });
  return app;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function digest(text: string): Buffer {
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

function idempotencyKey(c: Context<Env>): string | null {
  const key = c.req.header('idempotency-key');
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

async function readJson(c: Context<Env>, opts: { optional?: boolean } = {}): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') {
    if (opts.optional) return {};
    throw new ApiError(400, 'invalid_json', 'The request body is empty; send a JSON object');
  }
  const type = c.req.header('content-type') ?? '';
  if (!JSON_TYPE.test(type)) {
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

function unstorableText(path: string): ApiError {
  return new ApiError(
    400,
    'validation_error',
    `${path}: text may not contain NUL characters or unpaired surrogates`,
    path,
  );
}

function parse<T>(schema: z.ZodMiniType<T>, value: unknown): T {
  const r = z.safeParse(schema, value);
  if (r.success) return r.data;
  const body = validationError(r.error);
  throw new ApiError(400, body.error.code, body.error.message, body.error.field);
}

function queryNumber(
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
