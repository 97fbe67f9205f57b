/**
 * The demo shop's own server — what a merchant writes: it holds the merchant API key, creates checkout
 * sessions for orders, and backs the small merchant console (payouts, refunds, payment list). It also
 * serves the built demo pages and the script-tag embed. Node only; never bundled for browsers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { registerDemoWebhook, webhookRoute } from './merchant-webhooks.ts';

export interface MerchantServerOptions {
  /** The signing backend, e.g. http://127.0.0.1:8787 (as this server reaches it). */
  backendUrl: string;
  /** The backend as browsers reach it (goes into the pages). */
  publicBackendUrl: string;
  /** The sandbox as browsers reach it (CSP form-action / frame-src). */
  gateOrigins: string[];
  apiKey: string;
  /** This server's own public URL, for return URLs. */
  publicUrl: string;
  /** Built demo pages (vite build) and embed (vite build --mode embed). */
  demoDir: string;
  embedDir: string;
  fetch?: typeof fetch;
  /**
   * Where the backend reaches this server's webhook route (`/shop/webhooks`), e.g.
   * http://127.0.0.1:5173/shop/webhooks: the endpoint is registered at start, and orders are marked paid
   * from webhooks alone. Without it, no webhooks.
   */
  webhookUrl?: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Demo orders: which cart the shopper picked, priced by the server — never by the browser. */
export const DEMO_CARTS = {
  'ph-1500': { label: 'Philippines — GrabPay', prices: { PHP: 150_000 }, description: 'Rattan chair (PH)' },
  'my-50': { label: 'Malaysia — GrabPay', prices: { MYR: 5_000 }, description: 'Batik scarf (MY)' },
  'kr-25000': { label: 'Korea — Payco', prices: { KRW: 25_000 }, description: 'Tea set (KR)' },
  'eu-25': {
    label: 'Europe & CIS — ADVCash, Jeton Voucher',
    prices: { EUR: 2_500, USD: 2_700, GBP: 2_200, UAH: 110_000, KZT: 1_300_000, RUB: 250_000, BRL: 14_500 },
    description: 'Headphones (multi-currency)',
  },
  'decline-400': {
    label: 'Test decline (400.00)',
    prices: { PHP: 40_000, EUR: 40_000, UAH: 40_000 },
    description: 'Amount the test rules decline',
  },
} as const;
export type CartId = keyof typeof DEMO_CARTS;

