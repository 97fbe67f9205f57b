import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  clarificationRequestSchema,
  createPaymentRequestSchema,
  createSessionRequestSchema,
  nextActionSchema,
  parseMethodFields,
  paymentViewSchema,
  payoutRequestSchema,
  refundRequestSchema,
  sessionPrices,
  toFieldIssues,
  validationError,
} from '../../src/core/api.ts';
import { messageText } from '../../src/core/messages.ts';

const customer = { id: 'cust-1', email: 'ana@example.com' };

describe('API schemas', () => {
  it('takes a session with one amount and currency, or prices per currency', () => {
    const one = z.parse(createSessionRequestSchema, {
      amount: 2000,
      currency: 'PHP',
      customer,
      return_url: 'https://shop.example/return',
    });
    expect(sessionPrices(one)).toEqual([{ currency: 'PHP', amount: 2000 }]);
    const many = z.parse(createSessionRequestSchema, {
      prices: { EUR: 1500, UAH: 60000 },
      customer,
      return_url: 'http://localhost:5173/',
    });
    expect(sessionPrices(many)).toEqual([
      { currency: 'EUR', amount: 1500 },
      { currency: 'UAH', amount: 60000 },
    ]);
  });

  it('refuses sessions with clear field errors', () => {
    const err = (input: unknown) => {
      const r = z.safeParse(createSessionRequestSchema, input);
      return r.success ? null : validationError(r.error).error;
    };
    const base = { amount: 2000, currency: 'PHP', customer, return_url: 'https://shop.example/' };
    expect(err({ ...base, amount: 20.5 })).toMatchObject({
      field: 'amount',
      message: expect.stringContaining('whole numbers'),
    });
    expect(err({ ...base, amount: -1 })).toMatchObject({
      field: 'amount',
      message: expect.stringContaining('greater than zero'),
    });
    expect(err({ ...base, amount: 2 ** 53 })).toMatchObject({ field: 'amount' });
    expect(err({ ...base, currency: 'XXX' })).toMatchObject({
      field: 'currency',
      message: expect.stringContaining('not supported'),
    });
    expect(err({ ...base, return_url: 'javascript:alert(1)' })).toMatchObject({ field: 'return_url' });
    expect(err({ ...base, return_url: '/relative' })).toMatchObject({ field: 'return_url' });
    expect(err({ ...base, customer: { id: '' } })).toMatchObject({
      field: 'customer.id',
      message: 'customer.id: This field is required',
    });
    expect(err({ ...base, prices: { EUR: 100 } })).toMatchObject({
      field: 'prices',
      message: expect.stringContaining('not both'),
    });
    expect(err({ customer, return_url: 'https://shop.example/' })).toMatchObject({ field: 'amount' });
    expect(err({ amount: 100, customer, return_url: 'https://shop.example/' })).toMatchObject({
      field: 'currency',
    });
    expect(err({ ...base, methods: [] })).toMatchObject({ field: 'methods' });
    expect(err({ ...base, methods: ['card'] })).toMatchObject({ field: 'methods.0' });
    expect(err(null)).toMatchObject({ code: 'validation_error' });
  });

  it('takes a payment request and validates its fields with the method schema', () => {
    const req = z.parse(createPaymentRequestSchema, {
      method: 'grabpay',
      currency: 'PHP',
      fields: { email: 'x@y.io' },
    });
    expect(parseMethodFields(req.method, req.currency, req.fields)).toEqual({
      ok: true,
      data: { email: 'x@y.io' },
    });
    expect(
      z.safeParse(createPaymentRequestSchema, { method: 'grabpay', currency: 'PHP', amount: 1 }).success,
    ).toBe(true);
    // The amount is never read from the browser: the schema's output has no amount.
    expect(
      'amount' in z.parse(createPaymentRequestSchema, { method: 'payco', currency: 'KRW', amount: 1 }),
    ).toBe(false);
  });

  it('validates payouts per method', () => {
    const ok = (v: unknown) => z.safeParse(payoutRequestSchema, v).success;
    expect(
      ok({
        method: 'grabpay',
        amount: 1000,
        currency: 'PHP',
        customer: { id: 'c' },
        account: { number: '09171234567', customer_name: 'Juan Cruz' },
      }),
    ).toBe(true);
    expect(
      ok({
        method: 'grabpay',
        amount: 1000,
        currency: 'PHP',
        customer: { id: 'c' },
        account: { number: '9171234567', customer_name: 'Juan Cruz' },
      }),
    ).toBe(false);
    expect(
      ok({
        method: 'advcash',
        amount: 1000,
        currency: 'USD',
        customer: { id: 'c' },
        account: { number: 'w@example.com' },
      }),
    ).toBe(true);
    expect(ok({ method: 'jeton', amount: 125000, currency: 'EUR', customer: { id: 'c' } })).toBe(true);
    expect(ok({ method: 'payco', amount: 1000, currency: 'KRW', customer: { id: 'c' } })).toBe(false);
    expect(
      ok({
        method: 'jeton',
        amount: 1000,
        currency: 'EUR',
        customer: { id: 'c', ip_address: '203.0.113.7' },
      }),
    ).toBe(true);
    expect(
      ok({
        method: 'jeton',
        amount: 1000,
        currency: 'EUR',
        customer: { id: 'c', ip_address: '2001:db8::1' },
      }),
    ).toBe(true);
    expect(
      ok({ method: 'jeton', amount: 1000, currency: 'EUR', customer: { id: 'c', ip_address: 'localhost' } }),
    ).toBe(false);
  });

  it('validates refunds and clarifications', () => {
    expect(z.safeParse(refundRequestSchema, { description: 'Broken item' }).success).toBe(true);
    expect(z.safeParse(refundRequestSchema, { description: 'x', amount: 500 }).success).toBe(true);
    const r = z.safeParse(refundRequestSchema, { description: '  ' });
    expect(r.success ? null : toFieldIssues(r.error)[0]).toMatchObject({
      field: 'description',
      message: 'A description is required',
    });
    expect(
      z.safeParse(clarificationRequestSchema, { customer: { first_name: 'Siti', last_name: 'Aminah' } })
        .success,
    ).toBe(true);
    expect(z.safeParse(clarificationRequestSchema, { customer: { first_name: '<script>' } }).success).toBe(
      false,
    );
  });

  it('describes next actions and payment views', () => {
    expect(
      z.safeParse(nextActionSchema, {
        type: 'redirect',
        redirect: { url: 'https://x.example', method: 'GET', body: {} },
      }).success,
    ).toBe(true);
    expect(
      z.safeParse(nextActionSchema, { type: 'clarification', fields: { customer: ['first_name'] } }).success,
    ).toBe(true);
    expect(z.safeParse(nextActionSchema, { type: 'teleport' }).success).toBe(false);
    const view = {
      id: 'p1',
      type: 'purchase',
      method: 'jeton',
      amount: 1000,
      currency: 'EUR',
      status: 'success',
      code: '0',
      next_action: { type: 'result' },
      version: 3,
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
    };
    expect(z.safeParse(paymentViewSchema, view).success).toBe(true);
    expect(z.safeParse(paymentViewSchema, { ...view, status: 'paid' }).success).toBe(false);
  });

  it('falls back to the raw text for unknown message keys', () => {
    expect(messageText('required')).toBe('This field is required');
    expect(messageText('Something else')).toBe('Something else');
    expect(validationError(new z.core.$ZodError([]))).toEqual({
      error: { code: 'validation_error', message: 'Invalid request' },
    });
  });

  it('turns into JSON Schema for the OpenAPI document', () => {
    for (const s of [
      createSessionRequestSchema,
      createPaymentRequestSchema,
      payoutRequestSchema,
      paymentViewSchema,
    ]) {
      expect(() => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' })).not.toThrow();
    }
  });
});
