import type { Currency } from '../core/money.ts';
import type { MethodId } from '../core/methods/index.ts';
import { toEcommpayStatus, transition, type PaymentState } from '../core/status.ts';
import type { CallbackKind, LedgerEntry, LedgerOperation, Voucher } from './types.ts';
import { gateDate } from './util.ts';

export interface RedirectData {
  method: 'GET' | 'POST';
  url: string;
  body: Record<string, string | number>;
}

export interface Operation {
  id: number;
  type: 'sale' | 'payout' | 'refund';
  status: string;
  requestId: string;
  amount: number;
  currency: Currency;
  code?: string;
  message?: string;
  /** Decline details for the callback's `errors[]`. */
  errorDescription?: string;
  providerPaymentId: string;
  createdAt: number;
  updatedAt: number;
}

export interface PaymentRecord {
  key: string;
  projectId: number;
  paymentId: string;
  type: 'purchase' | 'payout';
  method: MethodId;
  via: 'gate' | 'payment_page';
  amount: number;
  currency: Currency;
  description: string;
  customer: Record<string, string>;
  account?: Record<string, string>;
  /** Where the shopper goes after the provider page: success, decline (and Payco's return). */
  returnUrls: { success?: string; decline?: string; return?: string };
  callbackUrl?: string;
  state: PaymentState;
  code?: string;
  message?: string;
  refunded: number;
  operations: Operation[];
  /** The key the provider page finds the payment by (GrabPay tokenid, ADVCash operation_id, Payco Moid). */
  providerToken?: string;
  redirect?: RedirectData;
  clarificationFields?: Record<string, string[]>;
  vouchers?: Voucher[];
  /** The amount falls under the test rule (40000 / 40400 decline). */
  testDecline: boolean;
  /** A result already decided for a payment without a provider page (Jeton, payouts). */
  pendingResult?: { result: 'success' | 'decline'; cancel: AbortController };
  callbacks: LedgerEntry['callbacks'];
  /** The latest intermediate callback body, for the `reorder: 'stale-after'` fault. */
  lastIntermediate?: { kind: CallbackKind; body: string };
  createdAt: number;
  updatedAt: number;
}

export const paymentKey = (projectId: number, paymentId: string): string => `${projectId}:${paymentId}`;

export class Ledger {
  private readonly records = new Map<string, PaymentRecord>();
  private readonly byToken = new Map<string, string>();

  get(projectId: number, paymentId: string): PaymentRecord | undefined {
    return this.records.get(paymentKey(projectId, paymentId));
  }

  has(projectId: number, paymentId: string): boolean {
    return this.records.has(paymentKey(projectId, paymentId));
  }

  add(record: PaymentRecord): void {
    this.records.set(record.key, record);
  }

  setToken(record: PaymentRecord, token: string): void {
    record.providerToken = token;
    this.byToken.set(`${record.method}:${token}`, record.key);
  }

  byProviderToken(method: MethodId, token: string): PaymentRecord | undefined {
    const key = this.byToken.get(`${method}:${token}`);
    return key === undefined ? undefined : this.records.get(key);
  }

  all(): PaymentRecord[] {
    return [...this.records.values()];
  }

  entries(): LedgerEntry[] {
    return this.all().map(toLedgerEntry);
  }
}

/** Moves the payment's state forward through the core state machine; false when the move is refused. */
export function moveTo(record: PaymentRecord, next: PaymentState, now: number): boolean {
  const r = transition(record.state, next);
  if (r.changed) {
    record.state = r.state;
    record.updatedAt = now;
  }
  return r.changed;
}

export function toLedgerOperation(op: Operation): LedgerOperation {
  return {
    id: op.id,
    type: op.type,
    status: op.status,
    request_id: op.requestId,
    amount: op.amount,
    currency: op.currency,
    ...(op.code !== undefined ? { code: op.code } : {}),
    ...(op.message !== undefined ? { message: op.message } : {}),
    created_at: gateDate(op.createdAt),
    updated_at: gateDate(op.updatedAt),
  };
}

export function toLedgerEntry(r: PaymentRecord): LedgerEntry {
  return {
    project_id: r.projectId,
    payment_id: r.paymentId,
    type: r.type,
    method: r.method,
    via: r.via,
    amount: r.amount,
    currency: r.currency,
    status: toEcommpayStatus(r.state),
    state: r.state,
    ...(r.code !== undefined ? { code: r.code } : {}),
    ...(r.message !== undefined ? { message: r.message } : {}),
    refunded_amount: r.refunded,
    operations: r.operations.map(toLedgerOperation),
    callbacks: { ...r.callbacks },
    ...(r.vouchers ? { vouchers: r.vouchers.map((v) => ({ ...v })) } : {}),
    created_at: gateDate(r.createdAt),
    updated_at: gateDate(r.updatedAt),
  };
}
