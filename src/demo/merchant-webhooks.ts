/**
 * The demo shop's webhook side — what a merchant writes: at start it registers its endpoint with the
 * backend's merchant API (or rotates the secret of the one it registered before: a secret is only ever shown
 * when it is made), then marks orders paid from `payment.succeeded` webhooks alone, each verified with the
 * core's `verifyWebhook` (signature, and the timestamp against replay) before anything is believed.
 */
import type { Hono } from 'hono';
import { verifyWebhook, type WebhookEvent } from '../core/webhooks.ts';

export interface WebhookOrders {
  /** Marks the order of this checkout session paid; false when there is no such order. */
  markPaid(sessionId: string, paymentId: string, at: string): boolean;
}

export interface DemoWebhookOptions {
  backendUrl: string;
  apiKey: string;
  /** Where the backend reaches this server's webhook route. */
  url: string;
  fetch?: typeof fetch;
  log?: (line: string) => void;
}

type Json = Record<string, unknown>;

/** Registers (or re-keys) the endpoint; retries until the backend answers. Resolves to the secret. */
export async function registerDemoWebhook(opts: DemoWebhookOptions, untilMs = 60_000): Promise<string> {
  const doFetch = opts.fetch ?? fetch;
  const call = async (method: string, path: string, body?: Json) => {
    const res = await doFetch(`${opts.backendUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${opts.apiKey}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Json;
  };
  const deadline = Date.now() + untilMs;
  for (;;) {
    try {
      const list = (await call('GET', '/api/merchant/webhook-endpoints')) as {
        data: { id: string; url: string }[];
      };
      const mine = list.data.find((e) => e.url === opts.url);
      const answer = mine
        ? await call('POST', `/api/merchant/webhook-endpoints/${mine.id}/rotate-secret`, {
            expire_previous_in_hours: 0,
          })
        : await call('POST', '/api/merchant/webhook-endpoints', {
            url: opts.url,
            events: ['payment.succeeded', 'payment.declined', 'payment.expired'],
            description: 'demo shop orders',
          });
      if (mine) await call('PATCH', `/api/merchant/webhook-endpoints/${mine.id}`, { enabled: true });
      opts.log?.(`webhooks: endpoint ${String(answer.id)} → ${opts.url}`);
      return answer.secret as string;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** `POST <path>`: verifies the webhook, then marks the order paid on `payment.succeeded`. */
export function webhookRoute(
  app: Hono,
  path: string,
  secret: () => string | null,
  orders: WebhookOrders,
): void {
  app.post(path, async (c) => {
    const key = secret();
    if (!key) return c.json({ error: 'not ready' }, 503);
    // The raw body, exactly as sent: the signature is over these bytes.
    const body = await c.req.text();
    const v = await verifyWebhook<{ id: string; session_id?: string }>(body, c.req.raw.headers, key);
    if (!v.ok) return c.json({ error: v.reason }, 400);
    const event: WebhookEvent<{ id: string; session_id?: string }> = v.event;
    // At least once: a repeat marks an order paid again, which changes nothing.
    if (event.type === 'payment.succeeded' && event.data.session_id)
      orders.markPaid(event.data.session_id, event.data.id, event.created);
    return c.json({ received: true });
  });
}
