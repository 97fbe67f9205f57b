/**
 * A refund's callback against its synchronous answer (`refundSent`), in every order, on PGlite and (when
 * TEST_DATABASE_URL is set) on PostgreSQL with two store instances, as two backends behind one database.
 * The PostgreSQL case also forces the interleaving that left a refund `pending` (NOTES.md): the answer
 * committing while the callback's transaction is between its two lookups (by request_id, then without one).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/server/service/index.ts';
import { parseGateMessage } from '../../src/server/service/gate-messages.ts';
import { Store } from '../../src/server/store/index.ts';
import { freshPostgres, paymentRow, POSTGRES_URL, sessionRow } from './db.ts';
import { newPgliteStore } from './helpers.ts';

function refundCallback(paymentId: string, requestId: string, amount?: number) {
  const body = {
    project_id: 1001,
    payment: { id: paymentId, type: 'purchase', status: 'refunded', method: 'payco' },
    operation: {
      id: 2,
      type: 'refund',
      status: 'success',
      request_id: requestId,
      code: '0',
      message: 'Success',
      ...(amount === undefined ? {} : { sum_initial: { amount, currency: 'KRW' } }),
    },
  };
  const raw = JSON.stringify(body);
  return {
    rawBody: raw,
    dedupKey: createHash('sha256').update(raw).digest('hex'),
    source: 'callback' as const,
    update: parseGateMessage(body),
    now: new Date(),
    newRefundId: () => newId('ref'),
  };
}

async function paidWithRefund(store: Store, amount?: number) {
  const s = sessionRow();
  await store.insertSession(s);
  const p = (await store.insertPayment(paymentRow(s.id, { status: 'success', gateState: 'accepted' })))!;
  const r = await store.createRefund({
    id: newId('ref'),
    paymentId: p.id,
    amount,
    description: 'back',
    idempotencyKey: null,
    now: new Date(),
  });
  if (!r.ok) throw new Error('refund refused');
  return { paymentId: p.id, refundId: r.refund.id };
}

/** One refund, settled once, the amount added up, whatever the order. */
async function expectSettled(store: Store, paymentId: string, refundId: string, requestId: string) {
  const rows = await store.listRefunds(paymentId);
  expect(rows.map((r) => [r.id, r.status, r.requestId])).toEqual([[refundId, 'success', requestId]]);
  expect(await store.getPayment(paymentId)).toMatchObject({ status: 'refunded', refundedAmount: 10_000 });
}

const setups = [
  {
    name: 'pglite',
    enabled: true,
    open: async () => {
      const s = await newPgliteStore();
      return { a: s, b: s, url: null as string | null, close: () => s.close() };
    },
  },
  {
    name: 'postgres',
    enabled: Boolean(POSTGRES_URL),
    open: async () => {
      const db = await freshPostgres();
      const a = await Store.open({ kind: 'postgres', url: db.url });
      const b = await Store.open({ kind: 'postgres', url: db.url });
      return {
        a,
        b,
        url: db.url as string | null,
        close: async () => {
          await a.close();
          await b.close();
          await db.drop();
        },
      };
    },
  },
];

for (const e of setups) {
  describe.runIf(e.enabled)(`a refund's callback and its answer on ${e.name}`, () => {
    let env: Awaited<ReturnType<(typeof setups)[number]['open']>>;
    beforeAll(async () => {
      env = await e.open();
    }, 60_000);
    afterAll(async () => {
      await env?.close();
    });

    for (const amount of [undefined, 10_000]) {
      const kind = amount === undefined ? 'full (no amount in the callback)' : 'with its amount';
      it(`callback before the answer, ${kind}`, async () => {
        const { paymentId, refundId } = await paidWithRefund(env.a, amount);
        await env.b.recordGateMessage(refundCallback(paymentId, `rq-${refundId}`, amount));
        await env.a.refundSent(refundId, new Date(), { status: 'pending', requestId: `rq-${refundId}` });
        await expectSettled(env.a, paymentId, refundId, `rq-${refundId}`);
      });

      it(`answer before the callback, ${kind}`, async () => {
        const { paymentId, refundId } = await paidWithRefund(env.a, amount);
        await env.a.refundSent(refundId, new Date(), { status: 'pending', requestId: `rq-${refundId}` });
        await env.b.recordGateMessage(refundCallback(paymentId, `rq-${refundId}`, amount));
        await expectSettled(env.a, paymentId, refundId, `rq-${refundId}`);
      });

      it(`answer and callback at once, ${kind}`, async () => {
        const { paymentId, refundId } = await paidWithRefund(env.a, amount);
        await Promise.all([
          env.a.refundSent(refundId, new Date(), { status: 'pending', requestId: `rq-${refundId}` }),
          env.b.recordGateMessage(refundCallback(paymentId, `rq-${refundId}`, amount)),
        ]);
        await expectSettled(env.a, paymentId, refundId, `rq-${refundId}`);
      });
    }

    it.runIf(e.name === 'postgres')(
      'the answer commits while the callback is between its lookups: still one refund settled',
      async () => {
        const { paymentId, refundId } = await paidWithRefund(env.a);
        const requestId = `rq-${refundId}`;
        // A third session holds the refund's row, so that the answer (A) and the callback (B) both wait.
        const holder = new pg.Client({ connectionString: env.url as string });
        await holder.connect();
        try {
          await holder.query('BEGIN');
          await holder.query('SELECT id FROM refunds WHERE id = $1 FOR UPDATE', [refundId]);
          const waiting = async (n: number) => {
            for (let i = 0; i < 1000; i++) {
              const r = await holder.query(
                `SELECT count(*)::int AS n FROM pg_stat_activity
                 WHERE datname = current_database() AND wait_event_type = 'Lock'`,
              );
              if (r.rows[0].n >= n) return;
              await new Promise((res) => setTimeout(res, 10));
            }
            throw new Error(`fewer than ${n} sessions waiting for a lock`);
          };
          const sent = env.a.refundSent(refundId, new Date(), { status: 'pending', requestId });
          await waiting(1);
          // Before the fix: B found no refund under request_id (A's write is not committed), then waited
          // for the row under "request_id IS NULL", which A's commit made false — no match, and the
          // "refund made elsewhere" insert hit A's request_id: the refund stayed `pending`.
          const called = env.b.recordGateMessage(refundCallback(paymentId, requestId));
          await waiting(2);
          await holder.query('COMMIT');
          await Promise.all([sent, called]);
        } finally {
          await holder.end();
        }
        await expectSettled(env.a, paymentId, refundId, requestId);
      },
      30_000,
    );
  });
}
