/** Helpers of the fault tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A small seeded PRNG (mulberry32): the same seed, the same sequence. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Runs `fn(0…n-1)` with at most `width` at a time; answers the results in order. */
export async function pool<T>(width: number, n: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Polls `check` every `everyMs` until it answers true, or fails after `ms`. */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  ms: number,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`not true within ${ms} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface Child {
  process: ChildProcess;
  output(): string;
  /** Resolves when a stdout line includes `text`. */
  waitFor(text: string, ms?: number): Promise<void>;
  exited: Promise<number | null>;
}

/** `node <args>` with its output kept (the last 20,000 characters) for failure messages. */
export function startNode(args: string[], env: Record<string, string>, cwd: string): Child {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const add = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
    for (const l of listeners) l();
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    process: child,
    output: () => out,
    exited,
    waitFor: (text, ms = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!out.includes(text)) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no "${text}" within ${ms} ms:\n${out}`));
        }, ms);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exited.then(() => {
          if (!listeners.has(check)) return;
          cleanup();
          reject(new Error(`the process exited before "${text}":\n${out}`));
        });
        check();
      }),
  };
}
