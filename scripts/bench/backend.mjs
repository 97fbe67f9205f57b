#!/usr/bin/env node
// Backend benchmark (issue 7, items 3 and 4). The signing backend (`src/server/main.ts`), the Gate sandbox and
// a raw node:http baseline run as real HTTP servers on 127.0.0.1, each in its own process; autocannon loads
// them from this process.
//
//   (a) payment creation: POST /api/sessions/:id/payments with a pre-created session and a distinct
//       Idempotency-Key per request — validation, store, signing and the Gate request to the sandbox;
//   (b) callback ingestion: POST /api/callbacks/ecommpay with correctly signed callbacks for the payments of
//       (a), first their "awaiting redirect" callback, then their final one — verification, store, update;
//   each beside a raw node:http server that only parses and signs the same JSON with HMAC-SHA512, in the same
//   run; and (item 4) the backend's RSS after the payments.
//
// Store: PGlite in a fresh temp dir (the backend's default, file-backed). The backend starts there once to
// create the database (initdb, migrations), is stopped, and is started again for the measurement, as a
// deployed backend is; the first start's peak RSS is reported too. `--store memory` uses DATA_DIR=memory://
// instead (initdb in the measured process); `--store postgres` uses DATABASE_URL (e.g. under
// scripts/with-postgres.sh; PostgreSQL's own processes are not in the backend's RSS). The sandbox's own
// callbacks are scheduled 1,000 s out (time scale 1000), so (a) measures creation alone and (b) only
// autocannon's callbacks. Logging at the default level (info), written to a pipe this script reads.
// The backend runs as deployed (`npm run server:prod`): compiled by scripts/build-server.ts, on plain node with
// its BACKEND_NODE_FLAGS (heap sizes; why those: that file). `--tsx` runs src/server/main.ts with the tsx loader
// instead, as `npm run server` does in development; `--node-options` replaces the backend's node flags.
// `--entry` measures another backend's main.ts (with tsx), e.g. an older commit's export, for before/after.
// The memory target is the RSS after 10,000 payments: the default run measures 10,000 (after 1,000 of
// warm-up); `--quick` measures 1,000 and says that its RSS is not that figure.
//
//   node scripts/bench/backend.mjs [--payments 10000 | --quick] [--connections 10] [--store dir|memory|postgres]
//                                  [--profile payments|callbacks] [--json reports/bench-backend.json]
//                                  [--tsx | --entry path/to/server/main.ts] [--node-options '…']
//                                  [--payments-only]
//
// Prints a table and writes the figures to reports/bench-backend.json. Everything it starts, it stops.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { tsImport } from 'tsx/esm/api';

