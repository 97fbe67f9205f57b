#!/usr/bin/env node
// Webhook delivery benchmark (issue 12). The signing backend as deployed (compiled by scripts/build-server.ts,
// BACKEND_NODE_FLAGS) on a file-backed PGlite, the Gate sandbox for payment creation (its own callbacks
// scheduled 1,000 s out), and the merchant's receiver: a node:http server in this process on 127.0.0.1 that
// verifies every webhook with the core's verifyWebhook and answers 200.
//
//   (a) throughput: N payments' success callbacks are stored while the receiver holds its answers, so the
//       events pile up in the outbox; then the receiver answers, and the delivered events per second until the
//       last one arrives are the delivery throughput (events/s to a local receiver);
//   (b) latency: N more callbacks at a steady rate (--rate, default 250/s), the receiver answering at once;
//       for each event the time from the status change (the event's `created`, the backend's clock — the same
//       machine clock as this process) to its arrival at the receiver: p50/p90/p99/max.
//   Also the callbacks/s while the outbox is written (one endpoint subscribed) and duplicates/bad signatures.
//
//   node scripts/bench/webhooks.mjs [--events 3000 | --quick] [--rate 250] [--concurrency 16]
//                                   [--json reports/bench-webhooks.json]
//
// --quick: 400 events a phase. Everything it starts, it stops.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { tsImport } from 'tsx/esm/api';

const root = resolve(import.meta.dirname, '../..');
const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '3000' },
    rate: { type: 'string', default: '250' },
    concurrency: { type: 'string', default: '16' },
    connections: { type: 'string', default: '10' },
    quick: { type: 'boolean', default: false },
    json: { type: 'string', default: 'reports/bench-webhooks.json' },
  },
});
const EVENTS = args.quick ? 400 : Number(args.events);
const RATE = Number(args.rate);
const CONCURRENCY = Number(args.concurrency);
const CONNECTIONS = Number(args.connections);
const TARGETS = { eventsPerSec: 500, p99Ms: 200 };
if (!(EVENTS >= 50) || !(RATE > 0) || !(CONCURRENCY >= 1 && CONCURRENCY <= 64)) {
  console.error('usage: webhooks.mjs [--events ≥50] [--rate >0] [--concurrency 1–64]');
  process.exit(64);
}

const { BACKEND_NODE_FLAGS, buildServer } = await tsImport('../build-server.ts', import.meta.url);
const { DEMO_MERCHANT_API_KEY, DEMO_PROJECT_ID, DEMO_SECRET_KEY } = await tsImport(
  '../../src/server/config.ts',
  import.meta.url,
);
const { sign } = await tsImport('../../src/core/signature.ts', import.meta.url);
const { verifyWebhook } = await tsImport('../../src/core/webhooks.ts', import.meta.url);
const AUTH = { authorization: `Bearer ${DEMO_MERCHANT_API_KEY}` };
const round = (n, d = 0) => Math.round(n * 10 ** d) / 10 ** d;

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
/** `node <argv>`, resolved at the first stdout line that `ready` accepts (≤ 90 s). */
function start(name, argv, env, ready) {
  const child = spawn(process.execPath, argv, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let err = '';
  child.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
  const exited = new Promise((ok) => child.once('exit', ok));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(kill);
    }
    children.delete(child);
  };
  return new Promise((ok, fail) => {
    let buf = '';
    const timer = setTimeout(() => fail(new Error(`${name}: not ready in 90 s\n${err}`)), 90_000);
    child.stdout.on('data', (d) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (ready(line)) {
          clearTimeout(timer);
          ok({ child, line, stop });
        }
      }
      if (buf.length > 100_000) buf = '';
    });
    void exited.then(() => {
      clearTimeout(timer);
      fail(new Error(`${name} exited (${child.exitCode ?? child.signalCode})\n${err}`));
    });
  });
}

