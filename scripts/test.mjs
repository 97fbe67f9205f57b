#!/usr/bin/env node
// Runs every test suite in turn and ends with one plain line totalling them all: "N passed, N failed".
// Each check (typecheck, lint, format) counts as one test; test runners report their own counts.
// Exits non-zero when anything failed. `npm test -- unit lint` runs only the named suites.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

mkdirSync('reports', { recursive: true });

const vitestCounts = (file) => () => {
  if (!existsSync(file)) return null;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: r.numPassedTests, failed: r.numFailedTests };
};

/** @type {{name: string, cmd: string[], env?: Record<string,string>, counts?: () => ({passed:number, failed:number}|null), before?: () => void, parseOutput?: boolean}[]} */
const suites = [
  { name: 'typecheck', cmd: ['npm', 'run', '-s', 'typecheck'] },
  { name: 'lint', cmd: ['npm', 'run', '-s', 'lint'] },
  { name: 'format', cmd: ['npm', 'run', '-s', 'format:check'] },
  {
    name: 'unit',
    before: () => rmSync('reports/vitest-unit.json', { force: true }),
    cmd: [
      'npx',
      'vitest',
      'run',
      '--project',
      'unit',
      '--project',
      'dom',
      '--coverage',
      '--reporter=default',
      '--reporter=json',
      '--outputFile.json=reports/vitest-unit.json',
    ],
    counts: vitestCounts('reports/vitest-unit.json'),
  },
  {
    name: 'faults',
    before: () => rmSync('reports/vitest-faults.json', { force: true }),
    cmd: [
      'npx',
      'vitest',
      'run',
      '--project',
      'faults',
      '--reporter=default',
      '--reporter=json',
      '--outputFile.json=reports/vitest-faults.json',
    ],
    counts: vitestCounts('reports/vitest-faults.json'),
  },
  {
    // The store's suite and the two-instance test against a real PostgreSQL server (a throwaway cluster).
    name: 'postgres',
    before: () => rmSync('reports/vitest-postgres.json', { force: true }),
    cmd: [
      'bash',
      'scripts/with-postgres.sh',
      'npx',
      'vitest',
      'run',
      '--project',
      'unit',
      'tests/server/store.test.ts',
      'tests/server/scale.test.ts',
      'tests/server/webhooks-scale.test.ts',
      '--reporter=default',
      '--reporter=json',
      '--outputFile.json=reports/vitest-postgres.json',
    ],
    counts: vitestCounts('reports/vitest-postgres.json'),
  },
  {
    // Size budgets: the embed (JS + CSS ≤ 60 KB gzip) and <Checkout>'s initial load (≤ 40 KB gzip).
    name: 'size',
    cmd: ['node', 'scripts/size.mjs'],
  },
  {
    // npm pack contents, and a consumer that typechecks and imports every export.
    name: 'package',
    cmd: ['node', 'scripts/check-package.mjs'],
    parseOutput: true,
  },
  {
    name: 'storybook',
    before: () => rmSync('reports/vitest-storybook.json', { force: true }),
    cmd: [
      'npx',
      'vitest',
      'run',
      '--project',
      'storybook',
      '--reporter=default',
      '--reporter=json',
      '--outputFile.json=reports/vitest-storybook.json',
    ],
    counts: vitestCounts('reports/vitest-storybook.json'),
  },
  {
    // Playwright: every method on the demo (SPA and script tag), GET and POST redirects, in Debian Chromium.
    name: 'e2e',
    before: () => rmSync('reports/e2e.json', { force: true }),
    cmd: ['npx', 'playwright', 'test', '-c', 'e2e/playwright.config.ts'],
    counts: () => {
      if (!existsSync('reports/e2e.json')) return null;
      const { stats } = JSON.parse(readFileSync('reports/e2e.json', 'utf8'));
      return { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped };
    },
  },
];

const only = process.argv.slice(2);

// The browser and PostgreSQL suites need Debian's chromium and postgresql: install them when missing.
if (spawnSync('bash', ['scripts/setup-system.sh'], { stdio: 'inherit' }).status !== 0) {
  console.error('setup-system failed: the browser and PostgreSQL suites will fail');
}
const results = [];
for (const s of suites) {
  if (only.length && !only.includes(s.name)) continue;
  console.log(`\n━━ ${s.name}: ${s.cmd.join(' ')}`);
  s.before?.();
  const started = Date.now();
  const r = spawnSync(s.cmd[0], s.cmd.slice(1), {
    stdio: s.parseOutput ? ['inherit', 'pipe', 'inherit'] : 'inherit',
    env: { ...process.env, ...s.env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (s.parseOutput) process.stdout.write(r.stdout ?? '');
  const ok = r.status === 0;
  let counts = s.counts?.() ?? null;
  if (s.parseOutput) {
    const m = [...(r.stdout ?? '').matchAll(/^(\d+) passed, (\d+) failed/gm)].pop();
    if (m) counts = { passed: Number(m[1]), failed: Number(m[2]) };
  }
  if (!counts) counts = ok ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
  // A runner that exits non-zero with no failed test (a crash, a coverage threshold) still fails the run.
  if (!ok && counts.failed === 0) counts = { ...counts, failed: 1 };
  results.push({ name: s.name, ok, skipped: 0, ...counts, seconds: (Date.now() - started) / 1000 });
}

console.log('\n━━ summary');
for (const r of results) {
  const skipped = r.skipped ? `, ${r.skipped} skipped` : '';
  const line = `${r.name.padEnd(12)} ${r.passed} passed, ${r.failed} failed${skipped} (${r.seconds.toFixed(1)} s)`;
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${line}`);
}
const passed = results.reduce((a, r) => a + r.passed, 0);
const failed = results.reduce((a, r) => a + r.failed, 0);
const skippedTotal = results.reduce((a, r) => a + (r.skipped ?? 0), 0);
const total = `${passed} passed, ${failed} failed${skippedTotal ? `, ${skippedTotal} skipped` : ''}`;
writeFileSync('reports/test-summary.txt', `${total}\n`);
console.log(total);
process.exit(failed > 0 || results.some((r) => !r.ok) ? 1 : 0);
