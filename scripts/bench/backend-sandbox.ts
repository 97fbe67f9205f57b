/**
 * The Gate sandbox as a child process of the backend benchmark: `createSandbox` served on 127.0.0.1 without
 * the per-request log line of `src/sandbox/main.ts` (printing 20,000 lines would be part of what is measured).
 * Environment: BENCH_SANDBOX_PORT (0 = any), BENCH_SANDBOX_TIME_SCALE, BENCH_SECRET, BENCH_PROJECT_ID.
 * Prints one line `{"port": n}` when listening; stops on SIGTERM.
 */
import { serve } from '@hono/node-server';
import { createSandbox } from '../../src/sandbox/app.ts';

const port = Number(process.env.BENCH_SANDBOX_PORT ?? 0);
const projectId = Number(process.env.BENCH_PROJECT_ID);
const secret = process.env.BENCH_SECRET ?? '';
const timeScale = Number(process.env.BENCH_SANDBOX_TIME_SCALE ?? 1);

const server = serve({ fetch: (req) => sandbox.app.fetch(req), port, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`${JSON.stringify({ port: info.port })}\n`);
});
const sandbox = createSandbox({
  projects: [{ id: projectId, secret }],
  publicUrl: `http://127.0.0.1:${port || 8790}`,
  timeScale,
  callbackRetry: { maxAttempts: 3, timeoutMs: 10_000 },
});

process.on('SIGTERM', () => {
  sandbox.close();
  server.close(() => process.exit(0));
  if ('closeAllConnections' in server) server.closeAllConnections();
  setTimeout(() => process.exit(0), 2_000).unref();
});