const root = resolve(import.meta.dirname, '../..');
const { values: args } = parseArgs({
  options: {
    payments: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '10' },
    store: { type: 'string', default: 'dir' },
    profile: { type: 'string' },
    'raw-seconds': { type: 'string', default: '5' },
    json: { type: 'string', default: 'reports/bench-backend.json' },
    // Another backend to measure, e.g. an older commit's src exported elsewhere (before/after comparisons).
    entry: { type: 'string' },
    // src/server/main.ts with the tsx loader (development), instead of the compiled build (deployment).
    tsx: { type: 'boolean', default: false },
    // Flags for the backend's node only (default: the deployed BACKEND_NODE_FLAGS; none with --tsx/--entry).
    'node-options': { type: 'string' },
    // 1,000 payments: quicker, but not the memory target's 10,000.
    quick: { type: 'boolean', default: false },
    // Payments only (sessions, payments, RSS): no callbacks, no raw baseline.
    'payments-only': { type: 'boolean', default: false },
  },
});
const { BACKEND_NODE_FLAGS, buildServer } = await tsImport('../build-server.ts', import.meta.url);
const COMPILED = !args.tsx && !args.entry;
const ENTRY = args.entry ?? 'src/server/main.ts';
const NODE_OPTIONS = args['node-options'] ?? (COMPILED ? BACKEND_NODE_FLAGS.join(' ') : '');
const PAYMENTS = args.quick ? 1000 : Number(args.payments);
const MEMORY_PAYMENTS = 10_000;
const CONNECTIONS = Number(args.connections);
const WARMUP = Math.min(1000, Math.max(100, Math.round(PAYMENTS / 10)));
const RAW_SECONDS = Number(args['raw-seconds']);
const TARGETS = { paymentsPerSec: 500, callbacksPerSec: 1000, p99Ms: 50, rssMb: 250 };
const POSTGRES_URL = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
if (!(PAYMENTS >= 100) || !(CONNECTIONS >= 1) || !['dir', 'memory', 'postgres'].includes(args.store)) {
  console.error('usage: backend.mjs [--payments ≥100] [--connections ≥1] [--store dir|memory|postgres]');
  process.exit(64);
}
if (args.store === 'postgres' && !POSTGRES_URL) {
  console.error(
    '--store postgres needs DATABASE_URL (or TEST_DATABASE_URL), e.g. under scripts/with-postgres.sh',
  );
  process.exit(64);
}
if (args.profile && !['payments', 'callbacks'].includes(args.profile)) {
  console.error('--profile takes payments or callbacks');
  process.exit(64);
}

const { DEMO_MERCHANT_API_KEY, DEMO_PROJECT_ID, DEMO_SECRET_KEY } = await tsImport(
  '../../src/server/config.ts',
  import.meta.url,
);
const { sign } = await tsImport('../../src/core/signature.ts', import.meta.url);

const round = (n, d = 0) => Math.round(n * 10 ** d) / 10 ** d;

// ── processes ─────────────────────────────────────────────────────────────────────────────────────

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

const children = new Set();

/**
 * Starts `node <argv>` and resolves once a stdout line matches `ready` (≤ 90 s). The answer can wait for
 * later lines too (`waitFor`), and `stop()` ends it (SIGTERM, SIGKILL after 15 s).
 */
function start(name, argv, env, ready) {
  const child = spawn(process.execPath, argv, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const waiters = new Set();
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      for (const w of waiters) if (w.match(line)) w.done(line);
    }
    if (buf.length > 1_000_000) buf = '';
  });
  const exited = new Promise((ok) => child.once('exit', () => ok()));
  const waitFor = (match, ms = 90_000) =>
    new Promise((ok, fail) => {
      const w = {
        match,
        done: (line) => {
          clearTimeout(timer);
          waiters.delete(w);
          ok(line);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(w);
        fail(new Error(`${name}: no expected output in ${ms / 1000} s\n${stderr}`));
      }, ms);
      waiters.add(w);
      void exited.then(() => {
        if (!waiters.has(w)) return;
        clearTimeout(timer);
        waiters.delete(w);
        fail(new Error(`${name} exited (${child.exitCode ?? child.signalCode})\n${stderr}`));
      });
    });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(kill);
    }
    children.delete(child);
  };
  return waitFor(ready).then((line) => ({ child, line, waitFor, stop }));
}

async function stopAll() {
  await Promise.all(
    [...children].map(async (c) => {
      if (c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise((ok) => c.once('exit', ok));
      const kill = setTimeout(() => c.kill('SIGKILL'), 15_000);
      c.kill('SIGTERM');
      await exited;
      clearTimeout(kill);
    }),
  );
  children.clear();
}

/** Resident set size and its peak, in MB, from /proc (Linux). */
function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: round(kb('VmRSS') / 1024), peakMb: round(kb('VmHWM') / 1024) };
  } catch {
    return { rssMb: NaN, peakMb: NaN };
  }
}

/** CPU time (user + system) a process has used, in ms, from /proc (Linux; 100 ticks a second). */
function cpuMsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

// ── load ──────────────────────────────────────────────────────────────────────────────────────────

