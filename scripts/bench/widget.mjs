#!/usr/bin/env node
// Widget speed benchmark (issue 7, item 2): headless Chromium, 4x CPU throttle, offline (every non-loopback request
// aborted). For each page: navigation start -> the method list interactive ("ready"), and Pay click -> the redirect
// starting ("pay"), medians and p95 over N interleaved runs, and our time divided by Adyen Web's Drop-in (4 redirect
// wallets) measured in the same invocation. Targets: script-tag embed <= 0.5, React SPA entry <= 1.0.
//
//   node scripts/bench/widget.mjs [--runs 20] [--quick] [--warmup 2] [--trace-runs 0] [--pages a,b,...]
//                                 [--out reports/bench-widget.json] [--skip-build] [--save-traces]
//
// What it does: installs scripts/bench/widget/'s own dependencies on demand (Adyen Web, esbuild, playwright-core;
// never in the product's package.json), builds the pages (incl. `vite build --mode embed`), starts a static server
// for them and the Gate sandbox + backend through scripts/start.ts on dedicated ports with an in-memory store, runs
// scripts/bench/widget/measure.mjs (the Adyen anchor's harness, adapted), writes the JSON report and stops every
// server it started (by PID). Harness and method: scripts/bench/widget/README.md.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const HERE = path.join(import.meta.dirname, 'widget');
const ROOT = path.resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] && !args[i + 1].startsWith('--') ? args[i + 1] : fallback;
};
const QUICK = flag('quick');
const RUNS = Number(opt('runs', QUICK ? 3 : 20));
const WARMUP = Number(opt('warmup', QUICK ? 1 : 2));
const TRACE_RUNS = Number(opt('trace-runs', 0));
const PAGES = opt(
  'pages',
  'adyen-redirect,ecp-embed,ecp-embed-inline,ecp-spa,ecp-spa-inline,react-control,preact-control',
);
const OUT = path.resolve(ROOT, opt('out', 'reports/bench-widget.json'));
const PORTS = {
  demo: Number(process.env.BENCH_DEMO_PORT ?? 5373),
  backend: Number(process.env.BENCH_BACKEND_PORT ?? 8987),
  sandbox: Number(process.env.BENCH_SANDBOX_PORT ?? 8990),
  static: Number(process.env.BENCH_STATIC_PORT ?? 4699),
};
const HOST = '127.0.0.1';
const API_KEY = 'bench-widget-merchant-key-0123456789';
// `-inline`: the same entry given the session by the page (the `session` option), as Adyen's page is given its
// payment methods; without: the widget asks the backend for the session first.
// Issue 13's targets, ours / Adyen per metric: ready and Pay enabled (the chosen method's form and Pay usable), Pay ->
// redirect. (The SPA fetching its session has no target of its own; it is reported.)
const TARGETS = {
  'ecp-embed': { readyMs: 0.75, payEnabledMs: 0.75, payMs: 1.2 },
  'ecp-embed-inline': { readyMs: 0.55, payEnabledMs: 0.55, payMs: 1.2 },
  'ecp-spa': { readyMs: null, payEnabledMs: null, payMs: 1.2 },
  'ecp-spa-inline': { readyMs: 1.0, payEnabledMs: null, payMs: 1.2 },
};
// "Before": the ratios measured on the same harness before issue 13's changes (see the file for how and when).
const BASELINE_FILE = path.join(HERE, 'baseline.json');
const PINS = { '@adyen/adyen-web': '6.45.2', esbuild: '0.28.2', 'playwright-core': '1.65.1' };

const log = (...a) => console.error('[bench:widget]', ...a);

// ── dependencies of the benchmark only ───────────────────────────────────────────────────────────────────────────
function depsInstalled() {
  return Object.entries(PINS).every(([name, version]) => {
    try {
      return (
        JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules', name, 'package.json'), 'utf8')).version ===
        version
      );
    } catch {
      return false;
    }
  });
}
if (!depsInstalled()) {
  log('installing the benchmark dependencies into scripts/bench/widget/node_modules');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--no-audit', '--no-fund', '--prefix', HERE], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0 || !depsInstalled()) {
    log('npm install failed');
    process.exit(1);
  }
}

