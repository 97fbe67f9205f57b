/** scripts/test.mjs's decisions: which suites a command line names, and what counts as a pass. */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeRun, judgeSuite, selectSuites } from '../../scripts/lib/test-plan.mjs';

const KNOWN = ['typecheck', 'lint', 'unit', 'e2e'];
const root = resolve(import.meta.dirname, '../..');

describe('selectSuites', () => {
  it('runs every suite when none is named, and the named ones in the runner’s order', () => {
    expect(selectSuites(KNOWN, [])).toEqual({ selected: KNOWN });
    expect(selectSuites(KNOWN, ['e2e', 'lint'])).toEqual({ selected: ['lint', 'e2e'] });
  });

  it('refuses an unknown name (a typo) and lists the known suites', () => {
    const r = selectSuites(KNOWN, ['unit', 'e2ee']);
    expect(r).toHaveProperty('error');
    const { error } = r as { error: string };
    expect(error).toContain('e2ee');
    expect(error).toContain('known suites: typecheck, lint, unit, e2e');
    expect(selectSuites(KNOWN, ['--all'])).toHaveProperty('error');
  });
});

describe('judgeSuite', () => {
  it('a check without counts is one test, passed or failed by its exit status', () => {
    expect(judgeSuite({ status: 0, counts: null, countsTests: false })).toMatchObject({
      ok: true,
      passed: 1,
    });
    expect(judgeSuite({ status: 2, counts: null, countsTests: false })).toMatchObject({
      ok: false,
      failed: 1,
    });
  });

  it('a test runner that ran 0 tests, or wrote no report, failed', () => {
    expect(judgeSuite({ status: 0, counts: { passed: 0, failed: 0 }, countsTests: true })).toMatchObject({
      ok: false,
      failed: 1,
      problem: 'the runner ran 0 tests',
    });
    expect(
      judgeSuite({ status: 0, counts: { passed: 0, failed: 0, skipped: 4 }, countsTests: true }),
    ).toMatchObject({ ok: false });
    expect(judgeSuite({ status: 0, counts: null, countsTests: true })).toMatchObject({
      ok: false,
      failed: 1,
    });
  });

  it('keeps the runner’s counts, and fails a non-zero exit with no failed test', () => {
    expect(judgeSuite({ status: 0, counts: { passed: 7, failed: 0 }, countsTests: true })).toEqual({
      ok: true,
      passed: 7,
      failed: 0,
      skipped: 0,
    });
    expect(judgeSuite({ status: 1, counts: { passed: 7, failed: 2 }, countsTests: true })).toMatchObject({
      ok: false,
      failed: 2,
    });
    expect(judgeSuite({ status: 1, counts: { passed: 7, failed: 0 }, countsTests: true })).toMatchObject({
      ok: false,
      passed: 7,
      failed: 1,
    });
  });
});

describe('judgeRun', () => {
  it('a run in which no test ran is a failure', () => {
    expect(judgeRun([])).toMatchObject({ ok: false, problem: 'no test ran' });
  });

  it('totals the suites and fails when one failed', () => {
    const ok = { ok: true, passed: 3, failed: 0 };
    expect(judgeRun([ok, ok])).toEqual({ ok: true, passed: 6, failed: 0 });
    expect(judgeRun([ok, { ok: false, passed: 0, failed: 1 }])).toMatchObject({ ok: false, failed: 1 });
  });
});

describe('npm test -- <unknown suite>', () => {
  it('exits 2 before running anything, naming the known suites', () => {
    const r = spawnSync(process.execPath, ['scripts/test.mjs', 'e2ee'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('an unknown suite: e2ee');
    expect(r.stderr).toMatch(/known suites: typecheck, lint, format, unit, faults, postgres, .*e2e/);
    expect(r.stdout).not.toContain('━━');
  });
});
