/** Health (the load balancer's probe: the database answers) and the OpenAPI document. */
import type { Hono } from 'hono';
import { buildOpenApi } from '../openapi.ts';
import type { Env, RouteParts } from './request.ts';

export function healthRoutes(app: Hono<Env>, { config, store, log }: RouteParts): void {
  let openapi: Record<string, unknown> | null = null;
  app.get('/api/health', async (c) => {
    try {
      if (await store.health()) return c.json({ status: 'ok', db: store.kind });
    } catch (error) {
      log.error('health.db_failed', { error: String(error) });
    }
    return c.json(
      { status: 'error', error: { code: 'db_unavailable', message: 'The database does not answer' } },
      503,
    );
  });
  app.get('/api/openapi.json', (c) => {
    openapi ??= buildOpenApi(config.publicBaseUrl);
    return c.json(openapi);
  });
}
