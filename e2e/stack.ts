/**
 * The two demo stacks the end-to-end tests run against, each one `scripts/start.ts` (Gate sandbox,
 * signing backend in memory, demo merchant server) on ports of its own, so a developer's `npm start` on
 * the default ports is never disturbed:
 *
 * - `get`: the sandbox's defaults (every redirect is a GET);
 * - `post`: the same code started with `SANDBOX_REDIRECT_POST=grabpay,advcash,payco`, so every provider
 *   page is reached by an auto-submitted form. A second stack rather than a runtime switch in the sandbox:
 *   no test-only endpoint, no global state shared by tests running in parallel, and the real
 *   configuration path (the environment variable) is what is exercised.
 */

export interface Stack {
  name: 'get' | 'post';
  demoPort: number;
  backendPort: number;
  sandboxPort: number;
  /** Environment of `scripts/start.ts` (it passes it on to the sandbox and the backend). */
  env: Record<string, string>;
}

/** Multiplies every sandbox delay: redirect callback 0.5 s, Jeton result 2.5 s, refunds 1.5 s, payouts 2.5 s. */
export const SANDBOX_TIME_SCALE = 0.5;

const host = '127.0.0.1';

function stack(name: Stack['name'], ports: [number, number, number], redirectPost: string): Stack {
  const [demoPort, backendPort, sandboxPort] = ports;
  return {
    name,
    demoPort,
    backendPort,
    sandboxPort,
    env: {
      DEMO_HOST: host,
      DEMO_PORT: String(demoPort),
      BACKEND_PORT: String(backendPort),
      SANDBOX_PORT: String(sandboxPort),
      DATA_DIR: 'memory://',
      SANDBOX_TIME_SCALE: String(SANDBOX_TIME_SCALE),
      SANDBOX_REDIRECT_POST: redirectPost,
      RATE_LIMIT_PER_MINUTE: '1000000',
    },
  };
}

/** Moves every port by this much (E2E_PORT_OFFSET), so that two runs can share a machine. */
const offset = Number(process.env.E2E_PORT_OFFSET ?? 0) || 0;
const at = (ports: [number, number, number]): [number, number, number] =>
  ports.map((p) => p + offset) as [number, number, number];

export const GET_STACK = stack('get', at([5273, 8887, 8890]), '');
export const POST_STACK = stack('post', at([5274, 8888, 8891]), 'grabpay,advcash,payco');

export const demoUrl = (s: Stack): string => `http://${host}:${s.demoPort}`;
export const backendUrl = (s: Stack): string => `http://${host}:${s.backendPort}`;
export const sandboxUrl = (s: Stack): string => `http://${host}:${s.sandboxPort}`;

/** Debian's Chromium, never a downloaded browser, with the flags this machine needs (toolchain.md §0). */
export { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/lib/chromium.mjs';
