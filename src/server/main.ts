/**
 * Starts the signing backend: configuration from the environment, migrations, HTTP on PORT, and a
 * graceful shutdown on SIGTERM/SIGINT (stop accepting, finish requests, close the database).
 *
 * A fresh PGlite database (an empty DATA_DIR, or `memory://`) is loaded from a migrated template instead of
 * running initdb (src/server/db/template.ts); PGLITE_TEMPLATE_DIR moves the template cache (default
 * node_modules/.cache/ecommpay-checkout), `off` turns it off.
 */
import { serve } from '@hono/node-server';
import { createServer } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { defaultTemplateDir, isFreshDataDir, openPgliteStore } from './db/template.ts';
import { createLogger } from './logger.ts';
import type { Store } from './store.ts';
import { loadWebhookConfig } from './webhooks/index.ts';

function line(msg: string, fields: Record<string, unknown>): void {
  process.stdout.write(
    `${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg, ...fields })}\n`,
  );
}

/** The PGlite store, from the template when fresh; null on PostgreSQL (createServer opens that one). */
async function openPglite(config: ReturnType<typeof loadConfig>): Promise<Store | null> {
  if (config.database.kind !== 'pglite') return null;
  const { dataDir } = config.database;
  const setting = process.env.PGLITE_TEMPLATE_DIR?.trim();
  const templateDir = setting === 'off' ? null : setting || defaultTemplateDir();
  const started = performance.now();
  if (isFreshDataDir(dataDir)) line('db.creating', { dataDir: dataDir ?? 'memory://', templateDir });
  const log = createLogger({
    level: config.logLevel,
    redact: [
      config.secretKey,
      config.merchantApiKey,
      ...config.voucherKeys.map((k) => k.key.toString('base64')),
    ],
  });
  const { store, created } = await openPgliteStore(dataDir, { templateDir, log });
  line('db.ready', { created, ms: Math.round(performance.now() - started) });
  return store;
}

async function main(): Promise<void> {
  let config;
  let webhooks;
  try {
    config = loadConfig(process.env);
    webhooks = loadWebhookConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const store = await openPglite(config);
  const server = await createServer(config, { ...(store ? { store } : {}), webhooks: { config: webhooks } });
  const http = serve({ fetch: server.app.fetch, port: config.port, hostname: config.host }, (info) => {
    process.stdout.write(
      `${JSON.stringify({
        time: new Date().toISOString(),
        level: 'info',
        msg: 'server.listening',
        url: `http://${info.address}:${info.port}`,
        db: server.store.kind,
        gate: config.gateUrl,
        production: config.production,
      })}\n`,
    );
  });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(
      `${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'server.stopping', signal })}\n`,
    );
    // Give the requests in flight 10 s, then close what is left.
    const force = setTimeout(() => {
      if ('closeAllConnections' in http) http.closeAllConnections();
    }, 10_000);
    force.unref();
    // Held long-polls answer now with what they have; the widget polls again (another instance, or this
    // one restarted).
    server.service.stop();
    http.close(() => {
      void server
        .close()
        .then(() => store?.close())
        .finally(() => {
          clearTimeout(force);
          process.exit(0);
        });
    });
    if ('closeIdleConnections' in http) http.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `The server failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
