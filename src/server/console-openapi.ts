/**
 * The OpenAPI entries of the console's merchant routes (search, history, CSV export, bulk payouts and
 * refunds), merged into the backend's document by `openapi.ts`.
 */
import { METHOD_IDS } from '../core/methods/index.ts';
import { PAYMENT_STATES } from '../core/status.ts';
import { COLUMNS } from './bulk/rows.ts';
import { OPERATION_TYPES, REFUND_STATUSES } from './search/query.ts';

type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ content: { 'application/json': { schema: ref(name) } } });
const err = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: `Error (${c})`, ...json('Error') }]));
const merchant = [{ merchantApiKey: [] }];
const q = (name: string, schema: Json, description: string) => ({ name, in: 'query', schema, description });
const idParam = (description: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description,
});
const csv = (description: string) => ({
  description,
  content: { 'text/csv': { schema: { type: 'string' } } },
});

const filters = [
  q(
    'q',
    { type: 'string', maxLength: 200 },
    'Free text: a payment, payout, refund or session id, an e-mail, or an amount in major units (1,500.00) in any currency',
  ),
  q('id', { type: 'string' }, 'A payment, payout or refund id'),
  q('session_id', { type: 'string' }, 'The order’s checkout session'),
  q('email', { type: 'string', format: 'email' }, 'The customer’s e-mail (any case)'),
  q('amount', { type: 'integer', minimum: 1 }, 'Amount in minor units'),
  q('currency', { type: 'string' }, 'ISO 4217 code'),
  q('method', { type: 'string', enum: [...METHOD_IDS] }, 'Payment method'),
  q(
    'status',
    { type: 'string', enum: [...new Set([...PAYMENT_STATES, ...REFUND_STATUSES])] },
    'Status (refund statuses with type=refund)',
  ),
  q(
    'type',
    { type: 'string', enum: [...OPERATION_TYPES] },
    'purchase, payout or refund; without it: purchases and payouts',
  ),
  q('created_from', { type: 'string' }, 'YYYY-MM-DD or an ISO time, inclusive'),
  q('created_to', { type: 'string' }, 'YYYY-MM-DD (the whole day) or an ISO time, exclusive'),
];

const batchType = q('type', { type: 'string', enum: ['payout', 'refund'] }, 'What the file holds');

export const CONSOLE_SCHEMAS: Json = {
  Operation: {
    description:
      'A payment view (purchase, payout) with customer_email, or a refund view with type "refund", its payment’s method and session.',
    type: 'object',
    required: ['id', 'type', 'amount', 'currency', 'status', 'created_at'],
    properties: {
      id: { type: 'string' },
      type: { type: 'string', enum: [...OPERATION_TYPES] },
      payment_id: { type: 'string', description: 'Refunds: the refunded payment' },
      customer_email: { type: 'string' },
    },
    additionalProperties: true,
  },
  OperationList: {
    type: 'object',
    required: ['data', 'next_cursor'],
    properties: {
      data: { type: 'array', items: ref('Operation') },
      next_cursor: { type: ['string', 'null'], description: 'Opaque; pass as cursor for the next page' },
    },
  },
  PaymentHistory: {
    type: 'object',
    required: ['payment', 'events', 'webhooks'],
    properties: {
      payment: ref('PaymentView'),
      events: {
        type: 'array',
        items: {
          type: 'object',
          required: ['at', 'kind', 'title'],
          properties: {
            at: { type: 'string' },
            kind: { type: 'string', enum: ['request', 'callback', 'status_check', 'status', 'refund'] },
            title: { type: 'string' },
            status: { type: 'string' },
            applied: { type: 'boolean', description: 'Whether a callback changed the payment' },
            detail: {
              type: 'object',
              description:
                'The Gate’s body with voucher numbers, security codes, account numbers and signatures masked',
            },
          },
        },
      },
      webhooks: {
        type: ['array', 'null'],
        description: 'Webhook deliveries, when the backend keeps them; null otherwise',
      },
    },
  },
  BatchCheck: {
    type: 'object',
    properties: {
      type: { type: 'string', enum: ['payout', 'refund'] },
      rows: { type: 'integer' },
      valid: {
        type: 'array',
        items: { type: 'object', properties: { line: { type: 'integer' }, summary: { type: 'string' } } },
      },
      errors: { type: 'array', items: ref('RowError') },
    },
  },
  RowError: {
    type: 'object',
    required: ['line', 'message'],
    properties: {
      line: { type: 'integer', description: 'Line of the file (the header is line 1)' },
      field: { type: 'string', description: 'The column' },
      message: { type: 'string' },
    },
  },
  Batch: {
    type: 'object',
    required: ['id', 'type', 'status', 'counts', 'errors', 'created_at'],
    properties: {
      id: { type: 'string' },
      type: { type: 'string', enum: ['payout', 'refund'] },
      file_name: { type: 'string' },
      status: { type: 'string', enum: ['running', 'done'] },
      counts: {
        type: 'object',
        properties: Object.fromEntries(
          ['rows', 'invalid', 'valid', 'queued', 'done', 'failed', 'repeated'].map((k) => [
            k,
            { type: 'integer' },
          ]),
        ),
      },
      errors: { type: 'array', items: ref('RowError') },
      rows: {
        type: 'array',
        items: {
          type: 'object',
          description:
            'line, state, method, amount, currency, account, payment_id, refund_id, status, repeated, code, message',
        },
      },
      created_at: { type: 'string' },
      updated_at: { type: 'string' },
    },
  },
};

