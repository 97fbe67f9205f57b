/**
 * The merchant API's webhook routes (all behind the merchant's API key):
 *
 * - `POST/GET /api/merchant/webhook-endpoints`, `GET/PATCH/DELETE /api/merchant/webhook-endpoints/:id`,
 *   `POST /api/merchant/webhook-endpoints/:id/rotate-secret` — the secret is in the answer to creation and
 *   rotation only;
 * - `GET /api/merchant/payments/:id/webhooks` — the payment's events with their deliveries and attempts;
 * - `POST /api/merchant/webhook-events/:id/resend` — queue an event again (`{endpoint_id?}`).
 */
import type { Hono, MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';
import {
  createEndpointSchema,
  parseInput,
  resendSchema,
  rotateSecretSchema,
  updateEndpointSchema,
  type WebhookService,
} from './service.ts';

export interface WebhookRouteDeps {
  webhooks: WebhookService;
  merchantOnly: MiddlewareHandler;
  /** 404 when there is no such payment or payout. */
  requirePayment: (id: string) => Promise<unknown>;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

async function body(req: Request, optional = false): Promise<unknown> {
  const text = await req.text();
  if (text.trim() === '') {
    if (optional) return {};
    throw new ApiError(400, 'invalid_json', 'The request body is empty; send a JSON object');
  }
  const type = req.headers.get('content-type') ?? '';
  if (!JSON_TYPE.test(type))
    throw new ApiError(
      415,
      'unsupported_media_type',
      `Send Content-Type: application/json (got "${type || 'none'}")`,
    );
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError(400, 'invalid_json', `The body is not valid JSON: ${(error as Error).message}`);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- mounted on the app whatever its Env
export function registerWebhookRoutes(app: Hono<any>, deps: WebhookRouteDeps): void {
  const { webhooks, merchantOnly } = deps;
  const base = '/api/merchant/webhook-endpoints';

  app.post(base, merchantOnly, async (c) => {
    const input = parseInput(createEndpointSchema, await body(c.req.raw));
    return c.json(await webhooks.create(input), 201);
  });
  app.get(base, merchantOnly, async (c) => c.json({ data: await webhooks.list() }));
  app.get(`${base}/:id`, merchantOnly, async (c) => c.json(await webhooks.get(c.req.param('id'))));
  app.patch(`${base}/:id`, merchantOnly, async (c) => {
    const input = parseInput(updateEndpointSchema, await body(c.req.raw));
    return c.json(await webhooks.update(c.req.param('id'), input));
  });
  app.delete(`${base}/:id`, merchantOnly, async (c) => {
    await webhooks.remove(c.req.param('id'));
    return c.body(null, 204);
  });
  app.post(`${base}/:id/rotate-secret`, merchantOnly, async (c) => {
    const input = parseInput(rotateSecretSchema, await body(c.req.raw, true));
    return c.json(await webhooks.rotate(c.req.param('id'), input.expire_previous_in_hours));
  });

  app.get('/api/merchant/payments/:id/webhooks', merchantOnly, async (c) => {
    await deps.requirePayment(c.req.param('id'));
    return c.json({ data: await webhooks.paymentWebhooks(c.req.param('id')) });
  });
  app.post('/api/merchant/webhook-events/:id/resend', merchantOnly, async (c) => {
    const input = parseInput(resendSchema, await body(c.req.raw, true));
    return c.json(await webhooks.resend(c.req.param('id'), input.endpoint_id ?? null), 202);
  });
}
