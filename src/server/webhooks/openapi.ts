/**
 * The webhook parts of the OpenAPI document (src/server/openapi.ts merges them): the endpoint routes, the
 * payment's webhook history and resend, and — in OpenAPI 3.1's top-level `webhooks` — the requests the
 * backend sends to the merchant, with their signature headers.
 */
import * as z from 'zod/mini';
import { WEBHOOK_EVENT_TYPES } from '../../core/webhooks.ts';
import { createEndpointSchema, resendSchema, rotateSecretSchema, updateEndpointSchema } from './service.ts';

type JsonSchema = Record<string, unknown>;

const input = (s: z.ZodMiniType): JsonSchema => {
  const out = z.toJSONSchema(s, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as JsonSchema;
  delete out.$schema;
  return out;
};
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ content: { 'application/json': { schema: ref(name) } } });
const error = (description: string) => ({ description, ...json('Error') });
const merchant = [{ merchantApiKey: [] }];
const id = (description: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description,
});

const SIGNATURE_TEXT =
  'Signed with the Standard Webhooks scheme (as Svix): `webhook-signature: v1,<base64 HMAC-SHA256>` of ' +
  '`<webhook-id>.<webhook-timestamp>.<raw body>`, keyed with the base64 after `whsec_` in the endpoint secret ' +
  '(several space-separated signatures while a rotated secret is valid). Verify with `verifyWebhook` from ' +
  '`ecommpay-checkout/core` or any Standard Webhooks library; reject timestamps more than 5 minutes off. ' +
  'Delivered at least once (drop repeats by `webhook-id`); answer 2xx within 10 s. Other answers, and no ' +
  'answer, are retried with exponential backoff for at least 3 days; events of one payment arrive in ' +
  '`sequence` order.';

