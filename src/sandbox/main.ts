/**
 * `npm run sandbox`: the Gate sandbox on SANDBOX_HOST:SANDBOX_PORT (127.0.0.1:8790). Environment: see
 * loadSandboxConfig in ./config.ts. One JSON line per request on stdout; SIGTERM/SIGINT stop it gracefully.
 */
import { serve } from '@hono/node-server';
import { DEMO_PROJECT_ID, DEMO_SECRET_KEY } from '../shared/demo-credentials.ts';
import { createSandbox } from './app.ts';
import { loadSandboxConfig, SandboxConfigError } from './config.ts';

function main(): void {
  let config;
  try {
    config = loadSandboxConfig(process.env, { id: DEMO_PROJECT_ID, secret: DEMO_SECRET_KEY });
  } catch (error) {
    if (error instanceof SandboxConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const { host, port, options } = config;

  const sandbox = createSandbox({
    ...options,
    log: (entry) =>
      process.stdout.write(`${JSON.stringify({ level: 'info', service: 'sandbox', ...entry })}\n`),
  });

  const server = serve({ fetch: sandbox.app.fetch, port, hostname: host }, (info) => {
    const projects = options.projects.map((p) => p.id).join(', ');
    process.stdout.write(
      `${JSON.stringify({
        level: 'info',
        service: 'sandbox',
        message: `Gate sandbox listening on http://${info.address}:${info.port}`,
        publicUrl: options.publicUrl,
        projects,
        timeScale: options.timeScale,
        redirectPost: Object.keys(options.redirectMethod ?? {}),
        testProject: options.testProject,
      })}\n`,
    );
  });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(
      `${JSON.stringify({ level: 'info', service: 'sandbox', message: `${signal}: stopping` })}\n`,
    );
    // Ends pending callback retries, scheduled results and hanging (faulted) requests.
    sandbox.close();
    server.close(() => process.exit(0));
    if ('closeIdleConnections' in server) server.closeIdleConnections();
    setTimeout(() => {
      if ('closeAllConnections' in server) server.closeAllConnections();
      process.exit(0);
    }, 3_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main();
