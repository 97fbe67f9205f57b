/**
 * Webhook endpoints and a payment's webhook history, as the merchant API (and the console through it) sees
 * them. Inputs are validated with zod (400) and the URL with the webhook URL policy (422 with the reason);
 * a secret is answered only when it is made (creation, rotation).
 */
import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { generateWebhookSecret, WEBHOOK_EVENT_TYPES } from '../../core/webhooks.ts';
import { ApiError, notFound } from '../errors.ts';
import type { PaymentWebhookEvent, WebhookOutbox } from './outbox.ts';
import type { WebhookEndpointRow } from './schema.ts';
import { refuseWebhookUrl, type Resolver } from './url-policy.ts';

const events = z
  .array(z.enum(WEBHOOK_EVENT_TYPES, { error: `expected one of ${WEBHOOK_EVENT_TYPES.join(', ')}` }))
  .check(
    z.minLength(1, 'subscribe to at least one event type'),
    z.refine((xs) => new Set(xs).size === xs.length, 'an event type is listed twice'),
  );
const url = z
  .string({ error: 'expected a URL' })
  .check(z.trim(), z.minLength(1, 'required'), z.maxLength(2048));
const description = z.string().check(z.trim(), z.maxLength(200, 'at most 200 characters'));
const concurrency = z.int({ error: 'expected a whole number' }).check(z.gte(1), z.lte(64));

export const createEndpointSchema = z.strictObject({
  url,
  events,
  description: z.optional(description),
  max_concurrency: z.optional(concurrency),
  enabled: z.optional(z.boolean()),
});
export const updateEndpointSchema = z.strictObject({
  url: z.optional(url),
  events: z.optional(events),
  description: z.optional(z.nullable(description)),
  max_concurrency: z.optional(concurrency),
  enabled: z.optional(z.boolean()),
});
export const rotateSecretSchema = z.strictObject({
  /** How long the old secret keeps signing too (default 24 h; 0: at once). */
  expire_previous_in_hours: z.optional(z.number().check(z.gte(0), z.lte(168))),
});
export const resendSchema = z.strictObject({ endpoint_id: z.optional(z.string().check(z.maxLength(100))) });

