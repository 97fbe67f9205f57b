/**
 * Time, as the checkout controller sees it: injected, so its tests run the wait/poll schedule on a fake
 * clock instead of real timers (and pass on a busy machine), and a host may run it on its own loop.
 */
export interface Scheduler {
  /** Milliseconds since some fixed point (default `Date.now()`). */
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** A number in [0, 1) for the retry back-off's jitter (default `Math.random`). */
  random(): number;
}

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done);
    }),
};
