import { createHash } from 'node:crypto';
import { toMajorString } from '../../core/money.ts';
import type { SandboxProvider } from './types.ts';
import { PROVIDER_KEY } from './keys.ts';

const PATH = '/providers/advcash/sci';

/** ADVCash SCI's ac_sign: sha256 of `email:sci_name:amount:currency:password:order_id`. */
export function advCashSign(body: Record<string, string | number>): string {
  const parts = ['ac_account_email', 'ac_sci_name', 'ac_amount', 'ac_currency'].map((k) => String(body[k]));
  return createHash('sha256')
    .update([...parts, PROVIDER_KEY, String(body.ac_order_id)].join(':'))
    .digest('hex');
}

/** ADVCash (seed 001): the SCI page, reached with its `ac_*` fields (GET by default, as in the seed). */
export const advcashProvider: SandboxProvider = {
  method: 'advcash',
  callbackLabel: 'advcash',
  providerId: 1111,
  page: {
    name: 'ADVCash',
    path: PATH,
    tokenField: 'operation_id',
    redirect: (record, ctx) => {
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
      return { method: ctx.method, url: ctx.publicUrl + PATH, body };
    },
    // ADVCash's server-to-server status URL: the sandbox's provider reports through callbacks instead.
    routes: (app) => {
      app.post('/providers/advcash/status', (c) => c.text('OK'));
    },
  },
};