export function consolePaths(): Json {
  return {
    '/api/merchant/payments': {
      get: {
        summary: 'Search payments, payouts and refunds, newest first, one cursor page at a time',
        security: merchant,
        parameters: [
          ...filters,
          q('limit', { type: 'integer', minimum: 1, maximum: 100 }, 'Page size (20)'),
          q('cursor', { type: 'string' }, 'next_cursor of the previous page'),
        ],
        responses: { '200': { description: 'A page', ...json('OperationList') }, ...err(400, 401) },
      },
    },
    '/api/merchant/payments/{id}/history': {
      get: {
        summary:
          'A payment’s history: our requests to the Gate, its callbacks and status answers (secrets masked), refunds, the status',
        security: merchant,
        parameters: [idParam('Payment or payout id')],
        responses: { '200': { description: 'The history', ...json('PaymentHistory') }, ...err(401, 404) },
      },
    },
    '/api/merchant/exports/payments.csv': {
      get: {
        summary:
          "The filtered list as CSV (every page, streamed); cells starting with = + - @ are prefixed with ' against formula injection",
        security: merchant,
        parameters: filters,
        responses: { '200': csv('RFC 4180 CSV, UTF-8'), ...err(400, 401) },
      },
    },
    '/api/merchant/batches': {
      post: {
        summary:
          'Upload a CSV of payouts or refunds: every row validated first, then the valid rows run, each with an idempotency key of its own',
        description: `Payout columns: ${COLUMNS.payout.required.join(', ')} (required), ${COLUMNS.payout.optional.join(', ')}. Refund columns: ${COLUMNS.refund.required.join(', ')} (required), ${COLUMNS.refund.optional.join(', ')}. Amounts in major units. A row's key is its reference, else a digest of its content: the same row uploaded again finds its first payout or refund. A malformed file, an unknown or missing column, or a repeated row is a 400 and nothing is done.`,
        security: merchant,
        parameters: [
          batchType,
          q(
            'dry_run',
            { type: 'boolean' },
            'Only validate: answer the row errors and what each valid row would do',
          ),
          q('file_name', { type: 'string' }, 'Shown in the console'),
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            schema: { type: 'string', maxLength: 255 },
            description: 'The batch key (default: the file’s SHA-256)',
          },
        ],
        requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' } } } },
        responses: {
          '200': {
            description: 'Dry run (BatchCheck), or the batch this file (or key) made before (Batch)',
            content: { 'application/json': { schema: { oneOf: [ref('BatchCheck'), ref('Batch')] } } },
          },
          '201': { description: 'The batch, running', ...json('Batch') },
          ...err(400, 401, 413, 415, 422),
        },
      },
      get: {
        summary: 'The latest 20 batches',
        security: merchant,
        responses: { '200': { description: '{data: Batch[]}' }, ...err(401) },
      },
    },
    '/api/merchant/batches/{id}': {
      get: {
        summary: 'A batch: progress, row errors, each row’s result and its payout’s or refund’s status',
        security: merchant,
        parameters: [idParam('Batch id'), q('rows', { type: 'boolean' }, 'false: counts only (for polling)')],
        responses: { '200': { description: 'The batch', ...json('Batch') }, ...err(401, 404) },
      },
    },
    '/api/merchant/batches/{id}/results.csv': {
      get: {
        summary: 'The batch’s results, one line per file row',
        security: merchant,
        parameters: [idParam('Batch id')],
        responses: { '200': csv('CSV'), ...err(401, 404) },
      },
    },
    '/api/merchant/batches/{id}/resume': {
      post: {
        summary:
          'Run again the rows a crash or a Gate outage left unfinished (their keys keep them paid once)',
        security: merchant,
        parameters: [idParam('Batch id')],
        responses: { '202': { description: 'Resumed', ...json('Batch') }, ...err(401, 404) },
      },
    },
  };
}
