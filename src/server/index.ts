/**
 * `ecommpay-checkout/server`: the signing backend as a library, for merchants who mount it in their own
 * Node service (a Hono app: `app.fetch` serves any Fetch-API host). Node 20+.
 *
 *   const server = await createServer(loadConfig(process.env));
 *   serve({ fetch: server.app.fetch, port: 8787 });
 */
export { createServer, type BackendServer, type ServerDeps } from './app.ts';
export { ConfigError, loadConfig, type Database, type ServerConfig } from './config.ts';