// ── build what is measured ───────────────────────────────────────────────────────────────────────────────────────
if (!flag('skip-build')) {
  log('building the pages (vite build --mode embed, esbuild for the rest)');
  const r = spawnSync(process.execPath, [path.join(HERE, 'build.mjs'), '--quiet'], {
    cwd: HERE,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// ── servers (each stopped by its PID on exit) ────────────────────────────────────────────────────────────────────
const children = [];
function startChild(name, cmd, cmdArgs, opts) {
  const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  const tail = [];
  const keep = (d) => {
    tail.push(String(d));
    if (tail.length > 50) tail.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.on('exit', (code, signal) => {
    child.exited = { code, signal };
  });
  children.push({ name, child, tail });
  return child;
}
async function stopAll() {
  for (const { name, child } of children.reverse()) {
    if (child.exited || child.exitCode !== null) continue;
    child.kill('SIGTERM');
    const done = await Promise.race([
      new Promise((r) => child.once('exit', () => r(true))),
      new Promise((r) => setTimeout(() => r(false), 8000)),
    ]);
    if (!done) {
      log(`${name} (pid ${child.pid}) did not stop on SIGTERM; SIGKILL`);
      child.kill('SIGKILL');
    }
  }
}
// Interrupted, or whatever goes wrong, the servers this run started are stopped (a crash would leave them
// holding the ports).
let stopping = false;
function stopAndExit(code) {
  if (stopping) return;
  stopping = true;
  void stopAll().then(() => process.exit(code));
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => stopAndExit(130));
for (const event of ['uncaughtException', 'unhandledRejection'])
  process.on(event, (e) => {
    log(`${event}:`, e);
    stopAndExit(1);
  });

function portFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, HOST, () => s.close(() => resolve(true)));
  });
}
async function waitFor(url, ms, child) {
  const until = Date.now() + ms;
  for (;;) {
    if (child?.exited) throw new Error(`${url}: its server exited (${JSON.stringify(child.exited)})`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`${url} did not come up in ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let exitCode = 0;
try {
  for (const [name, port] of Object.entries(PORTS)) {
    if (!(await portFree(port)))
      throw new Error(`port ${port} (${name}) is taken; set BENCH_${name.toUpperCase()}_PORT`);
  }
  const staticServer = startChild(
    'static',
    process.execPath,
    [path.join(HERE, 'server.mjs'), String(PORTS.static)],
    { cwd: HERE },
  );
  // start.ts builds the demo unless --no-build; it waits for the demo's robots.txt, so build the demo only when missing.
  const demoBuilt = fs.existsSync(path.join(ROOT, 'dist/demo/robots.txt'));
  const stack = startChild(
    'start.ts',
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'scripts/start.ts'), '--quiet', ...(demoBuilt ? ['--no-build'] : [])],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DEMO_HOST: HOST,
        DEMO_PORT: String(PORTS.demo),
        BACKEND_PORT: String(PORTS.backend),
        SANDBOX_PORT: String(PORTS.sandbox),
        DATA_DIR: 'memory://',
        // The sandbox waits 1 s (its emulated provider latency) before the redirect callback; Adyen's
        // stand-in merchant server answers at once. Scale the emulation down so Pay → redirect compares the
        // widgets and our backend, not a sleep (BENCH_SANDBOX_TIME_SCALE=1 measures with the full delay).
        SANDBOX_TIME_SCALE: process.env.BENCH_SANDBOX_TIME_SCALE ?? '0.01',
        MERCHANT_API_KEY: API_KEY,
        LOG_LEVEL: 'warn',
        RATE_LIMIT_PER_MINUTE: '1000000',
      },
    },
  );
  await Promise.all([
    waitFor(`http://${HOST}:${PORTS.static}/ecp-embed/`, 15_000, staticServer),
    waitFor(`http://${HOST}:${PORTS.sandbox}/health`, 120_000, stack),
    waitFor(`http://${HOST}:${PORTS.backend}/api/health`, 120_000, stack),
    waitFor(`http://${HOST}:${PORTS.demo}/robots.txt`, 180_000, stack),
  ]);
  log(
    `servers up (load average ${os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}); measuring ${RUNS} runs + ${WARMUP} warm-up per page`,
  );

  const raw = path.join(HERE, 'results', `run-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  // results/ is not in git: a fresh checkout has none.
  fs.mkdirSync(path.dirname(raw), { recursive: true });
  // Async, so that a SIGINT/SIGTERM to this process still stops the servers (and the measurement) at once.
  const measure = startChild(
    'measure.mjs',
    process.execPath,
    [
      path.join(HERE, 'measure.mjs'),
      '--pages',
      PAGES,
      '--runs',
      String(RUNS),
      '--warmup',
      String(WARMUP),
      '--trace-runs',
      String(TRACE_RUNS),
      '--origin',
      `http://${HOST}:${PORTS.demo}`,
      '--base',
      `http://${HOST}:${PORTS.static}`,
      '--api',
      `http://${HOST}:${PORTS.backend}`,
      '--api-key',
      API_KEY,
      '--sandbox',
      `http://${HOST}:${PORTS.sandbox}`,
      '--ref',
      'adyen-redirect',
      '--out',
      raw,
      ...(flag('save-traces') ? ['--save-traces'] : []),
    ],
    { cwd: HERE },
  );
  const runLog = fs.createWriteStream(raw.replace(/\.json$/, '.log'));
  measure.stdout.pipe(process.stdout);
  measure.stderr.pipe(runLog);
  if (process.env.BENCH_VERBOSE) measure.stderr.pipe(process.stderr);
  const status = await new Promise((r) => measure.once('close', (code, signal) => r(code ?? signal)));
  runLog.end();
  if (status !== 0)
    throw new Error(
      `measure.mjs failed (${status}); its log: ${path.relative(ROOT, raw.replace(/\.json$/, '.log'))}`,
    );
  const data = JSON.parse(fs.readFileSync(raw, 'utf8'));
  data.payFloor = await payFloor(Number(opt('floor-runs', QUICK ? 5 : 20)));
  report(data, raw);
} catch (e) {
  if (stopping) await new Promise(() => {}); // a signal is stopping everything; its handler exits
  log(String(e?.stack ?? e));
  for (const { name, tail } of children)
    if (tail.length) log(`${name} output (last lines):\n${tail.join('').slice(-3000)}`);
  exitCode = 1;
} finally {
  await stopAll();
}
process.exit(exitCode);

