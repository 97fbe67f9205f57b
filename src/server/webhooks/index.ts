/**
 * Webhooks to the merchant: the outbox (written by database triggers in the status change's transaction),
 * the delivery worker, and the merchant API's endpoints and history. `createWebhooks` puts them together
 * for one backend instance.
 */
import type { Logger } from '../logger.ts';
import type { Store } from '../store.ts';
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
  // The outbox trigger notifies 'webhooks' on the payments channel: on PostgreSQL every instance hears
  // every instance's new events; on PGlite the poll finds them.
  const unsubscribe = store.subscribe('webhooks', () => worker.wake());
  if (options.autoStart ?? config.deliver) worker.start();
  return {
    outbox,
    service,
    worker,
    config,
    close: async () => {
      unsubscribe();
      await worker.stop();
    },
  };
}
