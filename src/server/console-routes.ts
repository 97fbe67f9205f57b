/**
 * The merchant console's routes, wired into the backend's app in one call: the search, history and export
 * (`search/`) and the bulk payouts and refunds (`bulk/`). Kept apart from the app's own routes so that the
 * two can change without touching each other.
 */
import type { Context, Env, Hono, MiddlewareHandler } from 'hono';
import type { Catalog } from '../core/methods/index.ts';
import { registerBulkRoutes } from './bulk/routes.ts';
import type { BulkRunner } from './bulk/runner.ts';
import type { ServerConfig } from './config.ts';
import type { WebhookHistory } from './search/history.ts';
import { registerSearchRoutes } from './search/routes.ts';
import type { Store } from './store/index.ts';

export { BULK_PATH } from './bulk/routes.ts';
export { BulkRunner } from './bulk/runner.ts';

export interface ConsoleRoutesDeps {
  store: Store;
  config: ServerConfig;
  catalog: Catalog;
  runner: BulkRunner;
  merchantOnly: MiddlewareHandler;
  clientIp(c: Context): string;
  newId(prefix: string): string;
  webhookHistory?: WebhookHistory;
}

export function registerConsoleRoutes<E extends Env>(app: Hono<E>, deps: ConsoleRoutesDeps): void {
  registerSearchRoutes(app, {
    store: deps.store,
    config: deps.config,
    merchantOnly: deps.merchantOnly,
    ...(deps.webhookHistory ? { webhookHistory: deps.webhookHistory } : {}),
  });
  registerBulkRoutes(app, deps);
}
