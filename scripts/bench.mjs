#!/usr/bin/env node
// `npm run bench`: every figure of issue 7 in one run, then one report.
//
//   1. sizes          node scripts/size.mjs              → reports/size.json
//   2. widget speed   node scripts/bench/widget.mjs      → reports/bench-widget.json (skipped if the file is absent)
//   3–4. backend      node scripts/bench/backend.mjs     → reports/bench-backend.json
//   5. webhooks       node scripts/bench/webhooks.mjs    → reports/bench-webhooks.json
//
// Writes reports/BENCHMARKS.md (the figures, the commit they were measured on, the date) and the same text to
// docs/benchmarks.md (the copy the README links, on a full run only; commit it), and ends with a table of every
// target: value, target, met or missed.
//
//   node scripts/bench.mjs [--quick] [--only size,widget,backend,webhooks] [--strict]
//
// --quick: fewer runs (widget --quick, backend --quick): a smoke run, not figures to publish.
// --strict: exit 1 when a target is missed (by default only a part that fails to run fails the command).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    only: { type: 'string', default: 'size,widget,backend,webhooks' },
  },
});
const only = new Set(args.only.split(',').map((s) => s.trim()));
const startedAt = new Date();
const git = (...a) => spawnSync('git', a, { cwd: root, encoding: 'utf8' }).stdout.trim();
const commit = git('rev-parse', 'HEAD');
const changed = git('status', '--porcelain', '--untracked-files=no').split('\n').filter(Boolean).length;
const machine = {
  cpus: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  memGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  load: loadavg().map((n) => n.toFixed(2)),
};

