import * as z from 'zod/mini';
import type { CallbackKind, Faults } from './types.ts';
import { seededRandom } from './util.ts';

export const MAX_HANG_MS = 120_000;

export const NO_FAULTS: Readonly<Faults> = Object.freeze({
  duplicate: 0,
  reorder: false,
  reorderHoldMs: 5_000,
  dropNext: 0,
  dropKind: 'any',
  dropProbability: 0,
  delayMs: 0,
  saleError: 0,
  saleErrorStatus: 500,
  saleTimeout: 0,
  hangMs: 30_000,
  faultAfterAccept: false,
  seed: 1,
});

const count = () => z.int().check(z.gte(0), z.lte(1_000_000));
const callbackKind = z.enum(['redirect', 'clarification', 'final', 'refund', 'any']);

/** What POST /_sandbox/faults accepts: any subset of the faults, and `reset` to start from none. */
export const faultsInputSchema = z.strictObject({
  reset: z.optional(z.boolean()),
  duplicate: z.optional(z.int().check(z.gte(0), z.lte(20))),
  reorder: z.optional(z.union([z.boolean(), z.literal('final-first'), z.literal('stale-after')])),
  reorderHoldMs: z.optional(z.int().check(z.gte(0), z.lte(MAX_HANG_MS))),
  dropNext: z.optional(count()),
  dropKind: z.optional(callbackKind),
  dropProbability: z.optional(z.number().check(z.gte(0), z.lte(1))),
  delayMs: z.optional(z.int().check(z.gte(0), z.lte(MAX_HANG_MS))),
  saleError: z.optional(count()),
  saleErrorStatus: z.optional(z.int().check(z.gte(500), z.lte(599))),
  saleTimeout: z.optional(count()),
  hangMs: z.optional(z.int().check(z.gte(0), z.lte(MAX_HANG_MS))),
  faultAfterAccept: z.optional(z.boolean()),
  seed: z.optional(z.int()),
});

export type OperationFault = { kind: 'error'; status: number } | { kind: 'timeout'; ms: number };

export class FaultState {
  private current: Faults = { ...NO_FAULTS };
  private random = seededRandom(NO_FAULTS.seed);

  get(): Faults {
    return { ...this.current };
  }

  set(f: Partial<Faults>): void {
    const defined = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined));
    this.current = { ...this.current, ...defined };
    this.current.hangMs = Math.min(Math.max(0, this.current.hangMs), MAX_HANG_MS);
    if (f.seed !== undefined) this.random = seededRandom(f.seed);
  }

  reset(): void {
    this.current = { ...NO_FAULTS };
    this.random = seededRandom(NO_FAULTS.seed);
  }

  /** Whether this callback is dropped; consumes `dropNext`. */
  shouldDrop(kind: CallbackKind): boolean {
    const f = this.current;
    if (f.dropKind !== 'any' && f.dropKind !== kind) return false;
    if (f.dropNext > 0) {
      f.dropNext--;
      return true;
    }
    return f.dropProbability > 0 && this.random() < f.dropProbability;
  }

  /** The fault the next operation request (sale, payout, refund) meets, if any; consumes one. */
  takeOperationFault(): OperationFault | null {
    const f = this.current;
    if (f.saleTimeout > 0) {
      f.saleTimeout--;
      return { kind: 'timeout', ms: f.hangMs };
    }
    if (f.saleError > 0) {
      f.saleError--;
      return { kind: 'error', status: f.saleErrorStatus };
    }
    return null;
  }

  reorderMode(): 'final-first' | 'stale-after' | null {
    const r = this.current.reorder;
    if (r === true || r === 'final-first') return 'final-first';
    if (r === 'stale-after') return 'stale-after';
    return null;
  }
}
