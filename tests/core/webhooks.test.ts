/** The Standard Webhooks signature (src/core/webhooks.ts) against the scheme's published test vector. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signWebhook, verifyWebhook } from '../../src/core/webhooks.ts';

// The vector the Standard Webhooks and Svix reference libraries test against.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const at = VECTOR.timestamp * 1000;
const headers = (signature = VECTOR.signature, timestamp = String(VECTOR.timestamp)) => ({
  'webhook-id': VECTOR.id,
  'webhook-timestamp': timestamp,
  'webhook-signature': signature,
});

describe('Standard Webhooks signature', () => {
  it('signs the published vector exactly', async () => {
    expect(await signWebhook([VECTOR.secret], VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(
      VECTOR.signature,
    );
  });

  it('verifies the published vector (plain record, Headers, mixed case)', async () => {
    const r = await verifyWebhook(VECTOR.body, headers(), VECTOR.secret, { now: at });
    expect(r).toEqual({ ok: true, event: { test: 2432232314 } });
    const h = new Headers({ 'Webhook-Id': VECTOR.id, 'Webhook-Timestamp': String(VECTOR.timestamp) });
    h.set('Webhook-Signature', VECTOR.signature);
    expect((await verifyWebhook(VECTOR.body, h, VECTOR.secret, { now: at })).ok).toBe(true);
  });

  it('accepts any one of several signatures (a rotated secret)', async () => {
    const r = await verifyWebhook(
      VECTOR.body,
      headers(`v1,bm9wZQ== v2,xyz ${VECTOR.signature}`),
      VECTOR.secret,
      {
        now: at,
      },
    );
    expect(r.ok).toBe(true);
  });

  it('refuses a changed body, a wrong secret, a forged signature', async () => {
    const opts = { now: at };
    expect(await verifyWebhook('{"test": 2432232315}', headers(), VECTOR.secret, opts)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const other = generateWebhookSecret();
    expect((await verifyWebhook(VECTOR.body, headers(), other, opts)).ok).toBe(false);
    expect((await verifyWebhook(VECTOR.body, headers('v1,AAAA'), VECTOR.secret, opts)).ok).toBe(false);
    expect(
      (await verifyWebhook(VECTOR.body, headers('v2,' + VECTOR.signature.slice(3)), VECTOR.secret, opts)).ok,
    ).toBe(false);
    expect(await verifyWebhook(VECTOR.body, headers(), 'whsec_!!', opts)).toEqual({
      ok: false,
      reason: 'bad_secret',
    });
  });

  it('refuses stale and future timestamps (replays), and missing headers', async () => {
    expect(await verifyWebhook(VECTOR.body, headers(), VECTOR.secret, { now: at + 301_000 })).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect((await verifyWebhook(VECTOR.body, headers(), VECTOR.secret, { now: at - 301_000 })).ok).toBe(
      false,
    );
    expect((await verifyWebhook(VECTOR.body, headers(), VECTOR.secret, { now: at + 299_000 })).ok).toBe(true);
    expect(
      (
        await verifyWebhook(VECTOR.body, headers(), VECTOR.secret, {
          now: at + 3_600_000,
          toleranceSeconds: 3600,
        })
      ).ok,
    ).toBe(true);
    expect(await verifyWebhook(VECTOR.body, { 'webhook-id': VECTOR.id }, VECTOR.secret, { now: at })).toEqual(
      {
        ok: false,
        reason: 'missing_headers',
      },
    );
    expect(
      (await verifyWebhook(VECTOR.body, headers(VECTOR.signature, '1e9'), VECTOR.secret, { now: at })).ok,
    ).toBe(false);
  });

  it('agrees with node:crypto on a generated secret', async () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const body = JSON.stringify({ id: 'evt_1', type: 'payment.succeeded', data: { amount: 1 } });
    const mac = createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
      .update(`evt_1.1700000000.${body}`)
      .digest('base64');
    expect(await signWebhook([secret], 'evt_1', 1_700_000_000, body)).toBe(`v1,${mac}`);
    const signed = await signWebhook([generateWebhookSecret(), secret], 'evt_1', 1_700_000_000, body);
    expect(signed.split(' ')).toHaveLength(2);
    const r = await verifyWebhook(
      body,
      { 'webhook-id': 'evt_1', 'webhook-timestamp': '1700000000', 'webhook-signature': signed },
      secret,
      { now: 1_700_000_000_000 },
    );
    expect(r.ok && r.event.type).toBe('payment.succeeded');
  });
});
