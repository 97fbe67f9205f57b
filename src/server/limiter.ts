/**
 * A fixed-window rate limiter, in memory, keyed by client IP and route.
 *
 * Why in memory and not in the database: the limit protects the public endpoints from abuse (a script
 * hammering session reads or payment creation); it is not needed for correctness — idempotency and the
 * one-active-payment rule live in the database. Keeping it in process costs nothing per request, and with
 * N instances behind a balancer the effective limit is at most N times the configured one, which is fine
 * for this purpose. A fixed window is the simplest scheme with a clear Retry-After; its burst at a window
 * edge (up to twice the limit) is acceptable here.
 */

export interface LimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

export interface LimiterOptions {
  limit: number;
  windowMs: number;
  now?: () => number;
  /** Above this many tracked keys, expired windows are swept (bounded memory). */
  maxKeys?: number;
}

export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(private readonly options: LimiterOptions) {
    if (!(options.limit >= 1) || !(options.windowMs >= 1))
      throw new RangeError('limit and windowMs must be ≥ 1');
    this.now = options.now ?? Date.now;
    this.maxKeys = options.maxKeys ?? 100_000;
  }

  hit(key: string): LimitResult {
    const now = this.now();
    const { limit, windowMs } = this.options;
    let w = this.windows.get(key);
    if (!w || now - w.start >= windowMs) {
      if (!w && this.windows.size >= this.maxKeys) this.sweep(now);
      w = { start: now - ((now - (w?.start ?? now)) % windowMs), count: 0 };
      this.windows.set(key, w);
    }
    const resetMs = Math.max(0, w.start + windowMs - now);
    if (w.count >= limit) return { allowed: false, limit, remaining: 0, resetMs };
    w.count++;
    return { allowed: true, limit, remaining: limit - w.count, resetMs };
  }

  /** Whether `key` is over its limit now, without counting a hit (for limits that count failures only). */
  blocked(key: string): LimitResult | null {
    const now = this.now();
    const { limit, windowMs } = this.options;
    const w = this.windows.get(key);
    if (!w || now - w.start >= windowMs || w.count < limit) return null;
    return { allowed: false, limit, remaining: 0, resetMs: Math.max(0, w.start + windowMs - now) };
  }

  /** Drops expired windows; if still full, the oldest ones. */
  sweep(now = this.now()): void {
    for (const [k, w] of this.windows) if (now - w.start >= this.options.windowMs) this.windows.delete(k);
    if (this.windows.size >= this.maxKeys) {
      const excess = this.windows.size - Math.floor(this.maxKeys / 2);
      let i = 0;
      for (const k of this.windows.keys()) {
        if (i++ >= excess) break;
        this.windows.delete(k);
      }
    }
  }

  get size(): number {
    return this.windows.size;
  }
}