export function createMerchantServer(opts: MerchantServerOptions) {
  const doFetch = opts.fetch ?? fetch;
  const orders = new Map<
    string,
    { sessionId: string; cart: CartId; createdAt: number; paid?: { paymentId: string; at: string } }
  >();
  const app = new Hono();

  // Webhooks: the order's paid state comes from verified `payment.succeeded` events only.
  let webhookSecret: string | null = null;
  if (opts.webhookUrl) {
    void registerDemoWebhook({
      backendUrl: opts.backendUrl,
      apiKey: opts.apiKey,
      url: opts.webhookUrl,
      fetch: doFetch,
      log: (line) => process.stdout.write(`${line}\n`),
    })
      .then((secret) => (webhookSecret = secret))
      .catch((error: unknown) => process.stderr.write(`webhooks: not registered: ${String(error)}\n`));
  }
  webhookRoute(app, '/shop/webhooks', () => webhookSecret, {
    markPaid: (sessionId, paymentId, at) => {
      for (const o of orders.values()) {
        if (o.sessionId !== sessionId) continue;
        o.paid ??= { paymentId, at };
        return true;
      }
      return false;
    },
  });

  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${opts.publicBackendUrl}`,
    `form-action 'self' ${opts.gateOrigins.join(' ')}`,
    `frame-src ${opts.gateOrigins.join(' ')}`,
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
  app.use(
    secureHeaders({
      contentSecurityPolicy: undefined,
      crossOriginEmbedderPolicy: false,
      crossOriginOpenerPolicy: false,
    }),
  );
  app.use(async (c, next) => {
    await next();
    if (c.res.headers.get('content-type')?.startsWith('text/html'))
      c.res.headers.set('content-security-policy', csp);
  });
  // Bulk files are larger than anything else the console sends (the backend allows 4 MB).
  const smallBodies = bodyLimit({ maxSize: 16 * 1024 });
  const files = bodyLimit({ maxSize: 4 * 1024 * 1024 });
  app.use('/shop/api/*', (c, next) =>
    c.req.path === '/shop/api/batches' ? files(c, next) : smallBodies(c, next),
  );

  const backend = async (path: string, init: RequestInit = {}) => {
    const res = await doFetch(`${opts.backendUrl}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${opts.apiKey}`,
        ...(init.headers as Record<string, string> | undefined),
      },
    });
    const text = await res.text();
    return { status: res.status, body: text };
  };
  const relay = (c: Context, r: { status: number; body: string }) =>
    c.body(r.body, r.status as 200, { 'content-type': 'application/json' });

  app.get('/shop/api/config', (c) => c.json({ backendUrl: opts.publicBackendUrl, carts: DEMO_CARTS }));

  // Creates an order and its checkout session; the return URL brings the shopper back to this order.
  app.post('/shop/api/orders', async (c) => {
    const body = (await c.req.json().catch(() => null)) as {
      cart?: string;
      email?: string;
      page?: string;
    } | null;
    const cartId = body?.cart as CartId | undefined;
    const cart =
      cartId && Object.prototype.hasOwnProperty.call(DEMO_CARTS, cartId) ? DEMO_CARTS[cartId] : null;
    if (!cart || !cartId)
      return c.json({ error: { code: 'validation_error', message: 'Unknown cart', field: 'cart' } }, 400);
    const orderId = `ord_${randomUUID().slice(0, 8)}`;
    const page = body?.page === 'embed' ? '/embed.html' : '/';
    const r = await backend('/api/sessions', {
      method: 'POST',
      body: JSON.stringify({
        prices: cart.prices,
        customer: { id: 'demo-shopper', ...(body?.email ? { email: body.email } : {}) },
        description: cart.description,
        return_url: `${opts.publicUrl}${page}?order=${orderId}`,
      }),
    });
    if (r.status !== 201) return relay(c, r);
    const session = JSON.parse(r.body) as { id: string };
    orders.set(orderId, { sessionId: session.id, cart: cartId, createdAt: Date.now() });
    // The fresh session goes to the page with the order: the widget shows it without asking again.
    return c.json({ order_id: orderId, session_id: session.id, session }, 201);
  });

  app.get('/shop/api/orders/:id', (c) => {
    const o = orders.get(c.req.param('id'));
    if (!o) return c.json({ error: { code: 'not_found', message: 'No such order' } }, 404);
    return c.json({
      order_id: c.req.param('id'),
      session_id: o.sessionId,
      cart: o.cart,
      // Set by the payment.succeeded webhook (never by the browser).
      status: o.paid ? 'paid' : 'open',
      ...(o.paid ? { payment_id: o.paid.paymentId, paid_at: o.paid.at } : {}),
    });
  });

  // The merchant console (a real back office would sit behind the merchant's own login).
  app.get('/shop/api/payments', async (c) =>
    relay(c, await backend(`/api/merchant/payments?${new URL(c.req.url).searchParams}`)),
  );
  app.get('/shop/api/payments/:id', async (c) =>
    relay(c, await backend(`/api/merchant/payments/${encodeURIComponent(c.req.param('id'))}`)),
  );
  // Search, history, exports and bulk files: passed through as they are (CSV in, CSV out), the API key
  // added here so it never reaches the browser.
  const pass = async (c: Context, path: string) => {
    const method = c.req.method;
    const headers: Record<string, string> = { authorization: `Bearer ${opts.apiKey}` };
    for (const h of ['content-type', 'idempotency-key']) {
      const v = c.req.header(h);
      if (v) headers[h] = v;
    }
    const query = new URL(c.req.url).search;
    const res = await doFetch(`${opts.backendUrl}${path}${query}`, {
      method,
      headers,
      ...(method === 'POST' ? { body: await c.req.arrayBuffer() } : {}),
    });
    const out: Record<string, string> = {};
    for (const h of ['content-type', 'content-disposition', 'cache-control']) {
      const v = res.headers.get(h);
      if (v) out[h] = v;
    }
    return new Response(res.body, { status: res.status, headers: out });
  };
  const id = (c: Context) => encodeURIComponent(c.req.param('id') ?? '');
  app.get('/shop/api/payments/:id/history', (c) => pass(c, `/api/merchant/payments/${id(c)}/history`));
  app.get('/shop/api/exports/payments.csv', (c) => pass(c, '/api/merchant/exports/payments.csv'));
  app.post('/shop/api/webhook-events/:id/resend', (c) =>
    pass(c, `/api/merchant/webhook-events/${id(c)}/resend`),
  );
  app.post('/shop/api/batches', (c) => pass(c, '/api/merchant/batches'));
  app.get('/shop/api/batches', (c) => pass(c, '/api/merchant/batches'));
  app.get('/shop/api/batches/:id', (c) => pass(c, `/api/merchant/batches/${id(c)}`));
  app.get('/shop/api/batches/:id/results.csv', (c) => pass(c, `/api/merchant/batches/${id(c)}/results.csv`));
  app.post('/shop/api/batches/:id/resume', (c) => pass(c, `/api/merchant/batches/${id(c)}/resume`));
  app.post('/shop/api/payouts', async (c) =>
    relay(
      c,
      await backend('/api/merchant/payouts', {
        method: 'POST',
        body: await c.req.text(),
        headers: { 'idempotency-key': c.req.header('idempotency-key') ?? randomUUID() },
      }),
    ),
  );
  app.post('/shop/api/payments/:id/refunds', async (c) =>
    relay(
      c,
      await backend(`/api/merchant/payments/${encodeURIComponent(c.req.param('id'))}/refunds`, {
        method: 'POST',
        body: await c.req.text(),
      }),
    ),
  );

  // Static files: the demo pages, then the embed at /embed/.
  const serveFrom = (dir: string, rel: string) => {
    const base = resolve(dir);
    const file = normalize(join(base, rel));
    if (!file.startsWith(base) || !existsSync(file)) return null;
    try {
      return readFileSync(file);
    } catch {
      return null;
    }
  };
  app.get('*', (c) => {
    let path = decodeURIComponent(new URL(c.req.url).pathname);
    let dir = opts.demoDir;
    if (path.startsWith('/embed/')) {
      dir = opts.embedDir;
      path = path.slice('/embed'.length);
    }
    if (path.endsWith('/')) path += 'index.html';
    const data = serveFrom(dir, path);
    if (!data) return c.text('Not found', 404);
    const type = TYPES[extname(path)] ?? 'application/octet-stream';
    const immutable = path.startsWith('/assets/');
    return c.body(new Uint8Array(data), 200, {
      'content-type': type,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  });

  return app;
}
