/**
 * The OpenAPI 3.1 document, generated from the core's zod schemas (requests as their input side, answers
 * as their output side), so the document and the validation cannot drift apart.
 */
import * as z from 'zod/mini';
import {
  clarificationRequestSchema,
  createPaymentRequestSchema,
  createSessionRequestSchema,
  errorBodySchema,
  paymentPageRequestSchema,
  paymentPageResponseSchema,
  paymentViewSchema,
  payoutRequestSchema,
  refundRequestSchema,
  methodIdSchema,
  sessionViewSchema,
} from '../core/api.ts';
import { catalog } from '../core/methods/index.ts';
import { webhookPaths, webhookRequests, webhookSchemas } from './webhooks/openapi.ts';

import { CONSOLE_SCHEMAS, consolePaths } from './console-openapi.ts';

type JsonSchema = Record<string, unknown>;

function schema(s: z.ZodMiniType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(s, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
    // A method id is checked against the catalog at parse time; the document lists the catalog's ids.
    override: (ctx) => {
      if ((ctx.zodSchema as unknown) === methodIdSchema)
        ctx.jsonSchema.enum = catalog.methods.map((m) => m.id);
    },
  }) as JsonSchema;
  delete out.$schema;
  return out;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ content: { 'application/json': { schema: ref(name) } } });

const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [String(code), { description: ERROR_TEXT[code] ?? 'Error', ...json('Error') }]),
  );

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input (validation_error, invalid_json)',
  401: 'Missing or wrong API key',
  403: 'Bad callback signature, or an origin that is not allowed',
  404: 'Not found',
  409: 'Conflict with the current state (session_completed, payment_in_progress, …)',
  413: 'Body too large',
  415: 'Content-Type is not application/json',
  422: 'Valid input that cannot be done (no method can take the session, method unavailable, refund exceeds remaining, …)',
  429: 'Rate limited (see Retry-After): too many requests, failed authentications or rejected callbacks',
  502: 'The Gate failed; retry with the same Idempotency-Key',
  504: 'The Gate timed out; retry with the same Idempotency-Key',
};

const idParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description,
});
const idempotencyHeader = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  schema: { type: 'string', maxLength: 255 },
  description: 'The same key returns the same result; use one key per attempt.',
};
const merchant = [{ merchantApiKey: [] }];

