/**
 * What every part of the service shares: its dependencies, the clock, the payment view, the request
 * fingerprint, and the state of this instance (held long-polls, status checks in flight).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { PaymentView } from '../../core/api.ts';
import type { Catalog } from '../../core/methods/index.ts';
import type { ServerConfig } from '../config.ts';
import type { PaymentRow } from '../db/schema.ts';
import type { GateClient } from '../gate.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/index.ts';
import { VoucherCipher } from '../voucher-crypto.ts';
import { paymentView } from '../views.ts';

export interface ServiceDeps {
  config: ServerConfig;
  store: Store;
  gate: GateClient;
  catalog: Catalog;
  log: Logger;
  now: () => number;
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString('hex')}`;
}

/** Result of a create call: the payment, and whether this call created it (201) or found it (200). */
export interface Created<T> {
  view: T;
  created: boolean;
}

export class ServiceContext {
  /** Aborted on shutdown: held long-polls answer at once with what they have. */
  readonly stopping = new AbortController();
  /** Payments whose status this instance is asking the Gate about now. */
  readonly checking = new Set<string>();

  constructor(readonly deps: ServiceDeps) {}

  get log(): Logger {
    return this.deps.log;
  }

  date(): Date {
    return new Date(this.deps.now());
  }

  view(p: PaymentRow): PaymentView {
    return paymentView(p, this.viewOptions());
  }

  /** The merchant's view of a payment (authenticated routes only): review state, a payout's vouchers. */
  merchantView(p: PaymentRow): PaymentView {
    const vouchers = p.vouchers ? this.vouchers.open(p.id, p.vouchers) : null;
    return paymentView(p, { ...this.viewOptions(), merchant: true, vouchers });
  }

  private cipher: VoucherCipher | undefined;
  /** Encrypts payout vouchers at rest and redacts them from stored Gate bodies (`VOUCHER_KEYS`). */
  get vouchers(): VoucherCipher {
    this.cipher ??= new VoucherCipher(this.deps.config.voucherKeys);
    return this.cipher;
  }

  private viewOptions() {
    const { config } = this.deps;
    return { devHosts: config.redirectDevHosts, allowedHosts: config.redirectHosts, log: this.log };
  }

  /** A keyed hash of a request, to tell a retry from a different request under the same key. */
  fingerprint(value: unknown): string {
    return createHmac('sha256', this.deps.config.secretKey).update(JSON.stringify(value)).digest('base64url');
  }
}
