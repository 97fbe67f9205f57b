import * as z from 'zod/mini';
import {
  fieldsSchemaFrom,
  TEST_DECLINE_AMOUNTS,
  type ExtraMethodDefinition,
  type FormSpec,
} from '../../src/core/methods/index.ts';
import { fakePayMessages } from './fake-method.messages.ts';

/**
 * FakePay, a test-only fifth method (file 1 of 3 of "Adding a method", docs/architecture.md): an e-wallet
 * in EUR that redirects, whose shopper types the wallet's phone number; the Gate gets it as
 * `account.number`. Everything the widget, the backend and the sandbox need of the method is here.
 */
export type FakePayFields = { phone: string };

const form: FormSpec = {
  fields: [
    {
      name: 'phone',
      kind: 'phone',
      label: 'fakepay.phone',
      hint: 'fakepay.phone.hint',
      autoComplete: 'tel',
      maxLength: 20,
      rule: () =>
        z.string({ error: 'required' }).check(
          z.overwrite((s) => s.replace(/[\s()-]/g, '')),
          z.regex(/^\+\d{8,15}$/, 'fakepay.phone.invalid'),
        ),
    },
  ],
  notes: [{ id: 'fakepay.note' }],
};

export const fakePay: ExtraMethodDefinition<FakePayFields> = {
  id: 'fakepay',
  name: 'FakePay',
  kind: 'ewallet',
  paymentPageCodes: ['fakepay-wallet'],
  gate: { sale: '/v2/payment/wallet/fakepay/sale' },
  currencies: ['EUR'],
  purchaseLimits: { EUR: { min: 100, max: 100_000 } },
  refunds: 'none',
  customerFields: () => ({ required: [], recommended: [] }),
  returnUrlKeys: ['success', 'decline'],
  redirect: true,
  purchaseTimes: { baseMs: 60_000, limitMs: 3_600_000 },
  testProject: { declineAmounts: TEST_DECLINE_AMOUNTS },
  form: () => form,
  fieldsSchema: fieldsSchemaFrom<FakePayFields>(() => form),
  saleBody: (fields) => ({ account: { number: fields.phone ?? '' } }),
  callbackLabels: ['fakepay'],
  messages: fakePayMessages,
};