export function webhookSchemas(): Record<string, JsonSchema> {
  const endpoint = {
    type: 'object',
    required: ['id', 'url', 'events', 'enabled', 'max_concurrency', 'created_at', 'updated_at'],
    properties: {
      id: { type: 'string' },
      url: { type: 'string' },
      description: { type: 'string' },
      events: { type: 'array', items: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES] } },
      enabled: { type: 'boolean' },
      disabled_reason: { type: 'string' },
      max_concurrency: { type: 'integer' },
      failing_since: { type: 'string' },
      previous_secret_expires_at: { type: 'string' },
      created_at: { type: 'string' },
      updated_at: { type: 'string' },
    },
  };
  return {
    CreateWebhookEndpoint: input(createEndpointSchema),
    UpdateWebhookEndpoint: input(updateEndpointSchema),
    RotateWebhookSecret: input(rotateSecretSchema),
    ResendWebhook: input(resendSchema),
    WebhookEndpoint: endpoint,
    WebhookEndpointWithSecret: {
      allOf: [
        ref('WebhookEndpoint'),
        {
          type: 'object',
          required: ['secret'],
          properties: {
            secret: { type: 'string', description: 'whsec_<base64>; shown only in this answer' },
          },
        },
      ],
    },
    WebhookEndpointList: {
      type: 'object',
      properties: { data: { type: 'array', items: ref('WebhookEndpoint') } },
    },
    WebhookEvent: {
      type: 'object',
      required: ['id', 'type', 'created', 'sequence', 'data'],
      properties: {
        id: { type: 'string', description: 'The event id, also the webhook-id header' },
        type: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES] },
        created: { type: 'string', description: 'When the status changed (ISO 8601)' },
        sequence: { type: 'integer', description: 'Grows per event; per payment, delivered in this order' },
        data: {
          description: 'payment.* and payout.*: the PaymentView; refund.*: the Refund',
          oneOf: [ref('PaymentView'), ref('Refund')],
        },
      },
    },
    PaymentWebhooks: {
      type: 'object',
      properties: {
        data: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              type: { type: 'string' },
              sequence: { type: 'integer' },
              created: { type: 'string' },
              deliveries: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    endpoint_id: { type: 'string' },
                    url: { type: ['string', 'null'] },
                    status: { type: 'string', enum: ['pending', 'delivering', 'delivered', 'failed'] },
                    attempts: { type: 'integer' },
                    next_attempt_at: { type: 'string' },
                    delivered_at: { type: 'string' },
                    attempt_log: {
                      type: 'array',
                      items: {
                        type: 'object',
                        properties: {
                          attempt: { type: 'integer' },
                          at: { type: 'string' },
                          duration_ms: { type: 'integer' },
                          response_status: { type: 'integer' },
                          response_body: { type: 'string', description: 'The first 1,000 characters' },
                          error: { type: 'string' },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}

export function webhookPaths(): Record<string, JsonSchema> {
  const base = '/api/merchant/webhook-endpoints';
  return {
    [base]: {
      post: {
        summary: 'Register a webhook endpoint; the answer holds its secret (shown once)',
        description: 'In production the URL must be https and resolve to public addresses only.',
        security: merchant,
        requestBody: { required: true, ...json('CreateWebhookEndpoint') },
        responses: {
          '201': { description: 'Created', ...json('WebhookEndpointWithSecret') },
          '400': error('Invalid input'),
          '401': error('Missing or wrong API key'),
          '422': error('webhook_url_refused: the URL is not allowed (the reason is in the message)'),
        },
      },
      get: {
        summary: 'List webhook endpoints (without secrets)',
        security: merchant,
        responses: { '200': { description: 'Endpoints', ...json('WebhookEndpointList') } },
      },
    },
    [`${base}/{id}`]: {
      get: {
        summary: 'One webhook endpoint',
        security: merchant,
        parameters: [id('Endpoint id')],
        responses: {
          '200': { description: 'The endpoint', ...json('WebhookEndpoint') },
          '404': error('Not found'),
        },
      },
      patch: {
        summary: 'Change URL, events, concurrency; enable (again) or disable',
        security: merchant,
        parameters: [id('Endpoint id')],
        requestBody: { required: true, ...json('UpdateWebhookEndpoint') },
        responses: {
          '200': { description: 'Updated', ...json('WebhookEndpoint') },
          '400': error('Invalid input'),
          '404': error('Not found'),
          '422': error('webhook_url_refused'),
        },
      },
      delete: {
        summary: 'Delete an endpoint and its pending deliveries',
        security: merchant,
        parameters: [id('Endpoint id')],
        responses: { '204': { description: 'Deleted' }, '404': error('Not found') },
      },
    },
    [`${base}/{id}/rotate-secret`]: {
      post: {
        summary: 'A new secret (shown once); the old one keeps signing too for expire_previous_in_hours (24)',
        security: merchant,
        parameters: [id('Endpoint id')],
        requestBody: { required: false, ...json('RotateWebhookSecret') },
        responses: {
          '200': { description: 'Rotated', ...json('WebhookEndpointWithSecret') },
          '404': error('Not found'),
        },
      },
    },
    '/api/merchant/payments/{id}/webhooks': {
      get: {
        summary: "A payment's (or payout's) webhook events, with each delivery's attempts and answers",
        security: merchant,
        parameters: [id('Payment id')],
        responses: {
          '200': { description: 'History', ...json('PaymentWebhooks') },
          '404': error('Not found'),
        },
      },
    },
    '/api/merchant/webhook-events/{id}/resend': {
      post: {
        summary: 'Send an event again: to one endpoint (endpoint_id) or to every endpoint it went to',
        security: merchant,
        parameters: [id('Event id (evt_…)')],
        requestBody: { required: false, ...json('ResendWebhook') },
        responses: { '202': { description: 'Queued: {event_id, queued}' }, '404': error('Not found') },
      },
    },
  };
}

/** OpenAPI 3.1 `webhooks`: what the backend POSTs to a merchant's endpoint. */
export function webhookRequests(): Record<string, JsonSchema> {
  const header = (name: string, description: string) => ({
    name,
    in: 'header',
    required: true,
    schema: { type: 'string' },
    description,
  });
  const operation = (type: string) => ({
    post: {
      summary: type,
      description: SIGNATURE_TEXT,
      parameters: [
        header('webhook-id', 'The event id (the same on every retry)'),
        header('webhook-timestamp', 'Unix seconds of this attempt'),
        header('webhook-signature', 'v1,<base64 HMAC-SHA256>, space-separated'),
      ],
      requestBody: { required: true, ...json('WebhookEvent') },
      responses: { '200': { description: 'Any 2xx: delivered' } },
    },
  });
  return Object.fromEntries(WEBHOOK_EVENT_TYPES.map((t) => [t, operation(t)]));
}
