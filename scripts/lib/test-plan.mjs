// The decisions of scripts/test.mjs that do not run anything: which suites a command line names, and whether
// a suite's (or the whole run's) outcome is a pass. Kept apart so that tests/scripts/test-plan.test.ts can
// check them without starting a suite.

/**
 * The suites named on the command line, in the runner's order; all of them when none is named. An unknown
 * name or an option is an error that lists the known suites (a misspelt `e2ee` must not run nothing and pass).
 * @param {readonly string[]} known
 * @param {readonly string[]} args
 * @returns {{ selected: string[] } | { error: string }}
 */
export function selectSuites(known, args) {
  const unknown = args.filter((a) => !known.includes(a));
  if (unknown.length > 0) {
    const what = unknown.length === 1 ? 'an unknown suite' : 'unknown suites';
    return {
      error: `${what}: ${unknown.join(', ')}\nknown suites: ${known.join(', ')}\nusage: npm test [-- <suite> ...]`,
    };
  }
  return { selected: args.length === 0 ? [...known] : known.filter((k) => args.includes(k)) };
}

/**
 * One suite's outcome from its exit status and the counts its runner reported (null when it wrote no
 * report). A check without counts (typecheck, lint) is one test. A test runner (`countsTests`) must report
 * counts, and at least one test run: 0 tests is a failure (a filter that matches nothing, a config that
 * lost its include), as is a non-zero exit with no failed test (a crash, a coverage threshold).
 * @param {{ status: number | null, counts: { passed: number, failed: number, skipped?: number } | null, countsTests: boolean }} r
 * @returns {{ ok: boolean, passed: number, failed: number, skipped: number, problem?: string }}
 */
export function judgeSuite({ status, counts, countsTests }) {
  const exitedOk = status === 0;
  if (!counts) {
    if (countsTests)
      return {
        ok: false,
        passed: 0,
        failed: 1,
        skipped: 0,
        problem: 'the runner wrote no report of its tests',
      };
    return exitedOk
      ? { ok: true, passed: 1, failed: 0, skipped: 0 }
      : { ok: false, passed: 0, failed: 1, skipped: 0, problem: `exited ${status}` };
  }
  const skipped = counts.skipped ?? 0;
  if (countsTests && counts.passed + counts.failed === 0)
    return { ok: false, passed: 0, failed: 1, skipped, problem: 'the runner ran 0 tests' };
  if (!exitedOk && counts.failed === 0)
    return { ...counts, skipped, ok: false, failed: 1, problem: `exited ${status} with no failed test` };
  return { ...counts, skipped, ok: exitedOk && counts.failed === 0 };
}

/**
 * The whole run: it passes when every suite passed and at least one test ran.
 * @param {readonly { ok: boolean, passed: number, failed: number }[]} results
 * @returns {{ ok: boolean, passed: number, failed: number, problem?: string }}
 */
export function judgeRun(results) {
  const passed = results.reduce((a, r) => a + r.passed, 0);
  const failed = results.reduce((a, r) => a + r.failed, 0);
  if (passed + failed === 0) return { ok: false, passed, failed: 1, problem: 'no test ran' };
  return { ok: failed === 0 && results.every((r) => r.ok), passed, failed };
}
