/**
 * Webhooks to the merchant, signed with the Standard Webhooks scheme (https://www.standardwebhooks.com/, the
 * scheme Svix uses), so any Standard Webhooks or Svix library verifies them:
 *
 * - headers `webhook-id` (the event id, the same on every retry), `webhook-timestamp` (Unix seconds of the
 *   attempt) and `webhook-signature`: space-separated `v1,<base64 HMAC-SHA256>` entries (more than one
 *   while a rotated secret is still valid);
 * - signed content: `<webhook-id>.<webhook-timestamp>.<raw body>`;
 * - the key: the endpoint's secret `whsec_<base64>`, base64-decoded after the prefix.
 *
 * Runs in browsers, Node 20 and edge runtimes: WebCrypto, TextEncoder, atob and btoa only.
 */

/** The event types a webhook endpoint may subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'payment.succeeded',
  'payment.declined',
  'payment.expired',
  'payment.requires_action',
  'payout.succeeded',
  'payout.declined',
  'refund.succeeded',
  'refund.declined',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The JSON body of every webhook. `data` is the payment/payout (or refund) view the merchant API returns. */
export interface WebhookEvent<T = unknown> {
  /** The event id, also sent as `webhook-id`: the same on every retry (use it to drop repeats). */
  id: string;
  type: WebhookEventType;
  /** When the change happened (ISO 8601). */
  created: string;
  /**
   * Grows with every event; events of one payment reach one endpoint in this order. A receiver that has
   * seen a higher sequence for the payment may discard a lower one.
   */
  sequence: number;
  data: T;
}

export type WebhookHeaders =
  Headers | Record<string, string | string[] | undefined> | { get(name: string): string | null };

export interface VerifyWebhookOptions {
  /** How far the timestamp may be from now, either way (default 300 s). Older ones are replays. */
  toleranceSeconds?: number;
  /** The clock, in milliseconds (default `Date.now()`). */
  now?: number;
}

export type VerifyWebhookResult<T = unknown> =
  | { ok: true; event: WebhookEvent<T> }
  | {
      ok: false;
      reason:
        | 'missing_headers'
        | 'bad_timestamp'
        | 'stale_timestamp'
        | 'bad_secret'
        | 'bad_signature'
        | 'invalid_json';
    };

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

/** The HMAC key of a `whsec_…` secret (the prefix is optional, as in the reference libraries). */
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    const bytes = base64ToBytes(secret.startsWith('whsec_') ? secret.slice(6) : secret);
    if (!bytes || bytes.length === 0)
      return Promise.reject(new TypeError('The secret is not whsec_<base64>'));
    key = globalThis.crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    // A bounded cache: a server signs for a handful of endpoints, a receiver verifies with one secret.
    if (keys.size >= 100) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

async function mac(secret: string, id: string, timestamp: string, body: string): Promise<Uint8Array> {
  const key = await hmacKey(secret);
  return new Uint8Array(
    await globalThis.crypto.subtle.sign('HMAC', key, encoder.encode(`${id}.${timestamp}.${body}`)),
  );
}

/** A new endpoint secret: `whsec_` and 24 random bytes in base64 (as Svix makes them). */
export function generateWebhookSecret(): string {
  return `whsec_${bytesToBase64(globalThis.crypto.getRandomValues(new Uint8Array(24)))}`;
}

/**
 * The `webhook-signature` header value for a body: one `v1,<base64>` per secret (the current one first, then
 * a rotated one still valid), space-separated.
 */
export async function signWebhook(
  secrets: readonly string[],
  id: string,
  timestampSeconds: number,
  body: string,
): Promise<string> {
  const ts = String(Math.floor(timestampSeconds));
  const parts = await Promise.all(
    secrets.map(async (s) => `v1,${bytesToBase64(await mac(s, id, ts, body))}`),
  );
  return parts.join(' ');
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() !== name) continue;
    const v = record[key];
    return Array.isArray(v) ? v.join(' ') : v;
  }
  return undefined;
}

/**
 * Verifies a webhook: the raw body exactly as received (not re-serialised JSON), its headers, and the
 * endpoint's `whsec_…` secret. Checks the timestamp against replay (±`toleranceSeconds`), then the
 * signatures in constant time; answers the parsed event.
 */
export async function verifyWebhook<T = unknown>(
  body: string,
  headers: WebhookHeaders,
  secret: string,
  options: VerifyWebhookOptions = {},
): Promise<VerifyWebhookResult<T>> {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signature = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signature) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const tolerance = options.toleranceSeconds ?? 300;
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) return { ok: false, reason: 'stale_timestamp' };
  let expected: Uint8Array;
  try {
    expected = await mac(secret, id, timestamp, body);
  } catch {
    return { ok: false, reason: 'bad_secret' };
  }
  let match = false;
  for (const entry of signature.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const given = base64ToBytes(entry.slice(comma + 1));
    // Every candidate is compared in full (no early return), in constant time for its length.
    if (given && constantTimeEqual(given, expected)) match = true;
  }
  if (!match) return { ok: false, reason: 'bad_signature' };
  try {
    return { ok: true, event: JSON.parse(body) as WebhookEvent<T> };
  } catch {
    return { ok: false, reason: 'invalid_json' };
  }
}

/**
 * Whether two byte strings are equal, looking at every byte whatever differs first. Written by hand because
 * WebCrypto has no timingSafeEqual (and Node's crypto module is not available here); the length of an HMAC is public.
 */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function base64ToBytes(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) return null;
  try {
    const binary = atob(text);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}
