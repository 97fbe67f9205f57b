/** The merchant API (Bearer MERCHANT_API_KEY): sessions, payouts, refunds, the payments list and one payment. */
import type { Hono } from 'hono';
import { createSessionRequestSchema, payoutRequestSchema, refundRequestSchema } from '../../core/api.ts';
import { isPaymentState } from '../../core/status.ts';
import { ApiError } from '../errors.ts';
import { refundView } from '../views.ts';
import type { Guards } from './guards.ts';
import {
  clientIp,
  decodeCursor,
  encodeCursor,
  idempotencyKey,
  parse,
  queryNumber,
  readJson,
  type Env,
  type RouteParts,
} from './request.ts';

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

  app.get('/api/merchant/payments', merchantOnly, async (c) => {
    const limit = queryNumber(c, 'limit', { min: 1, max: 100, integer: true }) ?? 20;
    const type = c.req.query('type');
    if (type !== undefined && type !== 'purchase' && type !== 'payout') {
      throw new ApiError(400, 'validation_error', 'type: use purchase or payout', 'type');
    }
    const status = c.req.query('status');
    if (status !== undefined && !isPaymentState(status)) {
      throw new ApiError(400, 'validation_error', `status: unknown payment status "${status}"`, 'status');
    }
    const cursorText = c.req.query('cursor');
    const cursor = cursorText === undefined ? undefined : decodeCursor(cursorText);
    const rows = await store.listPayments({
      limit: limit + 1,
      cursor,
      type,
      status,
      sessionId: c.req.query('session_id'),
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return c.json({
      data: page.map((p) => service.merchantView(p)),
      next_cursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
    });
  });

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
