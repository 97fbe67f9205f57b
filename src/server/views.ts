/** What the API answers: the public session view, the payment view with its next action, refunds. */
import type { NextAction, PaymentView, SessionView } from '../core/api.ts';
import type { Catalog, MethodId, Prices } from '../core/methods/index.ts';
import type { Currency } from '../core/money.ts';
import { validateRedirectUrl } from '../core/redirect.ts';
import { isFinal } from '../core/status.ts';
import type { PaymentRow, RefundRow, SessionRow, StoredVoucher } from './db/schema.ts';
import type { Logger } from './logger.ts';

export function pricesRecord(session: SessionRow): Prices {
  const out: Prices = {};
  for (const p of session.prices) out[p.currency] = p.amount;
  return out;
}

export function sessionStatus(session: SessionRow, paid: boolean, now: Date): SessionView['status'] {
  if (paid) return 'completed';
  return session.expiresAt.getTime() <= now.getTime() ? 'expired' : 'open';
}

export function sessionView(
  session: SessionRow,
  catalog: Catalog,
  opts: {
    paid: boolean;
    latest: PaymentRow | null;
    now: Date;
    testMode: boolean;
    /** The redirect allowlist, for the widget's default `allowedHosts`. */
    redirectHosts?: readonly string[];
  },
): SessionView {
  const availability = catalog.availability(pricesRecord(session), session.methods ?? undefined);
  const c = session.customer;
  const view: SessionView = {
    id: session.id,
    status: sessionStatus(session, opts.paid, opts.now),
    prices: session.prices,
    customer: {
      ...(c.email !== undefined ? { email: c.email } : {}),
      ...(c.first_name !== undefined ? { first_name: c.first_name } : {}),
      ...(c.last_name !== undefined ? { last_name: c.last_name } : {}),
    },
    methods: availability.available.map((a) => {
      const m = catalog.get(a.method);
      return {
        method: a.method,
        name: m.name,
        redirect: m.redirect,
        options: a.options.map((o) => {
          const rules = m.customerFields(o.currency);
          return {
            currency: o.currency,
            amount: o.amount,
            required: [...rules.required],
            recommended: [...rules.recommended],
          };
        }),
      };
    }),
    unavailable: availability.unavailable.map((u) => ({ method: u.method, reason: { ...u.reason } })),
    return_url: session.returnUrl,
    test_mode: opts.testMode,
    expires_at: session.expiresAt.toISOString(),
  };
  if (session.description) view.description = session.description;
  if (session.locale) view.locale = session.locale;
  if (opts.redirectHosts) view.redirect_hosts = [...opts.redirectHosts];
  if (opts.latest && opts.latest.channel === 'gate')
    view.payment = { id: opts.latest.id, status: opts.latest.status };
  return view;
}

/** How long the widget should wait before asking again while nothing is asked of the shopper. */
export const WAIT_RETRY_MS = 1000;

export function nextAction(
  p: PaymentRow,
  devHosts: string[],
  log?: Logger,
  allowedHosts?: readonly string[],
): NextAction {
  if (isFinal(p.status)) return { type: 'result' };
  if (p.status === 'awaiting_redirect' && p.redirect) {
    const method = p.redirect.method.toUpperCase();
    try {
      // Never hand a browser a URL the redirect policy refuses (javascript:, plain http off dev hosts, …).
      // Only to the hosts of the allowlist (the Gate's, the Payment Page's, the providers').
      validateRedirectUrl(p.redirect.url, {
        devHosts,
        ...(allowedHosts ? { allowedHosts: [...allowedHosts] } : {}),
      });
      if (method !== 'GET' && method !== 'POST') throw new Error(`unsupported redirect method ${method}`);
      return { type: 'redirect', redirect: { url: p.redirect.url, method, body: { ...p.redirect.body } } };
    } catch (error) {
      log?.warn('payment.redirect_refused', { payment_id: p.id, error: String(error) });
      return { type: 'wait', retry_after_ms: WAIT_RETRY_MS };
    }
  }
  if (p.status === 'awaiting_clarification' && p.clarificationFields && !p.clarificationSent) {
    return { type: 'clarification', fields: p.clarificationFields };
  }
  return { type: 'wait', retry_after_ms: WAIT_RETRY_MS };
}

export interface ViewOptions {
  devHosts: string[];
  /** The redirect allowlist (`ServerConfig.redirectHosts`); absent: any https host. */
  allowedHosts?: readonly string[];
  log?: Logger;
  /** The merchant's view (authenticated): review state too. */
  merchant?: boolean;
  /** A payout's vouchers, decrypted: given only by the merchant's authenticated view. */
  vouchers?: StoredVoucher[] | null;
}

export function paymentView(p: PaymentRow, opts: ViewOptions): PaymentView {
  const view: PaymentView = {
    id: p.id,
    type: p.type,
    // Payment Page payments without a preselected method learn it from the first callback.
    method: (p.method ?? undefined) as MethodId,
    amount: p.amount,
    currency: p.currency as Currency,
    status: p.status,
    next_action: nextAction(p, opts.devHosts, opts.log, opts.allowedHosts),
    version: p.version,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
  };
  if (p.method === null) delete (view as Partial<PaymentView>).method;
  if (p.sessionId) view.session_id = p.sessionId;
  if (p.code !== null) view.code = p.code;
  if (p.message !== null) view.message = p.message;
  // Never from the row: it holds them encrypted, and only the merchant's view decrypts them.
  if (opts.vouchers) view.vouchers = opts.vouchers.map((v) => ({ ...v }));
  if (p.refundedAmount > 0) view.refunded_amount = p.refundedAmount;
  if (opts.merchant && p.reviewReason !== null) {
    view.requires_review = true;
    view.review_reason = p.reviewReason;
  }
  return view;
}

export interface RefundView {
  id: string;
  payment_id: string;
  amount: number;
  currency: string;
  description: string;
  status: RefundRow['status'];
  code?: string;
  message?: string;
  created_at: string;
  updated_at: string;
}

export function refundView(r: RefundRow): RefundView {
  return {
    id: r.id,
    payment_id: r.paymentId,
    amount: r.amount,
    currency: r.currency,
    description: r.description,
    status: r.status,
    ...(r.code !== null ? { code: r.code } : {}),
    ...(r.message !== null ? { message: r.message } : {}),
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}