/** Runs `node <argv>` in the foreground; the part's report counts only if written by this run. */
function part(name, argv, reportFile) {
  console.log(`\n━━ ${name}: node ${argv.join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, argv, { cwd: root, stdio: 'inherit' });
  const file = join(root, reportFile);
  const fresh = existsSync(file) && statSync(file).mtimeMs >= t0;
  const seconds = Math.round((Date.now() - t0) / 100) / 10;
  return { name, exitCode: r.status, seconds, report: fresh ? JSON.parse(readFileSync(file, 'utf8')) : null };
}

const parts = {};
if (only.has('size')) parts.size = part('1. sizes', ['scripts/size.mjs'], 'reports/size.json');
if (only.has('widget')) {
  if (existsSync(join(root, 'scripts/bench/widget.mjs'))) {
    parts.widget = part(
      '2. widget speed',
      ['scripts/bench/widget.mjs', ...(args.quick ? ['--quick'] : [])],
      'reports/bench-widget.json',
    );
  } else {
    console.log('\n━━ 2. widget speed: scripts/bench/widget.mjs is missing — skipped');
    parts.widget = { name: '2. widget speed', missing: true, report: null };
  }
}
if (only.has('backend')) {
  const quick = args.quick ? ['--quick'] : [];
  // As deployed (npm run server:prod: compiled, with its node flags), the figures of items 3 and 4.
  parts.backend = part(
    '3–4. backend throughput and memory',
    ['scripts/bench/backend.mjs', ...quick],
    'reports/bench-backend.json',
  );
  // For comparison, item 4 the development way (npm run server: the tsx loader, node's default heap).
  parts.backendTsx = part(
    '4. backend memory, npm run server (tsx, default heap)',
    [
      'scripts/bench/backend.mjs',
      ...quick,
      '--payments-only',
      '--tsx',
      '--json',
      'reports/bench-backend-tsx.json',
    ],
    'reports/bench-backend-tsx.json',
  );
}

if (only.has('webhooks')) {
  // Webhook delivery (issue 12): events/s to a local receiver and status change → delivery p99.
  parts.webhooks = part(
    '5. webhook delivery',
    ['scripts/bench/webhooks.mjs', ...(args.quick ? ['--quick'] : [])],
    'reports/bench-webhooks.json',
  );
}

// ── targets ───────────────────────────────────────────────────────────────────────────────────────

const KB = 1024;
const kb = (n) => `${(n / KB).toFixed(1)} KB`;
const targets = [];
const target = (item, name, value, goal, met, note = '') =>
  targets.push({ item, name, value, goal, met, note });
const notRun = (item, name, goal, why) =>
  targets.push({ item, name, value: '—', goal, met: null, note: why });

const size = parts.size?.report;
if (size) {
  if (size.embed.loader) {
    target(
      1,
      'embed loader (ecommpay-checkout.js), gzip',
      kb(size.embed.loader.gzip),
      `≤ ${kb(size.budget.embedLoader)}`,
      size.embed.loader.gzip <= size.budget.embedLoader,
    );
    target(
      1,
      'embed before the list (loader + stage one + CSS), gzip',
      kb(size.embed.beforeList.gzip),
      `≤ ${kb(size.goal.embedStageOne)}`,
      size.embed.beforeList.gzip <= size.goal.embedStageOne,
      `budget enforced by npm run size: ≤ ${kb(size.budget.embedStageOne)}`,
    );
  }
  target(
    1,
    'script-tag embed, all files of a GrabPay payment, gzip',
    kb(size.embed.total.gzip),
    `≤ ${kb(size.goal?.embed ?? size.budget.embed)}`,
    size.embed.total.gzip <= (size.goal?.embed ?? size.budget.embed),
    size.goal ? `budget enforced by npm run size: ≤ ${kb(size.budget.embed)}` : '',
  );
  target(
    1,
    '<Checkout> added to a React app, gzip',
    kb(size.libraryDelta.gzip),
    `≤ ${kb(size.budget.libraryDelta)}`,
    size.libraryDelta.gzip <= size.budget.libraryDelta,
  );
} else if (parts.size) {
  notRun(1, 'sizes', 'budgets', `scripts/size.mjs failed (exit ${parts.size.exitCode})`);
}

const widget = parts.widget?.report;
if (widget?.verdicts?.length) {
  for (const v of widget.verdicts) {
    if (v.target === null) continue; // reported in the widget section, no target
    target(
      2,
      `${v.page} ${v.metric}, ours ÷ Adyen Drop-in`,
      `${typeof v.before === 'number' ? `${v.before.toFixed(2)} → ` : ''}${v.ratio.toFixed(2)}`,
      `≤ ${v.target}`,
      v.met,
    );
  }
} else if (parts.widget) {
  notRun(
    2,
    'widget speed vs Adyen',
    'issue 13: ≤ 0.55 / 0.75 embed, ≤ 1.0 SPA, Pay ≤ 1.2',
    parts.widget.missing
      ? 'scripts/bench/widget.mjs is missing'
      : `did not report (exit ${parts.widget.exitCode})`,
  );
}

const backend = parts.backend?.report;
if (backend) {
  const { payments: p, callbacks: c, memory: m, targets: t } = backend;
  target(
    3,
    'payment creations per second',
    String(p.backend.perSec),
    `≥ ${t.paymentsPerSec}`,
    p.backend.perSec >= t.paymentsPerSec,
  );
  target(3, 'payment creation p99', `${p.backend.p99} ms`, `< ${t.p99Ms} ms`, p.backend.p99 < t.p99Ms);
  target(
    3,
    'callbacks ingested per second',
    String(c.backend.perSec),
    `≥ ${t.callbacksPerSec}`,
    c.backend.perSec >= t.callbacksPerSec,
  );
  target(3, 'callback ingestion p99', `${c.backend.p99} ms`, `< ${t.p99Ms} ms`, c.backend.p99 < t.p99Ms);
  target(
    4,
    `backend RSS after ${backend.paymentsCreated.toLocaleString('en')} payments (as deployed: npm run server:prod, node ${backend.backend.nodeOptions})`,
    `${m.afterPayments.rssMb} MB`,
    `< ${t.rssMb} MB`,
    backend.met.rss,
    backend.met.rss === null ? 'fewer than 10,000 payments: not the target figure' : '',
  );
} else if (parts.backend) {
  notRun(
    3,
    'backend throughput',
    '≥ 500 / ≥ 1,000 per s, p99 < 50 ms',
    `scripts/bench/backend.mjs failed (exit ${parts.backend.exitCode})`,
  );
  notRun(4, 'backend RSS', '< 250 MB', 'see above');
}
const tsx = parts.backendTsx?.report;
if (tsx) {
  target(
    4,
    `for comparison: backend RSS after ${tsx.paymentsCreated.toLocaleString('en')} payments (npm run server: tsx, default heap)`,
    `${tsx.memory.afterPayments.rssMb} MB`,
    `< ${tsx.targets.rssMb} MB`,
    null,
    'development entry, not the deployed one',
  );
} else if (parts.backendTsx) {
  notRun(4, 'backend RSS, npm run server (tsx)', '< 250 MB', `exit ${parts.backendTsx.exitCode}`);
}

const webhooks = parts.webhooks?.report;
if (webhooks) {
  const { throughput: th, latency: l, targets: wt } = webhooks;
  target(
    5,
    'webhook deliveries per second (local receiver)',
    String(th.perSec),
    `≥ ${wt.throughput.goal}`,
    wt.throughput.met,
  );
  target(
    5,
    `webhook p99, status change → delivery (at ${l.callbacksPerSec}/s)`,
    `${l.p99} ms`,
    `< ${wt.p99.goal} ms`,
    wt.p99.met,
  );
} else if (parts.webhooks) {
  notRun(
    5,
    'webhook delivery',
    '≥ 500 events/s, p99 < 200 ms',
    `scripts/bench/webhooks.mjs failed (exit ${parts.webhooks.exitCode})`,
  );
}

const verdict = (t) => (t.met === null ? 'not measured' : t.met ? 'met' : 'MISSED');

// ── the report ────────────────────────────────────────────────────────────────────────────────────

const md = [];
md.push('# Benchmarks', '');
md.push(
  `Measured on commit \`${commit.slice(0, 12)}\`${changed ? ` (with ${changed} uncommitted change${changed === 1 ? '' : 's'} in the tree)` : ''}, ` +
    `${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, by \`npm run bench${args.quick ? ' -- --quick' : ''}\`` +
    `${args.only !== 'size,widget,backend,webhooks' ? ` (only ${args.only})` : ''}.`,
  '',
  `Machine: ${machine.cpus} × ${machine.cpu}, ${machine.memGb} GB, Node ${machine.node}; load average at start ${machine.load.join(' / ')} ` +
    '(the machine is shared: compare ratios and CPU time per request rather than raw rates between runs).',
  '',
);
md.push('## Targets', '', '| # | what | value | target | |', '| - | ---- | ----: | -----: | - |');
for (const t of targets)
  md.push(
    `| ${t.item} | ${t.name} | ${t.value} | ${t.goal} | ${verdict(t)}${t.note ? ` — ${t.note}` : ''} |`,
  );
md.push('');

if (size) {
  md.push(
    '## 1. Sizes',
    '',
    '`node scripts/size.mjs`: what the browser downloads, compressed at the highest levels.',
    '',
  );
  md.push('| bundle | raw | gzip | brotli |', '| ------ | --: | ---: | -----: |');
  const r = (name, s) => md.push(`| ${name} | ${kb(s.raw)} | ${kb(s.gzip)} | ${kb(s.brotli)} |`);
  if (size.embed.loader) {
    r('embed loader `ecommpay-checkout.js`', size.embed.loader);
    r('embed stage one (the list)', size.embed.stageOne);
    r('embed stage two (the forms)', size.embed.stageTwo);
  }
  r('embed JS, all files of a payment', size.embed.js);
  r('embed `ecommpay-checkout.css`', size.embed.css);
  r('embed before the list (loader + stage one + CSS)', size.embed.beforeList ?? size.embed.total);
  r('embed JS + CSS', size.embed.total);
  if (size.emptyApp) r('empty React app', size.emptyApp);
  if (size.checkoutApp) r('React app + `<Checkout>`', size.checkoutApp);
  r('library delta (`<Checkout>`)', size.libraryDelta);
  md.push('');
}

if (widget) {
  md.push(
    '## 2. Widget speed',
    '',
    `\`node scripts/bench/widget.mjs\` (method: ${widget.method ?? 'scripts/bench/widget/README.md'}); times in ms.`,
    '',
  );
  if (Array.isArray(widget.table)) {
    md.push(
      '| page | ready median | ready p95 | pay enabled median | pay enabled p95 | pay → redirect median | pay → redirect p95 |',
      '| ---- | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    const ms = (n) => (typeof n === 'number' ? n.toFixed(0) : '—');
    for (const row of widget.table)
      md.push(
        `| ${row.page} | ${ms(row.readyMedian)} | ${ms(row.readyP95)} | ${ms(row.payEnabledMedian)} | ${ms(row.payEnabledP95)} | ${ms(row.payMedian)} | ${ms(row.payP95)} |`,
      );
    md.push('');
  }
  if (Array.isArray(widget.verdicts) && widget.verdicts.length) {
    md.push(
      `Ours ÷ Adyen Drop-in, median of the per-round ratios (ratio of the medians); before: ${widget.baseline ?? '—'}:`,
      '',
      '| page | metric | before | after | target | |',
      '| ---- | ------ | -----: | ----: | -----: | - |',
    );
    for (const v of widget.verdicts)
      md.push(
        `| ${v.page} | ${v.metric} | ${typeof v.before === 'number' ? v.before.toFixed(2) : '—'} | ${v.ratio.toFixed(2)} (${v.ratioOfMedians.toFixed(2)}) | ${v.target === null ? '—' : `≤ ${v.target}`} | ${v.met === null ? '' : v.met ? 'met' : 'MISSED'} |`,
      );
    md.push('');
  }
  if (widget.payFloor?.n)
    md.push(
      `Pay → redirect's floor, measured alone (Node → backend → the sandbox's Gate → its callback → the answer with the redirect, loopback, no browser): median ${widget.payFloor.median.toFixed(0)} ms, p95 ${widget.payFloor.p95.toFixed(0)} ms (n = ${widget.payFloor.n}).`,
      '',
    );
  const widgetNotes = join(root, 'scripts/bench/widget-notes.md');
  if (existsSync(widgetNotes)) md.push(readFileSync(widgetNotes, 'utf8').trim(), '');
}

if (backend) {
  const { payments: p, callbacks: c, sessions: s, memory: m } = backend;
  const cpu = (r) =>
    Object.entries(r.cpuMsPerRequest ?? {})
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  const row = (name, r) =>
    md.push(
      `| ${name} | ${r.perSec.toLocaleString('en')} | ${r.p50} | ${r.p99} | ${r.ok.toLocaleString('en')} | ${cpu(r)} |`,
    );
  md.push('## 3. Backend throughput', '');
  md.push(
    `\`node scripts/bench/backend.mjs\`: the backend (\`src/server/main.ts\`, ${backend.store}), the Gate sandbox and a raw ` +
      `node:http server, each its own process on 127.0.0.1, loaded by autocannon with ${backend.connections} connections; ` +
      'all share the machine. Payment creation = session lookup, validation, insert, signing, the Gate request to the ' +
      'sandbox and its answer stored; callback ingestion = signature check, raw body stored, payment updated, in one ' +
      'statement. The raw server only parses the same JSON and signs it with HMAC-SHA512.',
    '',
  );
  md.push(
    '| | req/s | p50 ms | p99 ms | 2xx | CPU ms per request |',
    '| - | ----: | -----: | -----: | --: | - |',
  );
  row('payment creation', p.backend);
  row('raw node:http, same JSON', p.raw);
  row('callback ingestion', c.backend);
  row('raw node:http, same JSON', c.raw);
  row('session creation (merchant API)', s);
  md.push('');
  md.push(
    `Backend ÷ raw node:http: payments ${p.ratio} (raw does ${(p.raw.perSec / p.backend.perSec).toFixed(0)}× the requests), ` +
      `callbacks ${c.ratio} (${(c.raw.perSec / c.backend.perSec).toFixed(0)}×).`,
    '',
  );
  md.push('## 4. Memory', '');
  md.push(
    `Backend RSS (from /proc): ${m.started.rssMb} MB once started, **${m.afterPayments.rssMb} MB after ${backend.paymentsCreated.toLocaleString('en')} payments**, ` +
      `${m.afterCallbacks.rssMb} MB after ${backend.callbacksSent.toLocaleString('en')} callbacks (peak ${m.afterCallbacks.peakMb} MB).` +
      (m.firstStart
        ? ` The very first start, which creates the database (initdb in WASM), peaks at ${m.firstStart.peakMb} MB.`
        : ''),
    '',
  );
  md.push(
    `The backend runs as deployed (\`npm run server:prod\`): ${backend.backend.run}, node ${backend.backend.nodeOptions} ` +
      '(scripts/build-server.ts says why).',
    '',
  );
  if (tsx) {
    const tm = tsx.memory;
    md.push(
      `For comparison, the development entry (\`npm run server\`: the tsx loader, node's default heap): ` +
        `${tm.started.rssMb} MB once started, ${tm.afterPayments.rssMb} MB after ` +
        `${tsx.paymentsCreated.toLocaleString('en')} payments (peak ${tm.afterPayments.peakMb} MB), at ` +
        `${tsx.payments.backend.perSec} payments/s (${tsx.payments.backend.cpuMsPerRequest.backend} ms CPU each).`,
      '',
    );
  }
  if (backend.problems?.length) md.push(`Problems seen: ${backend.problems.join('; ')}.`, '');
}

if (webhooks) {
  const { throughput: th, latency: l } = webhooks;
  md.push('## 5. Webhook delivery', '');
  md.push(
    `${webhooks.store}; ${webhooks.backend}; one endpoint (max_concurrency ${webhooks.endpointConcurrency}) on a local ` +
      `node:http receiver that verifies every webhook with verifyWebhook. Backlog of ${th.events.toLocaleString('en')} events ` +
      `delivered at **${th.perSec} events/s**; at a steady ${l.callbacksPerSec} callbacks/s, status change → delivery ` +
      `p50 ${l.p50} ms, p90 ${l.p90} ms, **p99 ${l.p99} ms**, max ${l.max} ms. Callbacks stored at ` +
      `${webhooks.callbacksWithoutWebhooks.perSec}/s with no endpoint enabled and ${webhooks.callbacksWithOutbox.perSec}/s ` +
      `while writing the outbox. ${webhooks.duplicates} duplicates, ${webhooks.badSignatures} bad signatures.`,
    '',
  );
  if (webhooks.problems?.length) md.push(`Problems seen: ${webhooks.problems.join('; ')}.`, '');
}

const notes = join(root, 'scripts/bench/backend-notes.md');
if (backend && existsSync(notes)) md.push(readFileSync(notes, 'utf8').trim(), '');
md.push(
  '## Reproduce',
  '',
  '```sh',
  'npm run bench            # everything (≈ 10 min)',
  'node scripts/bench/backend.mjs --profile payments   # with a CPU profile of the backend',
  '```',
  '',
);

const text = `${md.join('\n')}\n`;
mkdirSync(join(root, 'reports'), { recursive: true });
writeFileSync(join(root, 'reports/BENCHMARKS.md'), text);
// A full run of every part is the published copy; a quick or partial run (CI's smoke run) only the report.
const publish = !args.quick && only.size === 4;
if (publish) {
  writeFileSync(join(root, 'docs/benchmarks.md'), text);
  // The committed copy is checked by the format suite: formatted as Prettier would.
  spawnSync(
    process.execPath,
    [join(root, 'node_modules/prettier/bin/prettier.cjs'), '--write', 'docs/benchmarks.md'],
    {
      cwd: root,
      stdio: 'ignore',
    },
  );
}

console.log('\n━━ targets');
const w = Math.max(...targets.map((t) => t.name.length), 10);
console.log(`${'#'.padEnd(2)} ${'what'.padEnd(w)} ${'value'.padStart(10)}  ${'target'.padEnd(10)} verdict`);
for (const t of targets)
  console.log(
    `${String(t.item).padEnd(2)} ${t.name.padEnd(w)} ${t.value.padStart(10)}  ${t.goal.padEnd(10)} ${verdict(t)}${t.note ? ` (${t.note})` : ''}`,
  );
console.log(
  `\nwrote reports/BENCHMARKS.md${publish ? ' and docs/benchmarks.md' : ''} (commit ${commit.slice(0, 12)})`,
);

const failedToRun = Object.values(parts).some((p) => !p.missing && !p.report);
const missed = targets.some((t) => t.met === false);
process.exit(failedToRun || (args.strict && missed) ? 1 : 0);
