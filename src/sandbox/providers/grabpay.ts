import { parse } from '../refusals.ts';
import { definedStrings, hex } from '../util.ts';
import type { RedirectData } from '../ledger.ts';
import type { SandboxProvider } from './types.ts';

const CUSTOMER = ['email', 'first_name', 'last_name'];

/**
 * GrabPay (seeds 000, 002): the customer's details checked with the method's rules (e-mail required for
 * PHP; for MYR the names are recommended, and missing ones are asked for by clarification); a GET
 * redirect with an empty body and the token in the URL's query (POST mode: in the body).
 */
export const grabpayProvider: SandboxProvider = {
  method: 'grabpay',
  callbackLabel: 'GrabPay wallet',
  providerId: 1369,
  parseSale: ({ method, currency, customer }) => {
    const fields = parse(method.fieldsSchema(currency), customer, 'customer') as Record<string, unknown>;
    const kept = definedStrings(fields, CUSTOMER);
    const missing = method.customerFields(currency).recommended.filter((f) => kept[f] === undefined);
    return { customer: kept, ...(missing.length > 0 ? { clarificationFields: { customer: missing } } : {}) };
  },
  page: {
    name: 'GrabPay',
    path: '/providers/grabpay/Pay.aspx',
    tokenField: 'tokenid',
    redirect: (_record, ctx): RedirectData => {
      const token = hex(8);
      ctx.setToken(token);
      const url = ctx.publicUrl + '/providers/grabpay/Pay.aspx';
      return ctx.method === 'GET'
        ? { method: 'GET', url: `${url}?tokenid=${token}&procid=GRPY`, body: {} }
        : { method: 'POST', url, body: { tokenid: token, procid: 'GRPY' } };
    },
  },
  pageFields: [
    { name: 'email', field: 'email', label: 'E-mail' },
    { name: 'first_name', field: 'first_name', label: 'First name' },
    { name: 'last_name', field: 'last_name', label: 'Last name' },
  ],
};
