import type { Hono } from 'hono';
import type { Currency } from '../core/money.ts';
import type { MethodId } from '../core/methods/index.ts';
import type { PaymentState } from '../core/status.ts';

export interface SandboxProject {
  id: number;
  secret: string;
  /** Where callbacks go when a request names no `general.merchant_callback_url`. */
  callbackUrl?: string;
}

export interface SandboxOptions {
  projects: SandboxProject[];
  /** How browsers reach the sandbox, e.g. http://127.0.0.1:8790 (provider pages, Payment Page). */
  publicUrl: string;
  /** Multiplies every delay (retries, Jeton delay, redirect callback); tests use 0.001–0.01. Default 1. */
  timeScale?: number;
  /** Test-project rules: ADVCash UAH only (the 40000/40400 decline rule always applies). */
  testProject?: boolean;
  /** Per method, the HTTP method of `redirect_data` (default GET). */
  redirectMethod?: Partial<Record<MethodId, 'GET' | 'POST'>>;
  /** Delivers callbacks; tests may inject one. Default: the global fetch. */
  fetch?: typeof fetch;
  // ── additions to docs/architecture.md ─────────────────────────────────────────────────────────
  /** Jeton Voucher currencies agreed with the account manager (default: the catalog's). */
  jetonCurrencies?: Currency[];
  /** Callback delivery: total tries per callback (ecommpay: up to 120; default here 12) and per-try timeout. */
  callbackRetry?: { maxAttempts?: number; timeoutMs?: number };
  /** Called once per HTTP request after it is answered (main.ts prints it as one JSON line). */
  log?: (entry: RequestLogEntry) => void;
  /** Clock, for tests. Default Date.now. */
  now?: () => number;
}

export interface RequestLogEntry {
  time: string;
  method: string;
  path: string;
  status: number;
  ms: number;
}

/** Which callback of a payment: the intermediate ones, the final one of a sale/payout, or a refund's. */
export type CallbackKind = 'redirect' | 'clarification' | 'final' | 'refund';

export interface Faults {
  /** Extra copies of every callback (0 = none). */
  duplicate: number;
  /**
   * `true` / `'final-first'`: an intermediate callback (redirect, clarification) is held back until the
   * payment's next callback exists, which is then delivered first (or until `reorderHoldMs` passes).
   * `'stale-after'`: once a final callback has been delivered, the payment's last intermediate callback
   * arrives again, late. `false`: off.
   */
  reorder: boolean | 'final-first' | 'stale-after';
  /** The longest an intermediate callback is held back by `reorder: 'final-first'` (real ms). */
  reorderHoldMs: number;
  /** Drop the next N callbacks (of `dropKind`): never delivered; the ledger and status requests still tell the truth. */
  dropNext: number;
  /** Which callbacks `dropNext` and `dropProbability` apply to. */
  dropKind: CallbackKind | 'any';
  /** Probability 0–1 of dropping each callback (of `dropKind`), from a PRNG seeded with `seed`. */
  dropProbability: number;
  /** Extra delay before every delivery try, in real milliseconds (not scaled). */
  delayMs: number;
  /** Answer the next N operation requests (sales, payouts, refunds) with HTTP `saleErrorStatus`. */
  saleError: number;
  saleErrorStatus: number;
  /** Hang the next N operation requests for `hangMs` (≤ 120 s) and then answer 504. */
  saleTimeout: number;
  hangMs: number;
  /** With saleError/saleTimeout: process the request as accepted before failing the answer (did it go through?). */
  faultAfterAccept: boolean;
  /** Seed of the PRNG behind `dropProbability`. */
  seed: number;
}

export interface LedgerOperation {
  id: number;
  type: 'sale' | 'payout' | 'refund';
  /** ecommpay's operation status. */
  status: string;
  request_id: string;
  amount: number;
  currency: Currency;
  code?: string;
  message?: string;
  created_at: string;
  updated_at: string;
}

export interface LedgerEntry {
  project_id: number;
  payment_id: string;
  type: 'purchase' | 'payout';
  method: MethodId;
  /** Where it came from: a Gate request or the Payment Page emulator. */
  via: 'gate' | 'payment_page';
  amount: number;
  currency: Currency;
  /** ecommpay's spelling, as callbacks and status answers say it. */
  status: string;
  /** The project's state (src/core/status.ts). */
  state: PaymentState;
  code?: string;
  message?: string;
  refunded_amount: number;
  operations: LedgerOperation[];
  callbacks: {
    /** Callbacks created (copies from the `duplicate` fault included, dropped ones excluded). */
    created: number;
    /** Delivery tries made. */
    sent: number;
    /** Tries answered with HTTP 200. */
    acknowledged: number;
    /** Dropped by the `drop` faults. */
    dropped: number;
    /** Gave up after the last try. */
    failed: number;
  };
  vouchers?: Voucher[];
  created_at: string;
  updated_at: string;
}

/** A Jeton payout voucher as `provider_extra_fields.vouchers` carries it (seed 004) plus its face value. */
export interface Voucher {
  voucherNumber: string;
  expiration: string;
  securityCode: string;
  createDate: string;
  amount: number;
  currency: Currency;
}

export interface Sandbox {
  app: Hono;
  /** What the sandbox decided, per payment. */
  ledger(): LedgerEntry[];
  /** Merges into the current faults (also POST /_sandbox/faults). */
  setFaults(f: Partial<Faults>): void;
  /** Same as the provider page's buttons (or, for Jeton and payouts, the result before its delay ends). */
  decide(projectId: number, paymentId: string, result: 'success' | 'decline'): Promise<void>;
  /** Resolves when no callback delivery or scheduled step is pending. */
  idle(): Promise<void>;
  close(): void;
  // ── additions to docs/architecture.md ─────────────────────────────────────────────────────────
  /** The current faults. */
  faults(): Faults;
  /** Back to no faults (also POST /_sandbox/faults {"reset": true}). */
  resetFaults(): void;
}
