/**
 * `npm start`: the whole demo on one laptop, on the embedded defaults — the Gate sandbox, the signing
 * backend (PGlite in .data/), and the demo shop with its merchant server. Builds the demo pages and the
 * script-tag embed first (skip with --no-build), and always the backend, which runs compiled as deployed
 * (`scripts/build-server.ts`). Ports and data can be moved with environment variables (DEMO_PORT,
 * BACKEND_PORT, SANDBOX_PORT, DATA_DIR). Ctrl-C stops everything.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { compress } from 'hono/compress';
import { Hono } from 'hono';
import { createMerchantServer } from '../src/demo/merchant-server.ts';
import { DEMO_MERCHANT_API_KEY } from '../src/server/config.ts';
import { BACKEND_NODE_FLAGS, buildServer } from './build-server.ts';

const root = resolve(import.meta.dirname, '..');
const host = process.env.DEMO_HOST ?? '127.0.0.1';
const demoPort = Number(process.env.DEMO_PORT ?? 5173);
const backendPort = Number(process.env.BACKEND_PORT ?? 8787);
const sandboxPort = Number(process.env.SANDBOX_PORT ?? 8790);
const demoUrl = `http://${host}:${demoPort}`;
const backendUrl = `http://${host}:${backendPort}`;
const sandboxUrl = `http://${host}:${sandboxPort}`;
const quiet = process.argv.includes('--quiet');

if (!process.argv.includes('--no-build')) {
  for (const args of [['build'], ['build', '--mode', 'embed']]) {
    const r = spawnSync(
      process.execPath,
      [resolve(root, 'node_modules/vite/bin/vite.js'), ...args, '--logLevel', 'warn'],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

// The backend runs as deployed (`npm run server:prod`): compiled, on plain node with its memory flags. Each
// backend port gets its own build, so that two stacks starting at once (e2e) never rebuild under each other.
const backendEntry = buildServer(resolve(root, 'dist/start', `backend-${backendPort}`));

const children: ChildProcess[] = [];
function start(name: string, file: string, env: Record<string, string>) {
  const argv = file.endsWith('.js')
    ? [...BACKEND_NODE_FLAGS, file]
    : ['--import', 'tsx', resolve(root, file)];
  const child = spawn(process.execPath, argv, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping the demo`);
      stop(1);
    }
  });
  children.push(child);
}

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 300).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

start('sandbox', 'src/sandbox/main.ts', {
  SANDBOX_PORT: String(sandboxPort),
  SANDBOX_HOST: host,
  SANDBOX_PUBLIC_URL: sandboxUrl,
});
start('backend', backendEntry, {
  PORT: String(backendPort),
  HOST: host,
  PUBLIC_BASE_URL: backendUrl,
  ECOMMPAY_GATE_URL: sandboxUrl,
  ECOMMPAY_PAYMENT_PAGE_URL: `${sandboxUrl}/payment`,
  ALLOWED_ORIGINS: [demoUrl, `http://localhost:${demoPort}`].join(','),
  DATA_DIR: process.env.DATA_DIR ?? resolve(root, '.data/pglite'),
});

const app = new Hono();
app.use(compress());
app.route(
  '/',
  createMerchantServer({
    backendUrl,
    publicBackendUrl: backendUrl,
    gateOrigins: [sandboxUrl],
    apiKey: process.env.MERCHANT_API_KEY ?? DEMO_MERCHANT_API_KEY,
    publicUrl: demoUrl,
    demoDir: resolve(root, 'dist/demo'),
    embedDir: resolve(root, 'dist-embed'),
  }),
);
serve({ fetch: app.fetch, port: demoPort, hostname: host });

// Generous: the backend's first start (initdb in WASM for memory://) takes ~50 s on a loaded 2-core machine.
async function waitFor(url: string, ms = 120_000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`${url} did not come up in ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

await Promise.all([
  waitFor(`${sandboxUrl}/health`),
  waitFor(`${backendUrl}/api/health`),
  waitFor(`${demoUrl}/robots.txt`),
]).catch((e: Error) => {
  console.error(e.message);
  stop(1);
});
if (!stopping) {
  console.log(`
  ecommpay checkout demo is running (Ctrl-C to stop)

    Demo shop (React SPA)     ${demoUrl}/
    Demo shop (script tag)    ${demoUrl}/embed.html
    Merchant console          ${demoUrl}/console.html
    Backend API               ${backendUrl}/api/openapi.json
    Gate sandbox ledger       ${sandboxUrl}/_sandbox/ledger
`);
}
