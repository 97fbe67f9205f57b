/** Helpers of the fault tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { LedgerEntry } from '../../src/sandbox/app.ts';

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

/** What the whole-ledger comparison needs of one of our payments (a store row, or a view). */
export interface OurPayment {
  id: string;
  sessionId: string | null;
  status: string;
  amount: number;
  currency: string;
}

/**
 * The Gate's whole ledger against every payment in our store, both ways, and the charges per session from
 * each side. Answers the disagreements (empty when none):
 * - every Gate sale has exactly one payment in our store, with its amount, currency and final state;
 * - every payment of ours is at the Gate exactly once (`allowedAbsent` may name ours that never reached it);
 * - no session was charged twice, counted from the Gate's successful sales and from our paid payments.
 * Nothing here starts from the ids a test already knows, so an extra charge it never saw is caught too.
 */
export function compareLedgers(
  gate: readonly LedgerEntry[],
  ours: readonly OurPayment[],
  allowedAbsent: (p: OurPayment) => boolean = () => false,
): string[] {
  const problems: string[] = [];
  const byId = new Map<string, OurPayment[]>();
  for (const p of ours) byId.set(p.id, [...(byId.get(p.id) ?? []), p]);
  const gateById = new Map<string, LedgerEntry[]>();
  for (const e of gate) gateById.set(e.payment_id, [...(gateById.get(e.payment_id) ?? []), e]);

  for (const [id, entries] of gateById) {
    const sales = entries.flatMap((e) => e.operations.filter((o) => o.type === 'sale'));
    if (entries.length !== 1 || sales.length !== 1)
      problems.push(`${id}: ${entries.length} ledger entries, ${sales.length} sales at the Gate`);
    const mine = byId.get(id) ?? [];
    const entry = entries[0] as LedgerEntry;
    if (mine.length !== 1) {
      problems.push(`${id}: at the Gate (${entry.state}) but ${mine.length} payments in our store`);
      continue;
    }
    const p = mine[0] as OurPayment;
    if (p.amount !== entry.amount || p.currency !== entry.currency)
      problems.push(`${id}: ours ${p.amount} ${p.currency}, Gate ${entry.amount} ${entry.currency}`);
    if (p.status !== entry.state) problems.push(`${id}: ours ${p.status}, Gate ${entry.state}`);
  }
  for (const [id, mine] of byId) {
    if (mine.length !== 1) problems.push(`${id}: ${mine.length} rows in our store`);
    if (!gateById.has(id) && !mine.every(allowedAbsent))
      problems.push(`${id}: in our store (${mine[0]?.status}) but not at the Gate`);
  }

  const sessionOf = new Map(ours.map((p) => [p.id, p.sessionId ?? `(no session) ${p.id}`]));
  const charged = new Map<string, number>();
  for (const e of gate) {
    if (e.state !== 'success') continue;
    const s = sessionOf.get(e.payment_id) ?? `(unknown to us) ${e.payment_id}`;
    charged.set(s, (charged.get(s) ?? 0) + 1);
  }
  const paid = new Map<string, number>();
  for (const p of ours) {
    if (p.status !== 'success') continue;
    const s = p.sessionId ?? `(no session) ${p.id}`;
    paid.set(s, (paid.get(s) ?? 0) + 1);
  }
  for (const [s, n] of charged) if (n > 1) problems.push(`session ${s}: charged ${n} times at the Gate`);
  for (const [s, n] of paid) if (n > 1) problems.push(`session ${s}: ${n} paid payments in our store`);
  return problems;
}