export function parseInput<T>(schema: z.ZodMiniType<T>, value: unknown): T {
  const r = z.safeParse(schema, value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue?.path.map(String).join('.') ?? '';
  const message =
    issue?.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}` : issue?.message;
  throw new ApiError(
    400,
    'validation_error',
    field ? `${field}: ${message}` : (message ?? 'invalid'),
    field || undefined,
  );
}

export interface EndpointView {
  id: string;
  url: string;
  description?: string;
  events: string[];
  enabled: boolean;
  disabled_reason?: string;
  max_concurrency: number;
  failing_since?: string;
  previous_secret_expires_at?: string;
  created_at: string;
  updated_at: string;
}

export function endpointView(e: WebhookEndpointRow, now: Date): EndpointView {
  return {
    id: e.id,
    url: e.url,
    ...(e.description ? { description: e.description } : {}),
    events: [...e.eventTypes],
    enabled: e.enabled,
    ...(e.disabledReason && !e.enabled ? { disabled_reason: e.disabledReason } : {}),
    max_concurrency: e.maxConcurrency,
    ...(e.failingSince ? { failing_since: e.failingSince.toISOString() } : {}),
    ...(e.previousSecretExpiresAt && e.previousSecretExpiresAt > now
      ? { previous_secret_expires_at: e.previousSecretExpiresAt.toISOString() }
      : {}),
    created_at: e.createdAt.toISOString(),
    updated_at: e.updatedAt.toISOString(),
  };
}

/** A payment's webhook events as the merchant API answers them (the console's history). */
export function historyView(h: PaymentWebhookEvent[]) {
  return h.map(({ event, deliveries }) => ({
    id: event.id,
    type: event.type,
    sequence: event.sequence,
    created: event.createdAt.toISOString(),
    deliveries: deliveries.map((d) => ({
      id: String(d.id),
      endpoint_id: d.endpointId,
      url: d.url,
      status: d.status,
      attempts: d.attempts,
      ...(d.status === 'pending' ? { next_attempt_at: d.dueAt.toISOString() } : {}),
      ...(d.deliveredAt ? { delivered_at: d.deliveredAt.toISOString() } : {}),
      attempt_log: d.attemptLog.map((a) => ({
        attempt: a.attempt,
        at: a.startedAt.toISOString(),
        duration_ms: a.durationMs,
        ...(a.responseStatus !== null ? { response_status: a.responseStatus } : {}),
        ...(a.responseBody ? { response_body: a.responseBody } : {}),
        ...(a.error ? { error: a.error } : {}),
      })),
    })),
  }));
}

export interface WebhookServiceDeps {
  outbox: WebhookOutbox;
  production: boolean;
  devHosts: string[];
  defaultMaxConcurrency: number;
  now: () => number;
  resolve?: Resolver;
}

export class WebhookService {
  constructor(private readonly deps: WebhookServiceDeps) {}

  get outbox(): WebhookOutbox {
    return this.deps.outbox;
  }

  private async checkUrl(text: string): Promise<void> {
    const reason = await refuseWebhookUrl(text, {
      production: this.deps.production,
      devHosts: this.deps.devHosts,
      ...(this.deps.resolve ? { resolve: this.deps.resolve } : {}),
    });
    if (reason) throw new ApiError(422, 'webhook_url_refused', `url: ${reason}`, 'url');
  }

  private async endpoint(id: string): Promise<WebhookEndpointRow> {
    const e = await this.deps.outbox.getEndpoint(id);
    if (!e) throw notFound('webhook endpoint', id);
    return e;
  }

  async create(input: z.infer<typeof createEndpointSchema>): Promise<EndpointView & { secret: string }> {
    await this.checkUrl(input.url);
    const now = new Date(this.deps.now());
    const row: WebhookEndpointRow = {
      id: `we_${randomBytes(16).toString('hex')}`,
      url: input.url,
      description: input.description || null,
      eventTypes: input.events,
      secret: generateWebhookSecret(),
      previousSecret: null,
      previousSecretExpiresAt: null,
      enabled: input.enabled ?? true,
      disabledReason: null,
      maxConcurrency: input.max_concurrency ?? this.deps.defaultMaxConcurrency,
      failingSince: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.outbox.createEndpoint(row);
    return { ...endpointView(row, now), secret: row.secret };
  }

  async list(): Promise<EndpointView[]> {
    const now = new Date(this.deps.now());
    return (await this.deps.outbox.listEndpoints()).map((e) => endpointView(e, now));
  }

  async get(id: string): Promise<EndpointView> {
    return endpointView(await this.endpoint(id), new Date(this.deps.now()));
  }

  async update(id: string, input: z.infer<typeof updateEndpointSchema>): Promise<EndpointView> {
    await this.endpoint(id);
    if (input.url !== undefined) await this.checkUrl(input.url);
    const now = new Date(this.deps.now());
    const set: Partial<WebhookEndpointRow> = { updatedAt: now };
    if (input.url !== undefined) set.url = input.url;
    if (input.events !== undefined) set.eventTypes = input.events;
    if (input.description !== undefined) set.description = input.description || null;
    if (input.max_concurrency !== undefined) set.maxConcurrency = input.max_concurrency;
    if (input.enabled !== undefined) {
      set.enabled = input.enabled;
      // Enabled again (by hand): the failure clock starts over, the held deliveries go out.
      if (input.enabled) Object.assign(set, { failingSince: null, disabledReason: null });
      else set.disabledReason = 'Disabled through the API';
    }
    const row = await this.deps.outbox.updateEndpoint(id, set);
    if (!row) throw notFound('webhook endpoint', id);
    return endpointView(row, now);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.deps.outbox.deleteEndpoint(id))) throw notFound('webhook endpoint', id);
  }

  /** A new secret, answered once; the old one keeps signing too for `hours` (default 24). */
  async rotate(id: string, hours = 24): Promise<EndpointView & { secret: string }> {
    const e = await this.endpoint(id);
    const now = new Date(this.deps.now());
    const row = await this.deps.outbox.updateEndpoint(id, {
      secret: generateWebhookSecret(),
      previousSecret: hours > 0 ? e.secret : null,
      previousSecretExpiresAt: hours > 0 ? new Date(now.getTime() + hours * 3_600_000) : null,
      updatedAt: now,
    });
    if (!row) throw notFound('webhook endpoint', id);
    return { ...endpointView(row, now), secret: row.secret };
  }

  /** The webhook events of a payment (or payout) with their deliveries and attempts. */
  async paymentWebhooks(paymentId: string): Promise<ReturnType<typeof historyView>> {
    return historyView(await this.deps.outbox.paymentHistory(paymentId));
  }

  /** Queues an event again (to one endpoint, or to all it went to). */
  async resend(eventId: string, endpointId: string | null): Promise<{ event_id: string; queued: number }> {
    const event = await this.deps.outbox.getEvent(eventId);
    if (!event) throw notFound('webhook event', eventId);
    if (endpointId) await this.endpoint(endpointId);
    const queued = await this.deps.outbox.resend(event, endpointId, new Date(this.deps.now()));
    return { event_id: event.id, queued };
  }
}
