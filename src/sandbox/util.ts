import { randomBytes, randomInt } from 'node:crypto';

/** ecommpay's date format in callbacks: `2020-03-06T14:11:00+0000`. */
export function gateDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

/** The voucher expiry format of seed 004's example: `2019-07-10T11:48:14+00:00`. */
export function voucherDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export function digits(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String(randomInt(10));
  return out;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function alnum(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += ALNUM.charAt(randomInt(ALNUM.length));
  return out;
}

/** mulberry32: a small seeded PRNG, so random faults repeat with the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Background work: timers and callback deliveries. Everything started through it is tracked, so `idle()`
 * can wait for it and `close()` can end it (sleeps resolve at once and `closed` turns true).
 */
export class Scheduler {
  closed = false;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly sleepers = new Map<ReturnType<typeof setTimeout>, () => void>();

  constructor(
    readonly timeScale: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** A delay of the emulated world (redirect, Jeton result, retries), multiplied by the time scale. */
  scaled(ms: number): number {
    return Math.max(0, Math.round(ms * this.timeScale));
  }

  /** Real milliseconds; resolves early when the scheduler closes or `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.closed || signal?.aborted) return Promise.resolve();
    if (ms <= 0) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.set(timer, done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Runs `task` in the background, tracked; errors go to `onError`. */
  run(task: () => Promise<void>): Promise<void> {
    const p = (async () => {
      try {
        await task();
      } catch (error) {
        this.onError(error);
      }
    })();
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
    return p;
  }

  /** Runs `task` after `ms` emulated milliseconds unless closed or `signal` aborted by then (which ends the wait). */
  after(ms: number, task: () => unknown, signal?: AbortSignal): void {
    void this.run(async () => {
      await this.sleep(this.scaled(ms), signal);
      if (this.closed || signal?.aborted) return;
      await task();
    });
  }

  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  close(): void {
    this.closed = true;
    for (const done of [...this.sleepers.values()]) done();
    this.sleepers.clear();
  }
}

/** The keys' non-empty string values. */
export function definedStrings(o: Record<string, unknown>, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'string' && v !== '') out[k] = v;
  }
  return out;
}
