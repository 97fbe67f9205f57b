#!/usr/bin/env node
/**
 * Lighthouse 12 on the demo shop: `node e2e/lighthouse.mjs [--desktop] [--no-build]`.
 *
 * Starts the demo (scripts/start.ts: builds the pages, then sandbox + backend in memory + demo server) on
 * ports of its own, runs Lighthouse with Debian's Chromium on
 *   - the shop page `/`            → reports/lighthouse.{json,html}
 *   - the checkout `/?order=…`     → reports/lighthouse-checkout.{json,html} (the widget, loaded for an order)
 * (`-desktop` is added to the names with --desktop),
 * prints the four category scores and every audit that costs points, and exits non-zero when
 * performance, accessibility or best practices is below 95 on either page. Mobile by default (Lighthouse's
 * own default: emulated Moto G Power, simulated slow 4G); `--desktop` for the desktop preset.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/lib/chromium.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const reports = resolve(root, 'reports');
const args = new Set(process.argv.slice(2));
const desktop = args.has('--desktop');
const THRESHOLD = 95;
const GATED = ['performance', 'accessibility', 'best-practices'];
const CATEGORIES = [...GATED, 'seo'];

const host = '127.0.0.1';
const ports = { demo: 5275, backend: 8889, sandbox: 8892 };
const demoUrl = `http://${host}:${ports.demo}`;
const chromePath = process.env.CHROME_PATH ?? CHROMIUM_PATH;
const chromeFlags = ['--headless=new', ...CHROMIUM_ARGS];

/** Starts the demo stack in its own process group; resolves once start.ts says everything answers. */
function startDemo() {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/start.ts', '--quiet', ...(args.has('--no-build') ? ['--no-build'] : [])],
    {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        DEMO_HOST: host,
        DEMO_PORT: String(ports.demo),
        BACKEND_PORT: String(ports.backend),
        SANDBOX_PORT: String(ports.sandbox),
        DATA_DIR: 'memory://',
        SANDBOX_REDIRECT_POST: '',
      },
    },
  );
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  const ready = new Promise((resolveReady, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the demo did not start within 120 s')), 120_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (/checkout demo is running/.test(out)) {
        clearTimeout(timer);
        resolveReady();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`scripts/start.ts exited (${code}) before the demo was up`));
    });
  });
  return { ready, stop };
}

/** An order of the PH cart: its checkout page shows the widget. */
async function createOrder() {
  const res = await fetch(`${demoUrl}/shop/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ cart: 'ph-1500' }),
  });
  if (res.status !== 201) throw new Error(`POST /shop/api/orders: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()).order_id;
}

function runLighthouse(url, name) {
  const base = resolve(reports, name);
  const r = spawnSync(
    process.execPath,
    [
      resolve(root, 'node_modules/lighthouse/cli/index.js'),
      url,
      '--quiet',
      `--only-categories=${CATEGORIES.join(',')}`,
      '--output=json',
      '--output=html',
      `--output-path=${base}`,
      `--chrome-flags=${chromeFlags.join(' ')}`,
      ...(desktop ? ['--preset=desktop'] : []),
    ],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, CHROME_PATH: chromePath } },
  );
  if (r.status !== 0) throw new Error(`lighthouse exited with ${r.status ?? r.signal} on ${url}`);
  // The CLI writes <base>.report.json / .report.html; keep them as <base>.json / .html.
  for (const ext of ['json', 'html']) {
    rmSync(`${base}.${ext}`, { force: true });
    renameSync(`${base}.report.${ext}`, `${base}.${ext}`);
  }
  return JSON.parse(readFileSync(`${base}.json`, 'utf8'));
}

/** The category scores, and the weighted audits that did not get full marks (what costs the points). */
function summarize(lhr, label) {
  const scores = Object.fromEntries(
    CATEGORIES.map((id) => [id, Math.round((lhr.categories[id]?.score ?? 0) * 100)]),
  );
  console.log(`\n${label} — ${lhr.finalDisplayedUrl} (${desktop ? 'desktop' : 'mobile'})`);
  console.log(`  ${CATEGORIES.map((id) => `${id} ${scores[id]}`).join(' · ')}`);
  for (const id of CATEGORIES) {
    const lost = lhr.categories[id].auditRefs
      .filter((ref) => ref.weight > 0)
      .map((ref) => ({ ref, audit: lhr.audits[ref.id] }))
      .filter(({ audit }) => audit.score !== null && audit.score < 1);
    for (const { ref, audit } of lost) {
      const value = audit.displayValue ? ` (${audit.displayValue})` : '';
      console.log(
        `    ${id}: ${ref.id} — score ${audit.score}, weight ${ref.weight}${value}: ${audit.title}`,
      );
    }
  }
  const metrics = [
    'first-contentful-paint',
    'largest-contentful-paint',
    'total-blocking-time',
    'cumulative-layout-shift',
  ];
  console.log(`  ${metrics.map((m) => `${m} ${lhr.audits[m]?.displayValue ?? '?'}`).join(' · ')}`);
  return scores;
}

mkdirSync(reports, { recursive: true });
const demo = startDemo();
process.on('SIGINT', () => {
  demo.stop();
  process.exit(130);
});
let failed = false;
try {
  await demo.ready;
  const suffix = desktop ? '-desktop' : '';
  const pages = [
    { label: 'Demo shop', url: `${demoUrl}/`, name: `lighthouse${suffix}` },
    {
      label: 'Checkout (widget)',
      url: `${demoUrl}/?order=${await createOrder()}`,
      name: `lighthouse-checkout${suffix}`,
    },
  ];
  for (const page of pages) {
    const scores = summarize(runLighthouse(page.url, page.name), page.label);
    const low = GATED.filter((id) => scores[id] < THRESHOLD);
    if (low.length > 0) {
      failed = true;
      console.log(`  FAIL: ${low.join(', ')} below ${THRESHOLD}`);
    }
  }
  console.log(`\nReports: ${pages.map((p) => `reports/${p.name}.{json,html}`).join(', ')}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  failed = true;
} finally {
  demo.stop();
}
process.exit(failed ? 1 : 0);
