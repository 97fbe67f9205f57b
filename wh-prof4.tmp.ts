import { Store } from './src/server/store.ts';
import { WebhookOutbox } from './src/server/webhooks/outbox.ts';
import { sql } from 'drizzle-orm';
const store = await Store.open({ kind: 'pglite', dataDir: null });
const ob = new WebhookOutbox(store);
const now = new Date();
await ob.createEndpoint({ id: 'we_1', url: 'http://x', description: null, eventTypes: ['payment.succeeded'], secret: 'whsec_AAAA', previousSecret: null, previousSecretExpiresAt: null, enabled: true, disabledReason: null, maxConcurrency: 16, failingSince: null, createdAt: now, updatedAt: now });
for (let i = 0; i < 300; i++) {
  await store.insertPayment({ id: `pay_${i}`, sessionId: null, channel: 'gate', type: 'purchase', method: 'grabpay', amount: 100, currency: 'PHP', status: 'success', version: 1, idemScope: 'x', idempotencyKey: `k${i}`, fingerprint: null, customerId: 'c', description: null, gateState: 'accepted', sendAttempts: 1, refundedAmount: 0, clarificationSent: false, createdAt: now, updatedAt: new Date(now.getTime() + i) });
}
const run = async (label: string) => {
  const c = await ob.claim(new Date(Date.now()+1000), new Date(Date.now() + 60000), 'full', 16);
  let t = performance.now();
  for (let i = 0; i < 30; i++) await ob.claim(new Date(Date.now()+1000), new Date(Date.now() + 60000), 't' + i, 16);
  console.log(label, 'claim with endpoint full', (performance.now() - t) / 30);
  for (const d of c) await ob.finish({ delivery: d, startedAt: new Date(), durationMs: 1, responseStatus: 200, responseBody: 'ok', error: null, status: 'delivered', dueAt: new Date(), now: new Date() }, new Date(0));
  t = performance.now();
  let n = 0;
  for (let i = 0; i < 10; i++) { const c2 = await ob.claim(new Date(Date.now()+1000), new Date(Date.now() + 60000), 'x' + i, 16); n += c2.length;
    for (const d of c2) await ob.finish({ delivery: d, startedAt: new Date(), durationMs: 1, responseStatus: 200, responseBody: 'ok', error: null, status: 'delivered', dueAt: new Date(), now: new Date() }, new Date(0)); }
  console.log(label, 'claim+finish per event', (performance.now() - t) / n);
};
await run('default');
await store.db.execute(sql`set plan_cache_mode = force_generic_plan`);
await run('generic');
await store.close();
