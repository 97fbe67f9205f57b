import { Store } from './src/server/store.ts';
import { WebhookOutbox, CLAIM_SQL } from './src/server/webhooks/outbox.ts';
import { sql } from 'drizzle-orm';
const store = await Store.open({ kind: 'pglite', dataDir: null });
const ob = new WebhookOutbox(store);
const now = new Date();
await ob.createEndpoint({ id: 'we_1', url: 'http://x', description: null, eventTypes: ['payment.succeeded'], secret: 'whsec_AAAA', previousSecret: null, previousSecretExpiresAt: null, enabled: true, disabledReason: null, maxConcurrency: 16, failingSince: null, createdAt: now, updatedAt: now });
const N = 1000;
for (let i = 0; i < N; i++) {
  await store.insertPayment({ id: `pay_${i}`, sessionId: null, channel: 'gate', type: 'purchase', method: 'grabpay', amount: 100, currency: 'PHP', status: 'success', version: 1, idemScope: 'x', idempotencyKey: `k${i}`, fingerprint: null, customerId: 'c', description: null, gateState: 'accepted', sendAttempts: 1, refundedAmount: 0, clarificationSent: false, createdAt: now, updatedAt: now });
}
let t = performance.now(); let tc = 0, tf = 0, n = 0;
for (let i = 0; i < 40; i++) {
  let a = performance.now();
  const c = await ob.claim(new Date(Date.now()+1000), new Date(Date.now() + 60000), 't' + i, 16); n += c.length;
  tc += performance.now() - a; a = performance.now();
  for (const d of c) await ob.finish({ delivery: d, startedAt: new Date(), durationMs: 1, responseStatus: 200, responseBody: 'ok', error: null, status: 'delivered', dueAt: new Date(), now: new Date() }, new Date(0));
  tf += performance.now() - a;
}
console.log('claim per call', tc / 40, 'finish per event', tf / n, n);
const q = CLAIM_SQL.replaceAll('$1::timestamptz', `'${new Date(Date.now()+1000).toISOString()}'::timestamptz`).replaceAll('$2::timestamptz', `'${new Date(Date.now()+60000).toISOString()}'::timestamptz`).replaceAll('$3::text', `'tok'`).replaceAll('$4::integer', '16');
const r = await store.db.execute(sql.raw('EXPLAIN (ANALYZE, BUFFERS off) ' + q));
console.log((r as any).rows.map((x: any) => x['QUERY PLAN']).filter((l: string) => /actual|Time/.test(l)).slice(0, 30).join('\n'));
await store.close();
