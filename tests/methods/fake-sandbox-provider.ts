import { obj, parse } from '../../src/sandbox/refusals.ts';
import type { SandboxProvider } from '../../src/sandbox/providers/index.ts';
import { fakePay } from './fake-method.ts';

const PATH = '/providers/fakepay/pay';

/**
 * FakePay's provider in the sandbox (file 2 of 3 of "Adding a method"): its sale checks the wallet's phone
 * with the method's own rule, and the shopper is sent by GET to its page with a token and the amount.
 */
export const fakePayProvider: Omit<SandboxProvider, 'method'> & { method: string } = {
  method: 'fakepay',
  callbackLabel: 'FakePay wallet',
  providerId: 9001,
  parseSale: ({ data, customer }) => {
    const rule = fakePay.form('EUR').fields[0]!.rule();
    const account = parse(obj({ number: rule }), data.account, 'account');
    return { customer, account: { number: account.number } };
  },
  page: {
    name: 'FakePay',
    path: PATH,
    tokenField: 'fp_token',
    redirect: (record, ctx) => {
      const token = `fp${ctx.operationId}`;
      ctx.setToken(token);
      return {
        method: ctx.method,
        url: ctx.publicUrl + PATH,
        body: { fp_token: token, fp_amount: String(record.amount), fp_currency: record.currency },
      };
    },
  },
  pageFields: [{ name: 'fp_phone', field: 'phone', label: 'Phone number' }],
};