/**
 * The floor of Pay -> redirect, measured alone on the same stack (no browser, no page): Node sends the widget's
 * request — a GrabPay PHP payment, `POST /api/sessions/:id/payments?wait=2` as the embed sends it (text/plain, key in
 * the query, Origin the demo's) — and times it to the answer that carries the redirect: the backend (store, signing),
 * the sandbox's Gate and its callback, on loopback. Sequential, after the browser runs.
 */
async function payFloor(runs) {
  const api = `http://${HOST}:${PORTS.backend}`;
  const times = [];
  for (let i = 0; i < runs; i++) {
    const res = await fetch(`${api}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({
        prices: { PHP: 150000 },
        customer: { id: 'bench', email: 'bench@example.com' },
        return_url: `http://${HOST}:${PORTS.demo}/return`,
      }),
    });
    const session = await res.json();
    const t0 = performance.now();
    const pay = await fetch(
      `${api}/api/sessions/${session.id}/payments?wait=2&idempotency_key=${crypto.randomUUID()}`,
      {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8', origin: `http://${HOST}:${PORTS.demo}` },
        body: JSON.stringify({ method: 'grabpay', currency: 'PHP', fields: { email: 'bench@example.com' } }),
      },
    );
    const body = await pay.json();
    const ms = performance.now() - t0;
    if (body?.next_action?.type === 'redirect') times.push(ms);
  }
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)];
  return times.length
    ? { n: times.length, of: runs, median: q(0.5), p95: q(0.95), min: times[0] }
    : { n: 0, of: runs };
}

