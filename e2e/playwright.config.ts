/**
 * End-to-end tests of the demo in Debian's Chromium: `npx playwright test -c e2e/playwright.config.ts`.
 * Two demo stacks (e2e/stack.ts) are started by `webServer`; the first one also builds the demo pages
 * and the script-tag embed. Reports: reports/e2e.json (read by scripts/test.mjs), screenshots of every
 * step in reports/e2e-screens/, failure artefacts (trace, screenshot) in reports/e2e-results/.
 */
import { resolve } from 'node:path';
import { defineConfig } from '@playwright/test';
import type { StackOptions } from './fixtures.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH, GET_STACK, POST_STACK, demoUrl, type Stack } from './stack.ts';

const root = resolve(import.meta.dirname, '..');
/** scripts/start.ts's own wait for the backend (START_TIMEOUT_S, default 180 s), passed on to it. */
const startTimeoutS = Number(process.env.START_TIMEOUT_S ?? 180) || 180;

function server(s: Stack, build: boolean) {
  return {
    command: `node --import tsx scripts/start.ts --quiet${build ? '' : ' --no-build'}`,
    cwd: root,
    env: { ...s.env, START_TIMEOUT_S: String(startTimeoutS) },
    // start.ts prints this once the sandbox, the backend and the demo server all answer (a URL alone
    // would be ready too early: the demo server listens before the backend does).
    wait: { stdout: /checkout demo is running/ },
    // start.ts's wait, plus the builds before it (the demo pages and the embed: ~1 min on a busy machine).
    timeout: (startTimeoutS + (build ? 300 : 60)) * 1000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 5_000 },
  };
}

export default defineConfig<StackOptions>({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: resolve(root, 'reports/e2e-results'),
  // Empties reports/e2e-screens: it holds the last run's steps only.
  globalSetup: './global-setup.ts',
  fullyParallel: true,
  workers: Number(process.env.E2E_WORKERS) || 2,
  // Never retry: a flaky payment flow is a bug to see, not to hide.
  retries: 0,
  forbidOnly: !!process.env.CI,
  // Bounds for a busy 2-core machine (tests answer as soon as the page does; these only cap a hang).
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['json', { outputFile: resolve(root, 'reports/e2e.json') }]],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    locale: 'en-US',
    timezoneId: 'UTC',
    viewport: { width: 1024, height: 800 },
    actionTimeout: 20_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: [server(GET_STACK, true), server(POST_STACK, false)],
  projects: [
    {
      name: 'get',
      testIgnore: '**/post-mode.spec.ts',
      use: { baseURL: demoUrl(GET_STACK), stack: GET_STACK },
    },
    {
      name: 'post',
      testMatch: '**/post-mode.spec.ts',
      use: { baseURL: demoUrl(POST_STACK), stack: POST_STACK },
    },
  ],
});
