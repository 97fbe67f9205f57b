/** The merchant API (Bearer MERCHANT_API_KEY): sessions, payouts, refunds and one payment (the search: search/). */
import type { Hono } from 'hono';
import { createSessionRequestSchema, payoutRequestSchema, refundRequestSchema } from '../../core/api.ts';
import { refundView } from '../views.ts';
import type { Guards } from './guards.ts';
import { clientIp, idempotencyKey, parse, readJson, type Env, type RouteParts } from './request.ts';

export function merchantRoutes(
  app: Hono<Env>,
  { config, service, store }: RouteParts,
  { merchantOnly }: Guards,
): void {
  app.post('/api/sessions', merchantOnly, async (c) => {
    const req = parse(createSessionRequestSchema, await readJson(c));
    return c.json(await service.createSession(req), 201);
  });

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

  // GET /api/merchant/payments (the search) is the console's: search/routes.ts.

  app.get('/api/merchant/payments/:id', merchantOnly, async (c) => {
    const p = await service.getPayment(c.req.param('id'), { includePayouts: true });
    const refunds = await store.listRefunds(p.id);
    return c.json({
      ...service.merchantView(p),
      customer_id: p.customerId,
      channel: p.channel,
      ...(p.requestId ? { request_id: p.requestId } : {}),
      refunds: refunds.map(refundView),
    });
  });
}