/**
 * One autocannon run of POST requests: `next(i)` gives the i-th ({path, body, headers}); `amount` bounds the
 * run (else `duration` s). Answers throughput, latency percentiles, status counts and, for each process in
 * `watch`, the CPU time it spent per answered request (which does not depend on what else the machine runs).
 */
async function load(url, { amount, duration, next, onResponse, watch = {} }) {
  let i = 0;
  const cpuBefore = Object.fromEntries(Object.entries(watch).map(([k, pid]) => [k, cpuMsOf(pid)]));
  const started = performance.now();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    ...(amount ? { amount } : { duration }),
    timeout: 30,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const r = next(i++);
          return {
            ...req,
            path: r.path,
            body: r.body,
            headers: { 'content-type': 'application/json', ...r.headers },
          };
        },
        ...(onResponse ? { onResponse } : {}),
      },
    ],
  });
  const ok = result['2xx'];
  // The rate over the run's own wall time: autocannon's `duration` counts whole one-second ticks, so a short
  // `amount` run (1,000 payments in ~2.2 s) read as 3.01 s and a third too slow.
  const seconds = (performance.now() - started) / 1000;
  return {
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: round(seconds, 2),
    perSec: round(ok / seconds),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    cpuMsPerRequest: Object.fromEntries(
      Object.entries(watch).map(([k, pid]) => [k, round((cpuMsOf(pid) - cpuBefore[k]) / Math.max(1, ok), 3)]),
    ),
  };
}

// ── callbacks as the Gate sends them (the shape of src/sandbox/callbacks.ts) ─────────────────────────

let operationSeq = 0;
async function callback(paymentId, kind, sandboxUrl) {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, '+0000');
  const redirect = kind === 'redirect';
  const status = redirect ? 'awaiting redirect result' : 'success';
  const sum = { amount: 10_000, currency: 'PHP' };
  const body = {
    project_id: DEMO_PROJECT_ID,
    payment: {
      id: paymentId,
      type: 'purchase',
      status,
      date: now,
      method: 'GrabPay wallet',
      sum,
      description: 'Benchmark order',
    },
    customer: { id: 'bench-customer' },
    operation: {
      id: 3_120_000_000_000 + ++operationSeq,
      type: 'sale',
      status,
      date: now,
      created_date: now,
      request_id: `bench-${paymentId}`,
      sum_initial: sum,
      sum_converted: sum,
      code: redirect ? '9999' : '0',
      message: redirect ? 'Awaiting processing' : 'Success',
      provider: { id: 1369, payment_id: `P${operationSeq}`, date: now, auth_code: '' },
    },
  };
  if (redirect) {
    body.redirect_data = {
      body: {},
      method: 'GET',
      url: `${sandboxUrl}/providers/grabpay/Pay.aspx?tokenid=${paymentId}&procid=${operationSeq}`,
    };
  }
  return JSON.stringify({ ...body, signature: await sign(body, DEMO_SECRET_KEY) });
}

// ── CPU profile summary ───────────────────────────────────────────────────────────────────────────

function category(frame) {
  const { url, functionName } = frame;
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (url.startsWith('wasm://')) return 'PGlite (Postgres in WASM)';
  if (url.includes('/pglite/')) return 'PGlite (JS: protocol, parsing)';
  if (url.includes('/drizzle-orm/')) return 'drizzle-orm (query building, row mapping)';
  if (url.includes('/hono/') || url.includes('/@hono/')) return 'hono + @hono/node-server';
  if (url.includes('/undici/') || url.includes('internal/deps/undici')) return 'fetch (undici) to the Gate';
  if (url.includes('/zod/')) return 'zod';
  if (url.includes('/src/core/')) return `src/core/${url.split('/src/core/')[1]}`;
  if (url.includes('/src/server/')) return `src/server/${url.split('/src/server/')[1]}`;
  if (url.startsWith('node:internal/crypto') || /^(run|dispatch|HmacJob|digest)$/.test(functionName))
    return 'node crypto (WebCrypto HMAC, SHA-256)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  return url ? url.split('node_modules/').pop() : `(native) ${functionName}`;
}