export function buildOpenApi(serverUrl: string): JsonSchema {
  const refundView = {
    type: 'object',
    required: ['id', 'payment_id', 'amount', 'currency', 'description', 'status', 'created_at', 'updated_at'],
    properties: {
      id: { type: 'string' },
      payment_id: { type: 'string' },
      amount: { type: 'integer' },
      currency: { type: 'string' },
      description: { type: 'string' },
      status: { type: 'string', enum: ['sending', 'pending', 'unknown', 'success', 'decline', 'error'] },
      code: { type: 'string' },
      message: { type: 'string' },
      created_at: { type: 'string' },
      updated_at: { type: 'string' },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'ecommpay checkout signing backend',
      version: '1',
      description:
        'Sessions, payments, status long-polling, clarification, Payment Page signing, ecommpay callbacks, and merchant payouts and refunds. Errors are {error: {code, message, field?}}.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        merchantApiKey: { type: 'http', scheme: 'bearer', description: 'MERCHANT_API_KEY' },
      },
      schemas: {
        CreateSessionRequest: schema(createSessionRequestSchema, 'input'),
        SessionView: schema(sessionViewSchema, 'output'),
        CreatePaymentRequest: schema(createPaymentRequestSchema, 'input'),
        PaymentView: schema(paymentViewSchema, 'output'),
        ClarificationRequest: schema(clarificationRequestSchema, 'input'),
        PaymentPageRequest: schema(paymentPageRequestSchema, 'input'),
        PaymentPageResponse: schema(paymentPageResponseSchema, 'output'),
        PayoutRequest: schema(payoutRequestSchema, 'input'),
        RefundRequest: schema(refundRequestSchema, 'input'),
        Refund: refundView,
        RefundResult: {
          type: 'object',
          required: ['refund', 'payment'],
          properties: { refund: ref('Refund'), payment: ref('PaymentView') },
        },
        PaymentList: {
          type: 'object',
          required: ['data', 'next_cursor'],
          properties: {
            data: { type: 'array', items: ref('PaymentView') },
            next_cursor: { type: ['string', 'null'] },
          },
        },
        Error: schema(errorBodySchema, 'output'),
        ...webhookSchemas(),
        ...CONSOLE_SCHEMAS,
      },
    },
    paths: {
      '/api/sessions': {
        post: {
          summary: 'Create a checkout session (merchant server)',
          security: merchant,
          requestBody: { required: true, ...json('CreateSessionRequest') },
          responses: {
            '201': { description: 'Created', ...json('SessionView') },
            ...errors(400, 401, 413, 415, 422, 429),
          },
        },
      },
      '/api/sessions/{id}': {
        get: {
          summary: 'Read a session: what can be paid, with which methods, and why others are not offered',
          parameters: [idParam('id', 'Session id')],
          responses: { '200': { description: 'The session', ...json('SessionView') }, ...errors(404, 429) },
        },
      },
      '/api/sessions/{id}/payments': {
        post: {
          summary: 'Pay a session with a method (the amount is the session’s)',
          parameters: [
            idParam('id', 'Session id'),
            idempotencyHeader,
            {
              name: 'wait',
              in: 'query',
              schema: { type: 'number', minimum: 0, maximum: 10 },
              description:
                'Seconds to hold the answer for the payment’s next step (redirect, clarification, final status)',
            },
          ],
          requestBody: { required: true, ...json('CreatePaymentRequest') },
          responses: {
            '201': { description: 'Created', ...json('PaymentView') },
            '200': { description: 'The same payment, for a repeated request', ...json('PaymentView') },
            ...errors(400, 404, 409, 413, 415, 422, 429, 502, 504),
          },
        },
      },
      '/api/sessions/{id}/payment-page': {
        post: {
          summary: 'A signed Payment Page URL and the matching EPayWidget configuration',
          parameters: [idParam('id', 'Session id')],
          requestBody: { required: false, ...json('PaymentPageRequest') },
          responses: {
            '200': { description: 'Signed', ...json('PaymentPageResponse') },
            ...errors(400, 404, 409, 422, 429),
          },
        },
      },
      '/api/payments/{id}': {
        get: {
          summary: 'Payment status with its next action; long-polls with wait and version',
          parameters: [
            idParam('id', 'Payment id'),
            {
              name: 'wait',
              in: 'query',
              schema: { type: 'number', minimum: 0, maximum: 30 },
              description: 'Seconds to hold the request',
            },
            {
              name: 'version',
              in: 'query',
              schema: { type: 'integer', minimum: 0 },
              description: 'Answer once the version is above this',
            },
          ],
          responses: {
            '200': { description: 'The payment', ...json('PaymentView') },
            ...errors(400, 404, 429),
          },
        },
      },
      '/api/payments/{id}/clarification': {
        post: {
          summary: 'Send the fields the Gate asked for',
          parameters: [idParam('id', 'Payment id')],
          requestBody: { required: true, ...json('ClarificationRequest') },
          responses: {
            '200': { description: 'Sent', ...json('PaymentView') },
            ...errors(400, 404, 409, 422, 429, 502, 504),
          },
        },
      },
      '/api/callbacks/ecommpay': {
        post: {
          summary: 'ecommpay callbacks (signed); 200 once stored',
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
          responses: { '200': { description: 'Stored' }, ...errors(400, 403, 413, 429) },
        },
      },
      '/api/merchant/payouts': {
        post: {
          summary: 'Payout (GrabPay, ADVCash, Jeton Voucher)',
          security: merchant,
          parameters: [idempotencyHeader],
          requestBody: { required: true, ...json('PayoutRequest') },
          responses: {
            '201': { description: 'Created', ...json('PaymentView') },
            '200': { description: 'The same payout, for a repeated request', ...json('PaymentView') },
            ...errors(400, 401, 413, 415, 422, 429, 502, 504),
          },
        },
      },
      ...consolePaths(),
      '/api/merchant/payments/{id}': {
        get: {
          summary: 'Payment or payout detail, with refunds',
          security: merchant,
          parameters: [idParam('id', 'Payment id')],
          responses: {
            '200': { description: 'The payment', ...json('PaymentView') },
            ...errors(401, 404, 429),
          },
        },
      },
      '/api/merchant/payments/{id}/refunds': {
        post: {
          summary: 'Refund a Payco payment: full (no amount) or partial',
          security: merchant,
          parameters: [idParam('id', 'Payment id'), idempotencyHeader],
          requestBody: { required: true, ...json('RefundRequest') },
          responses: {
            '201': { description: 'Sent', ...json('RefundResult') },
            ...errors(400, 401, 404, 409, 413, 415, 422, 429, 502, 504),
          },
        },
      },
      ...webhookPaths(),
      '/api/openapi.json': {
        get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } },
      },
      '/api/health': {
        get: {
          summary: 'Liveness and database check',
          responses: { '200': { description: 'OK' }, '503': { description: 'Database down' } },
        },
      },
    },
    webhooks: webhookRequests(),
  };
}
