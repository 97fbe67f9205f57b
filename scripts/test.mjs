#!/usr/bin/env node
// Runs every test suite in turn and ends with one plain line totalling them all: "N passed, N failed".
// Each check (typecheck, lint, format) counts as one test; test runners report their own counts.
// Exits non-zero when anything failed, when a test runner ran 0 tests, or when no test ran at all.
// `npm test -- unit lint` runs only the named suites; an unknown name is an error (exit 2) listing the known ones.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { judgeRun, judgeSuite, selectSuites } from './lib/test-plan.mjs';

mkdirSync('reports', { recursive: true });

const vitestCounts = (file) => () => {
  if (!existsSync(file)) return null;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
};

// The failed tests' names and first message line, printed again in the summary: CI keeps only the run's tail,
// and a count alone does not say which test to look at.
const firstLine = (msg) =>
  String(msg ?? '')
    .split('\n')
    .find((l) => l.trim()) ?? '';
const vitestFailures = (file) => {
  if (!existsSync(file)) return [];
  const r = JSON.parse(readFileSync(file, 'utf8'));
  return (r.testResults ?? []).flatMap((f) =>
    (f.assertionResults ?? [])
      .filter((a) => a.status === 'failed')
      .map(
        (a) =>
          `${f.name.replace(process.cwd() + '/', '')} › ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`,
      ),
  );
};
const playwrightFailures = (file) => {
  if (!existsSync(file)) return [];
  const out = [];
  const walk = (suite, path) => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests ?? [])
        if (t.status === 'unexpected') {
          const err = t.results?.at(-1)?.error?.message;
          out.push(
            `${spec.file} › ${[...path, spec.title].join(' › ')} [${t.projectName}]: ${firstLine(err)}`,
          );
        }
    for (const child of suite.suites ?? []) walk(child, [...path, child.title]);
  };
  for (const s of JSON.parse(readFileSync(file, 'utf8')).suites ?? []) walk(s, []);
  return out;
};

/** @type {{name: string, cmd: string[], env?: Record<string,string>, counts?: () => ({passed:number, failed:number}|null), failures?: () => string[], before?: () => void, parseOutput?: boolean}[]} */
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
    failures: () => vitestFailures('reports/vitest-unit.json'),
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
    failures: () => vitestFailures('reports/vitest-faults.json'),
  },
  {
    // The store's suite, the two-instance test and the PostgreSQL half of the fault suite (two instances,
    // callbacks at either, LISTEN connections killed) against a real PostgreSQL server (a throwaway cluster).
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
      '--project',
      'faults',
      'tests/server/store.test.ts',
      'tests/server/scale.test.ts',
      'tests/faults/postgres.test.ts',
      'tests/server/webhooks-scale.test.ts',
      'tests/server/refunds-interleave.test.ts',
      '--reporter=default',
      '--reporter=json',
      '--outputFile.json=reports/vitest-postgres.json',
    ],
    counts: vitestCounts('reports/vitest-postgres.json'),
    failures: () => vitestFailures('reports/vitest-postgres.json'),
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
    failures: () => vitestFailures('reports/vitest-storybook.json'),
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
    failures: () => playwrightFailures('reports/e2e.json'),
  },
];

const selection = selectSuites(
  suites.map((s) => s.name),
  process.argv.slice(2),
);
if ('error' in selection) {
  console.error(selection.error);
  process.exit(2);
}

// The browser and PostgreSQL suites need Debian's chromium and postgresql: install them when missing.
if (spawnSync('bash', ['scripts/setup-system.sh'], { stdio: 'inherit' }).status !== 0) {
  console.error('setup-system failed: the browser and PostgreSQL suites will fail');
}
const results = [];
for (const s of suites) {
  if (!selection.selected.includes(s.name)) continue;
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
  let counts = s.counts?.() ?? null;
  if (s.parseOutput) {
    const m = [...(r.stdout ?? '').matchAll(/^(\d+) passed, (\d+) failed/gm)].pop();
    if (m) counts = { passed: Number(m[1]), failed: Number(m[2]) };
  }
  const verdict = judgeSuite({ status: r.status, counts, countsTests: Boolean(s.counts || s.parseOutput) });
  if (verdict.problem) console.error(`${s.name}: ${verdict.problem}`);
  let failures;
  try {
    failures = verdict.failed ? (s.failures?.() ?? []) : [];
  } catch (e) {
    failures = [`(could not read the failures: ${e.message})`];
  }
  results.push({ name: s.name, ...verdict, failures, seconds: (Date.now() - started) / 1000 });
}

console.log('\n━━ summary');
for (const r of results) {
  const skipped = r.skipped ? `, ${r.skipped} skipped` : '';
  const line = `${r.name.padEnd(12)} ${r.passed} passed, ${r.failed} failed${skipped} (${r.seconds.toFixed(1)} s)`;
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${line}`);
  for (const f of r.failures ?? []) console.log(`       ✗ ${f.slice(0, 300)}`);
}
const run = judgeRun(results);
if (run.problem) console.error(run.problem);
const skippedTotal = results.reduce((a, r) => a + (r.skipped ?? 0), 0);
const total = `${run.passed} passed, ${run.failed} failed${skippedTotal ? `, ${skippedTotal} skipped` : ''}`;
writeFileSync('reports/test-summary.txt', `${total}\n`);
console.log(total);
process.exit(run.ok ? 0 : 1);
