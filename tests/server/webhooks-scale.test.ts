/**
 * Webhooks with two backend instances on one database, both delivery workers running on their own timers
 * (as deployed). On PostgreSQL (TEST_DATABASE_URL) each instance has its own pool: claims with
 * `FOR NO KEY UPDATE SKIP LOCKED` must hand every event to exactly one of them. On PGlite (one process) the
 * instances share the store; the same SQL runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook, type WebhookEvent } from '../../src/core/webhooks.ts';
import { DEMO_PROJECT_ID } from '../../src/server/config.ts';
import type { Store } from '../../src/server/store/index.ts';
import { engines, type Engine } from './db.ts';
import { AUTH, startStack, type Stack } from './helpers.ts';
import { startReceiver, type Receiver } from './webhook-receiver.ts';

const PAYMENTS = 24;

for (const e of engines()) {
  describe.runIf(e.enabled)(`webhooks from two instances on one ${e.name} database`, () => {
    let engine: Engine;
    let storeA: Store;
    let storeB: Store;
    let a: Stack;
    let b: Stack;
    let receiver: Receiver;

    beforeAll(async () => {
      engine = await e.make();
      storeA = await engine.open();
      storeB = await engine.open();
      receiver = await startReceiver();
      // Real clocks and timers: both workers poll and claim on their own.
      const deps = { webhooks: { autoStart: true, config: { pollMs: 20, maxConcurrency: 4 } } };
      a = await startStack({ store: storeA, deps });
      b = await startStack({ store: storeB, sharedSandbox: a.sandbox, deps });
    }, 60_000);
    afterAll(async () => {
      await b?.close();
      await a?.close();
      await receiver?.close();
      await engine?.cleanup();
    });

    it('each event is delivered once, by one instance, in order per payment', async () => {
      if (e.name === 'postgres') expect(storeA).not.toBe(storeB);
      a.clock.now = b.clock.now = Date.now();
      const created = await a.json<{ id: string; secret: string }>(
        'POST',
        '/api/merchant/webhook-endpoints',
        { url: receiver.url, events: ['payment.succeeded', 'refund.succeeded'] },
        AUTH,
      );
      expect(created.status).toBe(201);
      // A slow receiver, so that both workers have deliveries in flight at once.
      receiver.respond = () => new Promise((r) => setTimeout(() => r(200), 5));
      const ids: string[] = [];
      for (let i = 0; i < PAYMENTS; i++) {
        const via = i % 2 === 0 ? a : b;
        const s = await via.createSession({ amount: 10_000, currency: 'KRW' });
        const r = await via.pay(s.id, { method: 'payco', currency: 'KRW' }, `k${i}`);
        expect(r.status).toBe(201);
        ids.push(r.body.id);
      }
      await a.sandbox.idle();
      for (const id of ids) await a.sandbox.decide(DEMO_PROJECT_ID, id, 'success');
      await a.sandbox.idle();
      // Refunds for a few, so that some payments have two events (succeeded, then refunded). Each is asked of
      // B, its callback recorded by the instance the sandbox calls: the refund row must be settled (one
      // refund.succeeded) whichever of its answer and its callback commits first (NOTES.md, refunds).
      const refunded = 6;
      for (const id of ids.slice(0, refunded)) {
        const r = await b.json('POST', `/api/merchant/payments/${id}/refunds`, { description: 'back' }, AUTH);
        expect(r.status).toBe(201);
      }
      await a.sandbox.idle();
      const expected = PAYMENTS + refunded;
      // Done when the outbox says every delivery is delivered (recorded after the receiver answered).
      const deadline = Date.now() + 60_000;
      for (;;) {
        const counts = await a.server.webhooks.outbox.countDeliveries();
        if ((counts.delivered ?? 0) === expected) break;
        if (Date.now() > deadline) throw new Error(`not delivered in time: ${JSON.stringify(counts)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const events = await Promise.all(
        receiver.received.map(async (r) => {
          const v = await verifyWebhook(r.body, r.headers, created.body.secret);
          if (!v.ok) throw new Error(v.reason);
          return v.event as WebhookEvent<{ id: string; payment_id?: string }>;
        }),
      );
      expect(events).toHaveLength(expected);
      expect(new Set(events.map((x) => x.id)).size).toBe(expected);
      expect(
        events
          .filter((x) => x.type === 'payment.succeeded')
          .map((x) => x.data.id)
          .sort(),
      ).toEqual([...ids].sort());
      // Per payment, the refund's event came after the payment's (received in sequence order).
      for (const id of ids.slice(0, refunded)) {
        const mine = events.filter((x) => (x.data.payment_id ?? x.data.id) === id);
        expect(mine.map((x) => x.type)).toEqual(['payment.succeeded', 'refund.succeeded']);
        expect((mine[1] as WebhookEvent).sequence).toBeGreaterThan((mine[0] as WebhookEvent).sequence);
      }
      // No claim was taken over from a live instance.
      const logs = [...a.logs, ...b.logs].filter((l) => l.includes('webhook.claim_lost'));
      expect(logs).toEqual([]);
    }, 120_000);
  });
}
