import { createHmac } from 'node:crypto';
import { hex } from '../util.ts';
import { PROVIDER_KEY } from './keys.ts';
import type { SandboxProvider } from './types.ts';

const PATH = '/providers/payco/pay';

/** `yyyyMMddHHmmss`, Payco's EdiDate. */
function ediDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\D/g, '').slice(0, 14);
}

/** Payco (NICEPAY)'s SignData: an HMAC over the order's key fields. */
export function paycoSign(body: Record<string, string | number>): string {
  const text = ['MID', 'EdiDate', 'Amt', 'Moid'].map((k) => String(body[k])).join('');
  return createHmac('sha256', PROVIDER_KEY).update(text).digest('hex');
}

/** Payco (seed 003): its provider fields in the redirect, and a "Return to the shop" button. */
export const paycoProvider: SandboxProvider = {
  method: 'payco',
  callbackLabel: 'payco',
  providerId: 3456,
  page: {
    name: 'PAYCO',
    path: PATH,
    tokenField: 'Moid',
    returnButton: true,
    redirect: (record, ctx) => {
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
      return { method: ctx.method, url: ctx.publicUrl + PATH, body };
    },
  },
};
