/**
 * The signing backend's HTTP app (Hono). See docs/architecture.md for the routes. Every input is
 * validated with the core's schemas; every error is `{error: {code, message, field?}}` with a 4xx/5xx.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { createCatalog, type Catalog } from '../core/methods/index.ts';
import type { ServerConfig } from './config.ts';
import { BULK_PATH, BulkRunner, registerConsoleRoutes } from './console-routes.ts';
import { ApiError } from './errors.ts';
import { GateClient } from './gate.ts';
import { createLogger } from './logger.ts';
import { browserRoutes } from './routes/browser.ts';
import { callbackRoutes } from './routes/callbacks.ts';
import { createGuards } from './routes/guards.ts';
import { healthRoutes } from './routes/health.ts';
import { merchantRoutes } from './routes/merchant.ts';
import { clientIp, errorText, type Env, type RouteParts } from './routes/request.ts';
import { newId } from './service/context.ts';
import { Service } from './service/index.ts';
import { Store } from './store/index.ts';
import {
  createWebhooks,
  registerWebhookRoutes,
  type WebhookOptions,
  type Webhooks,
} from './webhooks/index.ts';

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
  /** Webhook delivery: settings, the fetch to merchants, jitter, whether the worker polls. */
  webhooks?: WebhookOptions;
}

export interface BackendServer {
  app: Hono<Env>;
  close(): Promise<void>;
  // ── additions to docs/architecture.md ───────────────────────────────────────────────────────────
  store: Store;
  service: Service;
  /** One sweeper pass: asks the Gate about payments whose callback is late. Returns how many were due. */
  sweep(): Promise<number>;
  /** Webhooks to the merchant: endpoints, outbox, delivery worker. */
  webhooks: Webhooks;
}

export async function createServer(config: ServerConfig, deps: ServerDeps = {}): Promise<BackendServer> {
  const now = deps.now ?? Date.now;
  const log = createLogger({
    level: config.logLevel,
    redact: [
      config.secretKey,
      config.merchantApiKey,
      ...config.voucherKeys.map((k) => k.key.toString('base64')),
    ],
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

  const webhooks = createWebhooks(
    store,
    { production: config.production, devHosts: config.redirectDevHosts, log, now },
    deps.webhooks,
  );
  const runner = new BulkRunner({ store, ops: service, log, now });
  const app = buildApp({ config, service, store, log, now }, webhooks, runner);

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
    webhooks,
    close: async () => {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      service.stop();
      await runner.stop();
      await sweeping?.catch(() => undefined);
      await webhooks.close();
      if (ownStore) await store.close();
    },
  };
}

/** The middleware every request passes, the route modules (`routes/`), and the error answers. */
function buildApp(parts: RouteParts, webhooks: Webhooks, runner: BulkRunner): Hono<Env> {
  const { config, log } = parts;
  const app = new Hono<Env>();
  const allowedOrigins = new Set(config.allowedOrigins);

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

  const guards = createGuards(parts);
  healthRoutes(app, parts);
  browserRoutes(app, parts, guards);
  merchantRoutes(app, parts, guards);
  // The console's search, history, CSV export, bulk payouts and refunds.
  registerConsoleRoutes(app, {
    store: parts.store,
    config,
    catalog: parts.service.catalog,
    runner,
    merchantOnly: guards.merchantOnly,
    clientIp: (c) => clientIp(c as Context<Env>, config.trustProxy),
    newId,
    webhookHistory: (id) => webhooks.service.paymentWebhooks(id),
  });
  callbackRoutes(app, parts, guards);
  registerWebhookRoutes(app, {
    webhooks: webhooks.service,
    merchantOnly: guards.merchantOnly,
    requirePayment: (id) => parts.service.getPayment(id, { includePayouts: true }),
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
