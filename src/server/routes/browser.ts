/**
 * The browser API: a session's view, its payments (created with the session's price, never the browser's),
 * the long-poll, clarification and the Payment Page. Rate-limited per client IP and route.
 */
import type { Hono } from 'hono';
import {
  clarificationRequestSchema,
  createPaymentRequestSchema,
  parseMethodFields,
  paymentPageRequestSchema,
} from '../../core/api.ts';
import { ApiError } from '../errors.ts';
import type { Guards } from './guards.ts';
import {
  clientIp,
  idempotencyKey,
  parse,
  queryNumber,
  readJson,
  type Env,
  type RouteParts,
} from './request.ts';

export function browserRoutes(
  app: Hono<Env>,
  { config, service }: RouteParts,
  { rateLimited }: Guards,
): void {
  app.get('/api/sessions/:id', rateLimited('session.read'), async (c) => {
    const session = await service.getSession(c.req.param('id'));
    return c.json(await service.sessionViewOf(session));
  });

  app.post('/api/sessions/:id/payments', rateLimited('payment.create'), async (c) => {
    const key = idempotencyKey(c);
    // A text/plain body (the widget's CORS-simple request) gets no preflight: refuse other origins here,
    // as the preflight would have.
    const origin = c.req.header('origin');
    if (
      /^text\/plain/i.test(c.req.header('content-type') ?? '') &&
      origin &&
      !config.allowedOrigins.includes(origin)
    )
      throw new ApiError(403, 'origin_not_allowed', `Origin ${origin} is not allowed`);
    const req = parse(createPaymentRequestSchema, await readJson(c, { plainText: true }));
    const session = await service.getSession(c.req.param('id'));
    service.priceFor(session, req.method, req.currency);
    const fields = parseMethodFields(req.method, req.currency, req.fields ?? {}, service.catalog);
    if (!fields.ok) {
      const [first] = fields.issues;
      const field = first?.field ? `fields.${first.field}` : 'fields';
      throw new ApiError(400, 'validation_error', `${field}: ${first?.message ?? 'invalid'}`, field);
    }
    const wait = queryNumber(c, 'wait', { min: 0, max: config.createWaitMaxS, integer: false });
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
    const wait = queryNumber(c, 'wait', { min: 0, max: config.longPollMaxS, integer: false });
    const version = queryNumber(c, 'version', { min: 0, max: 2 ** 31, integer: true });
    const p = await service.waitForPayment(c.req.param('id'), version, (wait ?? 0) * 1000, c.req.raw.signal);
    c.header('Cache-Control', 'no-store');
    return c.json(service.view(p));
  });

  app.post('/api/payments/:id/clarification', rateLimited('payment.clarification'), async (c) => {
    const req = parse(clarificationRequestSchema, await readJson(c));
    return c.json(await service.clarify(c.req.param('id'), req));
  });
}