/** autocannon POSTs: `next(i)` gives each; `overallRate` paces them. */
async function load(url, { amount, next, onResponse, overallRate }) {
  let i = 0;
  const started = performance.now();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    amount,
    timeout: 30,
    ...(overallRate ? { overallRate } : {}),
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
  const seconds = (performance.now() - started) / 1000;
  return {
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    seconds: round(seconds, 2),
    perSec: round(result['2xx'] / seconds),
    p99: result.latency.p99,
  };
}

let operationSeq = 0;
/** A success callback as the Gate sends it (the shape of src/sandbox/callbacks.ts). */
async function successCallback(paymentId) {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, '+0000');
  const sum = { amount: 10_000, currency: 'PHP' };
  const body = {
    project_id: DEMO_PROJECT_ID,
    payment: {
      id: paymentId,
      type: 'purchase',
      status: 'success',
      date: now,
      method: 'GrabPay wallet',
      sum,
      description: 'Benchmark order',
    },
    customer: { id: 'bench-customer' },
    operation: {
      id: 3_130_000_000_000 + ++operationSeq,
      type: 'sale',
      status: 'success',
      date: now,
      created_date: now,
      request_id: `bench-${paymentId}`,
      sum_initial: sum,
      sum_converted: sum,
      code: '0',
      message: 'Success',
      provider: { id: 1369, payment_id: `P${operationSeq}`, date: now, auth_code: '' },
    },
  };
  return JSON.stringify({ ...body, signature: await sign(body, DEMO_SECRET_KEY) });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// ── the merchant's receiver ─────────────────────────────────────────────────────────────────────────

let secret = '';
let hold = null; // while set: answers wait for this promise
const seen = new Map(); // event id → times received
const arrivals = []; // { at: Date.now(), latencyMs }
let badSignatures = 0;
const receiver = createHttpServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const v = await verifyWebhook(body, req.headers, secret);
    const answer = () => res.writeHead(v.ok ? 200 : 400).end();
    if (!v.ok) {
      badSignatures++;
      return answer();
    }
    if (hold) await hold;
    const at = Date.now();
    seen.set(v.event.id, (seen.get(v.event.id) ?? 0) + 1);
    arrivals.push({ at, latencyMs: at - Date.parse(v.event.created), id: v.event.id });
    answer();
  });
});
receiver.keepAliveTimeout = 5_000;

