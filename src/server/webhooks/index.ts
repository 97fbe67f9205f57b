/**
 * Webhooks to the merchant: the outbox (written by database triggers in the status change's transaction),
 * the delivery worker, and the merchant API's endpoints and history. `createWebhooks` puts them together
 * for one backend instance.
 */
import type { Logger } from '../logger.ts';
import { sql } from 'drizzle-orm';
import { NOTIFY_CHANNEL, type Store } from '../store/index.ts';
import { DEFAULT_WEBHOOK_CONFIG, type WebhookConfig } from './config.ts';
import { WebhookOutbox } from './outbox.ts';
import { WebhookService } from './service.ts';
import type { Resolver } from './url-policy.ts';
import { WebhookWorker } from './worker.ts';

export { loadWebhookConfig, type WebhookConfig } from './config.ts';
export { registerWebhookRoutes } from './routes.ts';
export { WebhookOutbox } from './outbox.ts';
export { WebhookService } from './service.ts';
export { WebhookWorker } from './worker.ts';

interface PgliteListen {
  listen(channel: string, fn: (payload: string) => unknown): Promise<() => Promise<void>>;
}

export interface WebhookOptions {
  config?: Partial<WebhookConfig>;
  /** The requests to merchants' endpoints (default: global fetch). */
  fetch?: typeof fetch;
  /** Jitter source (default Math.random). */
  random?: () => number;
  /** Start the worker's poll loop (default: `config.deliver`); tests call `worker.drain()` instead. */
  autoStart?: boolean;
  /** DNS look-up for the production URL check. */
  resolve?: Resolver;
}

export interface Webhooks {
  outbox: WebhookOutbox;
  service: WebhookService;
  worker: WebhookWorker;
  config: WebhookConfig;
  close(): Promise<void>;
}

export function createWebhooks(
  store: Store,
  parts: { production: boolean; devHosts: string[]; log: Logger; now: () => number },
  options: WebhookOptions = {},
): Webhooks {
  const config: WebhookConfig = { ...DEFAULT_WEBHOOK_CONFIG, ...options.config };
  const outbox = new WebhookOutbox(store);
  const service = new WebhookService({
    outbox,
    production: parts.production,
    devHosts: parts.devHosts,
    defaultMaxConcurrency: config.maxConcurrency,
    now: parts.now,
    ...(options.resolve ? { resolve: options.resolve } : {}),
  });
  const worker = new WebhookWorker({
    outbox,
    config,
    log: parts.log,
    now: parts.now,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    random: options.random ?? Math.random,
    devHosts: parts.devHosts,
  });
  // The outbox trigger notifies 'webhooks' on the payments channel: on PostgreSQL the store's LISTEN
  // connection hears every instance's new events; PGlite delivers it to a listener on its one connection.
  const unsubscribe = store.subscribe('webhooks', () => worker.notified());
  if (store.kind === 'pglite') {
    // The claim is parameterised and PGlite's Postgres has no statistics (no autovacuum, so no ANALYZE):
    // the plan cache then re-plans it on every call (~10 ms in WASM) instead of keeping its generic plan
    // (~1 ms a claim). Generic plans are what the store's other prepared statements (primary-key look-ups)
    // get anyway. PGlite has this one session, so this is set once.
    void store.db
      .execute(sql`SET plan_cache_mode = force_generic_plan`)
      .catch((error: unknown) => parts.log.warn('webhook.plan_mode_failed', { error: String(error) }));
  }
  let unlisten: Promise<(() => Promise<void>) | null> = Promise.resolve(null);
  const client = (store.db as unknown as { $client?: PgliteListen }).$client;
  if (store.kind === 'pglite' && typeof client?.listen === 'function') {
    unlisten = client
      .listen(NOTIFY_CHANNEL, (payload) => payload === 'webhooks' && worker.notified())
      .catch((error: unknown) => {
        parts.log.warn('webhook.listen_failed', { error: String(error) });
        return null;
      });
  }
  if (options.autoStart ?? config.deliver) worker.start();
  return {
    outbox,
    service,
    worker,
    config,
    close: async () => {
      unsubscribe();
      await (await unlisten)?.().catch(() => undefined);
      await worker.stop();
    },
  };
}