/** Busy time by category and the functions with the most self time, from one .cpuprofile. */
function profileSummary(file) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((node) => [node.id, node]));
  const cats = new Map();
  const fns = new Map();
  let busy = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    const frame = byId.get(prof.samples[i]).callFrame;
    const t = prof.timeDeltas[i] ?? 0;
    const c = category(frame);
    if (c === 'idle') continue;
    busy += t;
    cats.set(c, (cats.get(c) ?? 0) + t);
    const where = frame.url ? ` ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}` : '';
    const fn = `${frame.functionName || '(anonymous)'}${where}`;
    fns.set(fn, (fns.get(fn) ?? 0) + t);
  }
  const top = (m, n) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, share: round((100 * us) / busy, 1) }));
  return { busyMs: round(busy / 1000), categories: top(cats, 14), functions: top(fns, 20) };
}

// ── the run ───────────────────────────────────────────────────────────────────────────────────────

const tmp = mkdtempSync(join(tmpdir(), 'ecp-bench-backend-'));
let compiledDir = null;
let exitCode = 0;
try {
  const [sandboxPort, backendPort] = [await freePort(), await freePort()];
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const backendUrl = `http://127.0.0.1:${backendPort}`;
  const dataDir = args.store === 'memory' ? 'memory://' : join(tmp, 'pglite');
  const profileDir = join(tmp, 'profile');
  mkdirSync(profileDir);
  const common = { BENCH_SECRET: DEMO_SECRET_KEY, BENCH_PROJECT_ID: String(DEMO_PROJECT_ID) };
  const isPort = (l) => l.startsWith('{"port"');

  const raw = await start('raw node:http', ['scripts/bench/backend-raw.mjs'], common, isPort);
  const rawUrl = `http://127.0.0.1:${JSON.parse(raw.line).port}`;
  const sandbox = await start(
    'sandbox',
    ['--import', 'tsx', 'scripts/bench/backend-sandbox.ts'],
    { ...common, BENCH_SANDBOX_PORT: String(sandboxPort), BENCH_SANDBOX_TIME_SCALE: '1000' },
    isPort,
  );
  const backendEnv = {
    PORT: String(backendPort),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: args.store === 'postgres' ? POSTGRES_URL : '',
    APP_ENV: '',
    ECOMMPAY_PROJECT_ID: String(DEMO_PROJECT_ID),
    ECOMMPAY_SECRET_KEY: DEMO_SECRET_KEY,
    MERCHANT_API_KEY: DEMO_MERCHANT_API_KEY,
    ECOMMPAY_GATE_URL: sandboxUrl,
    ECOMMPAY_PAYMENT_PAGE_URL: `${sandboxUrl}/payment`,
    PUBLIC_BASE_URL: backendUrl,
    // One client IP sends everything: the per-IP limit (120/min by default) would refuse the load itself.
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'info',
    BENCH_PROFILE_DIR: profileDir,
    ...(NODE_OPTIONS ? { NODE_OPTIONS } : {}),
  };
  let entry = ENTRY;
  if (COMPILED) {
    // The deployed build (scripts/build-server.ts), under node_modules so that it finds the packages (removed
    // at the end).
    compiledDir = join(root, 'node_modules/.cache', `ecp-bench-server-${process.pid}`);
    entry = buildServer(compiledDir);
  }
  const startBackend = () =>
    start(
      'backend',
      // A compiled entry (.js) runs on plain node, without the TypeScript loader.
      args.profile
        ? ['--import', 'tsx', 'scripts/bench/backend-profiler.ts']
        : entry.endsWith('.js')
          ? [entry]
          : ['--import', 'tsx', entry],
      { ...backendEnv, BENCH_SERVER_ENTRY: resolve(root, entry) },
      (l) => l.includes('"server.listening"'),
    );

  let firstStart = null;
  const t0 = performance.now();
  if (args.store === 'dir') {
    // First start: initdb and migrations, as on a new deployment. Then a restart on the same data.
    const first = await startBackend();
    firstStart = { ms: round(performance.now() - t0), ...memoryOf(first.child.pid) };
    await first.stop();
  }
  const t1 = performance.now();
  const backend = await startBackend();
  const pid = backend.child.pid;
  const startMs = round(performance.now() - t1);
  const memory = { firstStart, started: memoryOf(pid) };
  const watch = { backend: pid, sandbox: sandbox.child.pid };
  const rawWatch = { raw: raw.child.pid };
  console.log(
    `backend pid ${pid} on ${backendUrl}, ${{ memory: 'PGlite in memory', dir: `PGlite in ${dataDir}`, postgres: 'PostgreSQL' }[args.store]}, ` +
      `ready in ${startMs} ms${firstStart ? ` (first start with initdb: ${firstStart.ms} ms)` : ''}; ` +
      `sandbox ${sandboxUrl}; raw ${rawUrl}; ${CONNECTIONS} connections`,
  );

  const profiled = async (phase, run) => {
    if (args.profile !== phase) return run();
    backend.child.kill('SIGUSR2');
    const r = await run();
    const written = backend.waitFor((l) => l.includes('bench.profile_written'));
    backend.child.kill('SIGUSR2');
    await written;
    const file = join(
      profileDir,
      readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile')),
    );
    mkdirSync(join(root, 'reports'), { recursive: true });
    writeFileSync(join(root, `reports/bench-backend-${phase}.cpuprofile`), readFileSync(file));
    r.profile = profileSummary(file);
    return r;
  };

  // Sessions for every payment (merchant API): not part of the payment figures.
  const sessionBody = JSON.stringify({
    amount: 10_000,
    currency: 'PHP',
    customer: { id: 'bench-customer', email: 'bench@example.com' },
    description: 'Benchmark order',
    return_url: 'https://shop.example.com/checkout?order=1',
  });
  const sessions = [];
  const sessionRun = await load(backendUrl, {
    watch,
    amount: WARMUP + PAYMENTS,
    next: () => ({
      path: '/api/sessions',
      body: sessionBody,
      headers: { authorization: `Bearer ${DEMO_MERCHANT_API_KEY}` },
    }),
    onResponse: (status, body) => {
      if (status === 201) sessions.push(JSON.parse(body).id);
    },
  });
  if (sessions.length !== WARMUP + PAYMENTS) throw new Error(`sessions: ${JSON.stringify(sessionRun)}`);
  console.log(`sessions: ${sessions.length} in ${sessionRun.seconds} s`);

  // (a) payment creation, after the raw baseline on the same body; warm-up first on both.
  const paymentBody = JSON.stringify({
    method: 'grabpay',
    currency: 'PHP',
    fields: { email: 'bench@example.com' },
  });
  const payments = [];
  const pay = (offset) => (i) => ({
    path: `/api/sessions/${sessions[(offset + i) % sessions.length]}/payments`,
    body: paymentBody,
    headers: { 'idempotency-key': `bench-${offset + i}` },
  });
  const created = (status, body) => {
    if (status === 201) payments.push(JSON.parse(body).id);
  };
  const signPayment = () => ({ path: '/sign', body: paymentBody });
  const full = !args['payments-only'];
  let rawPayments = null;
  if (full) {
    await load(rawUrl, { duration: 1, next: signPayment });
    rawPayments = await load(rawUrl, { watch: rawWatch, duration: RAW_SECONDS, next: signPayment });
  }
  await load(backendUrl, { amount: WARMUP, next: pay(0), onResponse: created });
  const warm = payments.length;
  const paymentRun = await profiled('payments', () =>
    load(backendUrl, { watch, amount: PAYMENTS, next: pay(WARMUP), onResponse: created }),
  );
  memory.afterPayments = memoryOf(pid);
  console.log(`payments: ${paymentRun.ok} in ${paymentRun.seconds} s`);

  // (b) callbacks: for every measured payment its "awaiting redirect" callback, then its final one.
  const measured = payments.slice(warm);
  const bodies = [];
  const warmBodies = [];
  let rawCallbacks = null;
  let callbackRun = null;
  if (full) {
    for (const id of measured) bodies.push(await callback(id, 'redirect', sandboxUrl));
    for (const id of measured) bodies.push(await callback(id, 'final', sandboxUrl));
    for (const id of payments.slice(0, warm)) warmBodies.push(await callback(id, 'redirect', sandboxUrl));
    const post = (list) => (i) => ({ path: '/api/callbacks/ecommpay', body: list[i % list.length] });
    await load(rawUrl, { duration: 1, next: post(bodies) });
    rawCallbacks = await load(rawUrl, { watch: rawWatch, duration: RAW_SECONDS, next: post(bodies) });
    await load(backendUrl, { amount: warmBodies.length, next: post(warmBodies) });
    callbackRun = await profiled('callbacks', () =>
      load(backendUrl, { watch, amount: bodies.length, next: post(bodies) }),
    );
    memory.afterCallbacks = memoryOf(pid);
  }

  // Did everything land? Every measured payment must be a success now (waiting for its redirect without
  // the callbacks).
  const expected = full ? 'success' : 'created';
  const samples = [measured[0], measured[measured.length >> 1], measured.at(-1)];
  const sampleStates = await Promise.all(
    samples.map((id) => fetch(`${backendUrl}/api/payments/${id}`).then(async (r) => (await r.json()).status)),
  );
  await backend.stop();

  const problems = [];
  if (paymentRun.ok !== PAYMENTS || paymentRun.non2xx || paymentRun.errors)
    problems.push(
      `payments: ${paymentRun.ok}/${PAYMENTS} 2xx, ${paymentRun.non2xx} other, ${paymentRun.errors} errors`,
    );
  if (callbackRun && (callbackRun.ok !== bodies.length || callbackRun.non2xx || callbackRun.errors))
    problems.push(
      `callbacks: ${callbackRun.ok}/${bodies.length} 2xx, ${callbackRun.non2xx} other, ${callbackRun.errors} errors`,
    );
  if (sampleStates.some((s) => s !== expected))
    problems.push(`sampled payments are ${sampleStates.join(', ')}, not ${expected}`);

  const report = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    store: {
      memory: 'PGlite in memory (DATA_DIR=memory://)',
      dir: 'PGlite file-backed in a temp dir (DATA_DIR), restarted after initdb',
      postgres: 'PostgreSQL (DATABASE_URL), a separate server process',
    }[args.store],
    backend: {
      run: COMPILED ? 'compiled (scripts/build-server.ts), plain node' : `node --import tsx ${ENTRY}`,
      nodeOptions: NODE_OPTIONS || null,
    },
    connections: CONNECTIONS,
    payments: {
      backend: paymentRun,
      raw: rawPayments,
      ratio: rawPayments ? round(paymentRun.perSec / rawPayments.perSec, 4) : null,
    },
    callbacks: callbackRun && {
      backend: callbackRun,
      raw: rawCallbacks,
      ratio: round(callbackRun.perSec / rawCallbacks.perSec, 4),
    },
    sessions: sessionRun,
    memory,
    paymentsCreated: payments.length,
    callbacksSent: bodies.length + warmBodies.length,
    targets: TARGETS,
    problems,
  };
  report.met = {
    paymentsPerSec: paymentRun.perSec >= TARGETS.paymentsPerSec,
    paymentsP99: paymentRun.p99 < TARGETS.p99Ms,
    ...(callbackRun
      ? {
          callbacksPerSec: callbackRun.perSec >= TARGETS.callbacksPerSec,
          callbacksP99: callbackRun.p99 < TARGETS.p99Ms,
        }
      : {}),
    // The target is about 10,000 payments: a shorter run says nothing about it.
    rss: PAYMENTS >= MEMORY_PAYMENTS ? memory.afterPayments.rssMb < TARGETS.rssMb : null,
  };

  const cpu = (r) =>
    Object.entries(r.cpuMsPerRequest)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  const row = (name, r) =>
    `${name.padEnd(30)} ${String(r.perSec).padStart(7)} ${`${r.p50} ms`.padStart(7)} ${`${r.p99} ms`.padStart(7)} ${String(r.ok).padStart(7)}   ${cpu(r)}`;
  console.log(
    `\nbackend (${report.backend.run}${report.backend.nodeOptions ? ` ${report.backend.nodeOptions}` : ''}): ` +
      `${report.store}; ${CONNECTIONS} connections; autocannon on 127.0.0.1; ${cpus().length} CPUs`,
  );
  console.log(
    `${''.padEnd(30)} ${'req/s'.padStart(7)} ${'p50'.padStart(7)} ${'p99'.padStart(7)} ${'2xx'.padStart(7)}   CPU ms per request`,
  );
  console.log(row('payment creation', paymentRun));
  if (rawPayments) {
    console.log(row('  raw node:http + HMAC-SHA512', rawPayments));
    console.log(
      `  backend ÷ raw: ${report.payments.ratio} (raw ${round(rawPayments.perSec / paymentRun.perSec, 1)}× the req/s)`,
    );
  }
  if (callbackRun && rawCallbacks) {
    console.log(row('callback ingestion', callbackRun));
    console.log(row('  raw node:http + HMAC-SHA512', rawCallbacks));
    console.log(
      `  backend ÷ raw: ${report.callbacks.ratio} (raw ${round(rawCallbacks.perSec / callbackRun.perSec, 1)}× the req/s)`,
    );
  }
  console.log(row('session creation (merchant)', sessionRun));
  if (PAYMENTS < MEMORY_PAYMENTS)
    console.log(
      `NOTE: ${PAYMENTS} payments measured${args.quick ? ' (--quick)' : ''}, not ${MEMORY_PAYMENTS}: the RSS below is not the memory target's figure`,
    );
  console.log(
    `backend RSS: ${memory.started.rssMb} MB started, ${memory.afterPayments.rssMb} MB after ${payments.length} payments` +
      (memory.afterCallbacks
        ? `, ${memory.afterCallbacks.rssMb} MB after ${report.callbacksSent} callbacks (peak ${memory.afterCallbacks.peakMb} MB)`
        : ` (peak ${memory.afterPayments.peakMb} MB)`) +
      (firstStart ? `; first start with initdb peaked at ${firstStart.peakMb} MB` : ''),
  );
  for (const r of [paymentRun, callbackRun]) {
    if (!r?.profile) continue;
    console.log(`\nCPU profile of the backend during ${args.profile} (${r.profile.busyMs} ms busy):`);
    for (const c of r.profile.categories) console.log(`${String(c.share).padStart(6)} %  ${c.name}`);
    console.log('functions with the most self time:');
    for (const f of r.profile.functions) console.log(`${String(f.share).padStart(6)} %  ${f.name}`);
  }
  for (const p of problems) console.error(`PROBLEM: ${p}`);
  mkdirSync(join(root, 'reports'), { recursive: true });
  writeFileSync(resolve(root, args.json), `${JSON.stringify(report, null, 2)}\n`);
  if (problems.length) exitCode = 1;
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await stopAll();
  rmSync(tmp, { recursive: true, force: true });
  if (compiledDir) rmSync(compiledDir, { recursive: true, force: true });
}
process.exit(exitCode);
