/** The webhook delivery settings, from the environment (all optional; see the README's Webhooks section). */
import { ConfigError } from '../config.ts';

export interface WebhookConfig {
  /** Run the delivery worker in this instance (WEBHOOK_DELIVERY=off: another instance delivers). */
  deliver: boolean;
  /** An attempt without an answer after this is a failure (a timeout). */
  timeoutMs: number;
  /** A failing delivery is retried until it is this old (at least 3 days by default), then given up. */
  retryForMs: number;
  /** An endpoint where every delivery failed for this long is disabled. */
  disableAfterMs: number;
  /** The first retry's delay; each next one doubles, with jitter, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Concurrent deliveries per endpoint unless the endpoint says otherwise. */
  maxConcurrency: number;
  /** Deliveries in flight per instance, over all endpoints. */
  maxInFlight: number;
  /** How often an idle worker looks for due deliveries (PostgreSQL's NOTIFY wakes it sooner). */
  pollMs: number;
}

const HOUR = 3_600_000;

export const DEFAULT_WEBHOOK_CONFIG: WebhookConfig = {
  deliver: true,
  timeoutMs: 10_000,
  retryForMs: 72 * HOUR,
  disableAfterMs: 120 * HOUR,
  baseDelayMs: 5_000,
  maxDelayMs: 12 * HOUR,
  maxConcurrency: 8,
  maxInFlight: 64,
  pollMs: 100,
};

export function loadWebhookConfig(env: Record<string, string | undefined>): WebhookConfig {
  const problems: string[] = [];
  const num = (name: string, fallback: number, min: number, max: number, scale = 1): number => {
    const v = env[name]?.trim();
    if (!v) return fallback;
    const n = Number(v);
    if (!/^\d+(\.\d+)?$/.test(v) || n < min || n > max) {
      problems.push(`${name} must be a number from ${min} to ${max} (got "${v}")`);
      return fallback;
    }
    return n * scale;
  };
  const d = DEFAULT_WEBHOOK_CONFIG;
  const deliver = env.WEBHOOK_DELIVERY?.trim().toLowerCase();
  if (deliver && !['on', 'off', 'true', 'false', '1', '0'].includes(deliver))
    problems.push(`WEBHOOK_DELIVERY must be on or off (got "${deliver}")`);
  const config: WebhookConfig = {
    deliver: !deliver || deliver === 'on' || deliver === 'true' || deliver === '1',
    timeoutMs: num('WEBHOOK_TIMEOUT_MS', d.timeoutMs, 100, 60_000),
    retryForMs: num('WEBHOOK_RETRY_HOURS', d.retryForMs / HOUR, 0.001, 24 * 30, HOUR),
    disableAfterMs: num('WEBHOOK_DISABLE_AFTER_HOURS', d.disableAfterMs / HOUR, 0.001, 24 * 60, HOUR),
    baseDelayMs: num('WEBHOOK_RETRY_BASE_MS', d.baseDelayMs, 10, HOUR),
    maxDelayMs: d.maxDelayMs,
    maxConcurrency: num('WEBHOOK_MAX_CONCURRENCY', d.maxConcurrency, 1, 64),
    maxInFlight: num('WEBHOOK_MAX_IN_FLIGHT', d.maxInFlight, 1, 1000),
    pollMs: num('WEBHOOK_POLL_MS', d.pollMs, 10, 60_000),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
