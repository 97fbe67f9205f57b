import { createHash, createHmac } from 'node:crypto';
import type { MethodId } from '../core/methods/index.ts';
import { toMajorString } from '../core/money.ts';
import type { PaymentRecord, RedirectData } from './ledger.ts';
import { hex } from './util.ts';

/** The provider pages' paths under the sandbox's public URL. */
export const PROVIDER_PATHS = {
  grabpay: '/providers/grabpay/Pay.aspx',
  advcash: '/providers/advcash/sci',
  payco: '/providers/payco/pay',
} as const satisfies Partial<Record<MethodId, string>>;

export type RedirectMethodId = keyof typeof PROVIDER_PATHS;

export function isRedirectMethod(id: MethodId): id is RedirectMethodId {
  return id in PROVIDER_PATHS;
}

/** The field a provider page finds its payment by. */
export const TOKEN_FIELD: Record<RedirectMethodId, string> = {
  grabpay: 'tokenid',
  advcash: 'operation_id',
  payco: 'Moid',
};

/** The emulated providers' own keys (they sign their fields like the real ones do). */
const PROVIDER_KEY = 'sandbox-provider-key';

export interface RedirectContext {
  publicUrl: string;
  method: 'GET' | 'POST';
  operationId: number;
  now: number;
  setToken(token: string): void;
}

/** `yyyyMMddHHmmss`, Payco's EdiDate. */
function ediDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\D/g, '').slice(0, 14);
}

/** ADVCash SCI's ac_sign: sha256 of `email:sci_name:amount:currency:password:order_id`. */
export function advCashSign(body: Record<string, string | number>): string {
  const parts = ['ac_account_email', 'ac_sci_name', 'ac_amount', 'ac_currency'].map((k) => String(body[k]));
  return createHash('sha256')
    .update([...parts, PROVIDER_KEY, String(body.ac_order_id)].join(':'))
    .digest('hex');
}

/** Payco (NICEPAY)'s SignData: an HMAC over the order's key fields. */
export function paycoSign(body: Record<string, string | number>): string {
  const text = ['MID', 'EdiDate', 'Amt', 'Moid'].map((k) => String(body[k])).join('');
  return createHmac('sha256', PROVIDER_KEY).update(text).digest('hex');
}

/**
 * `redirect_data` shaped like the seeds' examples: GrabPay GET with an empty body and the token in the
 * URL's query; ADVCash with its `ac_*` fields; Payco with its provider fields. In POST mode the same
 * fields travel in the body (GrabPay's tokenid/procid move from the URL into the body).
 */
export function buildRedirect(record: PaymentRecord, ctx: RedirectContext): RedirectData {
  const { method } = record;
  if (!isRedirectMethod(method)) throw new Error(`${method} has no redirect`);
  const url = ctx.publicUrl + PROVIDER_PATHS[method];
  switch (method) {
    case 'grabpay': {
      const token = hex(8);
      ctx.setToken(token);
      return ctx.method === 'GET'
        ? { method: 'GET', url: `${url}?tokenid=${token}&procid=GRPY`, body: {} }
        : { method: 'POST', url, body: { tokenid: token, procid: 'GRPY' } };
    }
    case 'advcash': {
      ctx.setToken(String(ctx.operationId));
      const success = record.returnUrls.success ?? '';
      const body: Record<string, string | number> = {
        ac_account_email: 'sci@advcash.sandbox.example',
        ac_sci_name: `SANDBOX-${record.projectId}`,
        ac_amount: toMajorString(record.amount, record.currency),
        ac_currency: record.currency,
        ac_order_id: record.paymentId,
        ac_comments: record.description || record.paymentId,
        ac_success_url_method: 'GET',
        ac_fail_url_method: 'GET',
        ac_status_url_method: 'POST',
        ac_client_lang: 'en',
        // A number, as in the seed: it must reach the page as the same digits.
        operation_id: ctx.operationId,
        ac_success_url: success,
        ac_fail_url: record.returnUrls.decline ?? success,
        ac_status_url: `${ctx.publicUrl}/providers/advcash/status`,
      };
      body.ac_sign = advCashSign(body);
      return { method: ctx.method, url, body };
    }
    case 'payco': {
      const token = hex(8);
      ctx.setToken(token);
      const body: Record<string, string | number> = {
        MID: `SANDBOX${record.projectId}`,
        EdiDate: ediDate(ctx.now),
        Moid: token,
        CharSet: 'utf-8',
        Amt: String(record.amount),
        GoodsName: record.description || `Order ${record.paymentId}`,
        DirectShowOpt: 'CARD',
        NicepayReserved: 'DirectPayco=Y',
        PayMethod: 'CARD',
        ReturnUrl: record.returnUrls.return ?? record.returnUrls.success ?? '',
        NpDirectYn: 'Y',
        NpDirectLayer: 'Y',
        NpSvcType: 'WEBSTD',
      };
      body.SignData = paycoSign(body);
      return { method: ctx.method, url, body };
    }
  }
}