function report(data, raw) {
  const { summary, paired, meta } = data;
  const git = (a) => spawnSync('git', a, { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  const commit = git(['rev-parse', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--', 'src', 'vite.config.ts', 'package.json']) !== '';
  const n0 = (v) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(0) : '-');
  const kb = (v) => (typeof v === 'number' ? `${(v / 1024).toFixed(1)} KB` : '-');
  const rows = Object.entries(summary).map(([page, s]) => ({
    page,
    readyMedian: s.readyMs.median,
    readyP95: s.readyMs.p95,
    payEnabledMedian: s.payEnabledMs?.n ? s.payEnabledMs.median : null,
    payEnabledP95: s.payEnabledMs?.n ? s.payEnabledMs.p95 : null,
    payMedian: s.payMs?.median ?? null,
    payP95: s.payMs?.p95 ?? null,
    jsTransfer: s.jsTransfer,
    cssTransfer: s.cssTransfer,
    radios: s.radios,
    sessionFetchMedian: s.sessionFetchMs?.n ? s.sessionFetchMs.median : null,
    // where the time goes (medians): ready = scriptStart + eval + (evaluated -> ready); ours: session GET inside that
    breakdown: {
      scriptLoadedMs: s.jsResponseEndMs?.median,
      bundleEvalMs: s.bundleEvalMs?.median,
      bundleEvaluatedMs: s.bundleEvaluatedMs?.median,
      evaluatedToReadyMs: s.evaluatedToReadyMs?.median,
      sessionFetchStartMs: s.sessionFetchStartMs?.n ? s.sessionFetchStartMs.median : null,
      sessionFetchMs: s.sessionFetchMs?.n ? s.sessionFetchMs.median : null,
      sessionAnswerToReadyMs: s.sessionToReadyMs?.n ? s.sessionToReadyMs.median : null,
      payPostAnsweredMs: s.payPostEndMs?.n ? s.payPostEndMs.median : null,
      payClientMs: s.payClientMs?.n ? s.payClientMs.median : null,
      payRequests: s.payRequests?.n ? s.payRequests.median : null,
    },
  }));
  const line = (c) => `| ${c.join(' | ')} |`;
  const out = [];
  out.push(
    `\nWidget speed, ${meta.throttle}x CPU throttle, offline, n=${meta.runs} per page (interleaved, ${meta.warmup} warm-up rounds), Chromium ${meta.chromium}`,
  );
  out.push(
    `load average at start ${meta.loadavgStart.map((v) => v.toFixed(2)).join(' ')}, at end ${meta.loadavgEnd.map((v) => v.toFixed(2)).join(' ')}; commit ${commit.slice(0, 10)}${dirty ? ' (+ uncommitted changes in src)' : ''}\n`,
  );
  out.push(
    line([
      'page',
      'ready median',
      'ready p95',
      'pay enabled median',
      'pay enabled p95',
      'pay->redirect median',
      'pay->redirect p95',
      'JS on the wire',
      'CSS on the wire',
      'radios',
    ]),
  );
  out.push(line(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']));
  for (const r of rows)
    out.push(
      line([
        r.page,
        `${n0(r.readyMedian)} ms`,
        `${n0(r.readyP95)} ms`,
        r.payEnabledMedian === null ? '-' : `${n0(r.payEnabledMedian)} ms`,
        r.payEnabledP95 === null ? '-' : `${n0(r.payEnabledP95)} ms`,
        r.payMedian === null ? '-' : `${n0(r.payMedian)} ms`,
        r.payP95 === null ? '-' : `${n0(r.payP95)} ms`,
        kb(r.jsTransfer),
        kb(r.cssTransfer),
        r.radios ?? '-',
      ]),
    );
  out.push('\nWhere the time goes (medians, ms from navigation start unless a duration):');
  out.push(
    line([
      'page',
      'JS loaded',
      'bundle eval',
      'evaluated at',
      'evaluated -> ready',
      'session GET starts',
      'session GET takes',
      'answer -> ready',
      'pay: POST answered',
      "pay: page's own time",
      'pay: requests',
    ]),
  );
  out.push(line(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']));
  for (const r of rows) {
    const b = r.breakdown;
    out.push(
      line([
        r.page,
        n0(b.scriptLoadedMs),
        n0(b.bundleEvalMs),
        n0(b.bundleEvaluatedMs),
        n0(b.evaluatedToReadyMs),
        n0(b.sessionFetchStartMs),
        n0(b.sessionFetchMs),
        n0(b.sessionAnswerToReadyMs),
        n0(b.payPostAnsweredMs),
        n0(b.payClientMs),
        n0(b.payRequests),
      ]),
    );
  }
  const verdicts = [];
  out.push('\nOurs / Adyen Drop-in (median of the per-round ratios; ratio of the medians in brackets):');
  const baseline = fs.existsSync(BASELINE_FILE) ? JSON.parse(fs.readFileSync(BASELINE_FILE, 'utf8')) : null;
  for (const [page, goals] of Object.entries(TARGETS)) {
    const p = paired?.[page];
    if (!p) continue;
    for (const [key, label] of [
      ['readyMs', 'ready'],
      ['payEnabledMs', 'pay enabled'],
      ['payMs', 'pay->redirect'],
    ]) {
      const q = p[key];
      if (!q) continue;
      const target = goals[key];
      const ok = target === null ? null : q.ratio.median <= target;
      const before = baseline?.ratios?.[page]?.[key] ?? null;
      verdicts.push({
        page,
        metric: label,
        ratio: q.ratio.median,
        ratioOfMedians: q.ratioOfMedians,
        before,
        target,
        met: ok,
      });
      out.push(
        `  ${page.padEnd(16)} ${label.padEnd(14)} ${before === null ? '' : `${before.toFixed(2)} -> `}${q.ratio.median.toFixed(2)} (${q.ratioOfMedians.toFixed(2)})  ${target === null ? '(no target)' : `target <= ${target}: ${ok ? 'met' : `MISSED by ${(q.ratio.median / target).toFixed(2)}x`}`}`,
      );
    }
  }
  const info = Object.keys(TARGETS)
    .map(
      (page) => paired?.[page]?.payClientMs && `${page} ${paired[page].payClientMs.ratio.median.toFixed(2)}`,
    )
    .filter(Boolean);
  if (info.length)
    out.push(
      `  (not a target) the page's own time in Pay, without network/server/polling waits, ours / Adyen: ${info.join(', ')}`,
    );
  const f = data.payFloor;
  if (f?.n)
    out.push(
      `  Pay floor, measured alone (Node -> backend -> sandbox Gate -> callback -> answer with the redirect, loopback): median ${f.median.toFixed(0)} ms, p95 ${f.p95.toFixed(0)} ms (n=${f.n})`,
    );
  console.log(out.join('\n'));
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(
    OUT,
    JSON.stringify(
      {
        benchmark: 'widget-speed',
        issue: 13,
        baseline: fs.existsSync(BASELINE_FILE) ? path.relative(ROOT, BASELINE_FILE) : null,
        commit,
        dirty,
        date: meta.date,
        method: 'scripts/bench/widget/README.md',
        rawFile: path.relative(ROOT, raw),
        targets: TARGETS,
        verdicts,
        payFloor: data.payFloor ?? null,
        table: rows,
        meta,
        summary,
        paired,
        runs: data.results.map(({ blocked, localRequests: _l, consoleMsgs: _c, readyEl: _e, ...r }) => ({
          ...r,
          blockedCount: blocked.length,
        })),
      },
      null,
      1,
    ),
  );
  console.log(`\nwrote ${path.relative(ROOT, OUT)} (every run: ${path.relative(ROOT, raw)})`);
}