async function waitForEvents(n, ms) {
  const deadline = Date.now() + ms;
  while (seen.size < n) {
    if (Date.now() > deadline)
      throw new Error(`only ${seen.size} of ${n} events arrived within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// ── the run ─────────────────────────────────────────────────────────────────────────────────────────

const tmp = mkdtempSync(join(tmpdir(), 'ecp-bench-webhooks-'));
const compiledDir = join(root, 'node_modules/.cache', `ecp-bench-webhooks-${process.pid}`);
let exitCode = 0;
try {
  await new Promise((ok) => receiver.listen(0, '127.0.0.1', ok));
  const receiverUrl = `http://127.0.0.1:${receiver.address().port}/webhooks`;
  const [sandboxPort, backendPort] = [await freePort(), await freePort()];
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const backendUrl = `http://127.0.0.1:${backendPort}`;
  const common = { BENCH_SECRET: DEMO_SECRET_KEY, BENCH_PROJECT_ID: String(DEMO_PROJECT_ID) };
  const sandbox = await start(
    'sandbox',
    ['--import', 'tsx', 'scripts/bench/backend-sandbox.ts'],
    { ...common, BENCH_SANDBOX_PORT: String(sandboxPort), BENCH_SANDBOX_TIME_SCALE: '1000' },
    (l) => l.startsWith('{"port"'),
  );
  const entry = buildServer(compiledDir);
  const backendEnv = {
    PORT: String(backendPort),
    HOST: '127.0.0.1',
    DATA_DIR: join(tmp, 'pglite'),
    DATABASE_URL: '',
    APP_ENV: '',
    ECOMMPAY_PROJECT_ID: String(DEMO_PROJECT_ID),
    ECOMMPAY_SECRET_KEY: DEMO_SECRET_KEY,
    MERCHANT_API_KEY: DEMO_MERCHANT_API_KEY,
    ECOMMPAY_GATE_URL: sandboxUrl,
    ECOMMPAY_PAYMENT_PAGE_URL: `${sandboxUrl}/payment`,
    PUBLIC_BASE_URL: backendUrl,
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'info',
    // Held answers in (a) must not time out.
    WEBHOOK_TIMEOUT_MS: '60000',
    NODE_OPTIONS: BACKEND_NODE_FLAGS.join(' '),
  };
  const startBackend = () => start('backend', [entry], backendEnv, (l) => l.includes('"server.listening"'));
  // initdb on the first start; measured on a restart, as deployed.
  await (await startBackend()).stop();
  const backend = await startBackend();
  console.log(
    `backend pid ${backend.child.pid} on ${backendUrl} (PGlite file-backed); receiver ${receiverUrl}`,
  );

  const registered = await fetch(`${backendUrl}/api/merchant/webhook-endpoints`, {
    method: 'POST',
    headers: { ...AUTH, 'content-type': 'application/json' },
    // Disabled at first: the baseline phase stores callbacks without webhooks.
    body: JSON.stringify({
      url: receiverUrl,
      events: ['payment.succeeded'],
      max_concurrency: CONCURRENCY,
      enabled: false,
    }),
  });
  if (registered.status !== 201) throw new Error(`endpoint: ${registered.status} ${await registered.text()}`);
  const endpoint = await registered.json();
  secret = endpoint.secret;

  // Sessions and payments for both phases (not measured).
  const total = 2 * EVENTS;
  const all = 3 * EVENTS;
  const sessions = [];
  await load(backendUrl, {
    amount: all,
    next: () => ({
      path: '/api/sessions',
      body: JSON.stringify({
        amount: 10_000,
        currency: 'PHP',
        customer: { id: 'bench-customer' },
        return_url: 'https://shop.example.com/done',
      }),
      headers: AUTH,
    }),
    onResponse: (status, body) => status === 201 && sessions.push(JSON.parse(body).id),
  });
  const payments = [];
  const paymentBody = JSON.stringify({
    method: 'grabpay',
    currency: 'PHP',
    fields: { email: 'bench@example.com' },
  });
  await load(backendUrl, {
    amount: all,
    next: (i) => ({
      path: `/api/sessions/${sessions[i]}/payments`,
      body: paymentBody,
      headers: { 'idempotency-key': `wh-${i}` },
    }),
    onResponse: (status, body) => status === 201 && payments.push(JSON.parse(body).id),
  });
  if (payments.length !== all) throw new Error(`payments: ${payments.length} of ${all} created`);
  const bodies = [];
  for (const id of payments) bodies.push(await successCallback(id));
  const post = (list) => (i) => ({ path: '/api/callbacks/ecommpay', body: list[i] });

  // (0) baseline: the same callbacks with no endpoint enabled (the trigger finds none and writes nothing).
  const baseline = await load(backendUrl, { amount: EVENTS, next: post(bodies.slice(2 * EVENTS)) });
  const enabled = await fetch(`${backendUrl}/api/merchant/webhook-endpoints/${endpoint.id}`, {
    method: 'PATCH',
    headers: { ...AUTH, 'content-type': 'application/json' },
    body: JSON.stringify({ enabled: true }),
  });
  if (enabled.status !== 200) throw new Error(`enable: ${enabled.status}`);
  console.log(`(0) ${EVENTS} callbacks stored at ${baseline.perSec}/s without webhooks`);

  // (a) throughput: a backlog in the outbox, then delivered as fast as it goes.
  let release;
  hold = new Promise((r) => (release = r));
  const ingest = await load(backendUrl, { amount: EVENTS, next: post(bodies.slice(0, EVENTS)) });
  const t0 = Date.now();
  const before = arrivals.length;
  hold = null;
  release();
  await waitForEvents(EVENTS, 120_000);
  const t1 = Math.max(...arrivals.map((a) => a.at));
  const drained = arrivals.length - before;
  const throughput = {
    events: EVENTS,
    deliveredAfterRelease: drained,
    seconds: round((t1 - t0) / 1000, 2),
    perSec: round(drained / ((t1 - t0) / 1000)),
  };
  console.log(
    `(a) ${EVENTS} callbacks stored at ${ingest.perSec}/s with the outbox; backlog delivered at ${throughput.perSec} events/s`,
  );

  // (b) latency at a steady rate.
  const mark = arrivals.length;
  const paced = await load(backendUrl, {
    amount: EVENTS,
    overallRate: RATE,
    next: post(bodies.slice(EVENTS)),
  });
  await waitForEvents(total, 120_000);
  const lat = arrivals
    .slice(mark)
    .map((a) => a.latencyMs)
    .sort((a, b) => a - b);
  const latency = {
    events: lat.length,
    rate: RATE,
    callbacksPerSec: paced.perSec,
    p50: percentile(lat, 50),
    p90: percentile(lat, 90),
    p99: percentile(lat, 99),
    max: lat.at(-1),
  };
  console.log(
    `(b) ${lat.length} events at ${paced.perSec}/s: status change → delivery p50 ${latency.p50} ms, p99 ${latency.p99} ms, max ${latency.max} ms`,
  );
  await backend.stop();
  await sandbox.stop();

  const duplicates = [...seen.values()].filter((n) => n > 1).length;
  const problems = [];
  if (baseline.ok !== EVENTS || baseline.non2xx) problems.push(`callbacks (0): ${JSON.stringify(baseline)}`);
  if (ingest.ok !== EVENTS || ingest.non2xx || ingest.errors)
    problems.push(`callbacks (a): ${JSON.stringify(ingest)}`);
  if (paced.ok !== EVENTS || paced.non2xx || paced.errors)
    problems.push(`callbacks (b): ${JSON.stringify(paced)}`);
  if (seen.size !== total) problems.push(`${seen.size} distinct events for ${total} payments`);
  if (badSignatures) problems.push(`${badSignatures} webhooks failed verifyWebhook`);
  const report = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    store: 'PGlite file-backed in a temp dir, restarted after initdb',
    backend: 'compiled (scripts/build-server.ts), plain node with BACKEND_NODE_FLAGS',
    quick: args.quick,
    endpointConcurrency: CONCURRENCY,
    callbacksWithoutWebhooks: baseline,
    callbacksWithOutbox: ingest,
    throughput,
    latency,
    duplicates,
    badSignatures,
    targets: {
      throughput: {
        value: throughput.perSec,
        goal: TARGETS.eventsPerSec,
        met: throughput.perSec >= TARGETS.eventsPerSec,
      },
      p99: { value: latency.p99, goal: TARGETS.p99Ms, met: latency.p99 < TARGETS.p99Ms },
    },
    problems,
  };
  mkdirSync(join(root, 'reports'), { recursive: true });
  writeFileSync(join(root, args.json), `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `\nwebhooks: ${throughput.perSec} events/s (target ≥ ${TARGETS.eventsPerSec}), p99 ${latency.p99} ms (target < ${TARGETS.p99Ms}); ` +
      `${duplicates} duplicates; written to ${args.json}`,
  );
  if (problems.length > 0) {
    console.error(`problems:\n  ${problems.join('\n  ')}`);
    exitCode = 1;
  }
} catch (error) {
  console.error(error instanceof Error ? error.stack : error);
  exitCode = 1;
} finally {
  await Promise.all(
    [...children].map((c) =>
      c.exitCode === null ? (c.kill('SIGKILL'), new Promise((r) => c.once('exit', r))) : null,
    ),
  );
  receiver.closeAllConnections();
  receiver.close();
  rmSync(tmp, { recursive: true, force: true });
  rmSync(compiledDir, { recursive: true, force: true });
}
process.exit(exitCode);
