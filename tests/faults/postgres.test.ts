/**
 * The PostgreSQL half of the fault suite (`npm test -- postgres`, against the throwaway server of
 * scripts/with-postgres.sh; skipped without TEST_DATABASE_URL): two backend instances, each with its own
 * pool and LISTEN connection, on one database.
 *
 * - Checkouts created through both instances while the Gate's callbacks land on either one at random,
 *   duplicated, delayed or dropped: every payment ends as the Gate's ledger says, the whole ledger agrees
 *   with the whole store both ways, and no session is charged twice.
 * - A long-poll held on one instance wakes (NOTIFY) when the callback is stored through the other, also
 *   after every LISTEN connection was killed by the server: the instances reconnect and still wake.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentView } from '../../src/core/api.ts';
import { DEMO_PROJECT_ID } from '../../src/server/config.ts';
import { NOTIFY_CHANNEL, Store } from '../../src/server/store.ts';
import { freshPostgres, POSTGRES_URL } from '../server/db.ts';
import { abortable, startStack, VOUCHER, type Stack } from '../server/helpers.ts';
import { compareLedgers, eventually, mulberry32, pool } from './support.ts';

const CHECKOUTS = 150;
const SEED = 20_261_205;
const HOUR = 3_600_000;
/** Bounds for a busy machine: far above what an idle one needs, far below a long-poll's 30 s timeout. */
const RECONNECT_MS = 60_000;
const WAKE_MS = 20_000;
const HOLD_S = 30;

const KINDS = [
  { method: 'grabpay', currency: 'PHP', amount: 10_000, fields: { email: 'juan@example.com' } },
  { method: 'advcash', currency: 'USD', amount: 2_500, fields: {} },
  { method: 'payco', currency: 'KRW', amount: 15_000, fields: {} },
  { method: 'jeton', currency: 'EUR', amount: 5_000, fields: VOUCHER },
] as const;

describe.runIf(POSTGRES_URL)('two instances on one PostgreSQL, callbacks at either one', () => {
  let db: Awaited<ReturnType<typeof freshPostgres>>;
  let storeA: Store;
  let storeB: Store;
  let a: Stack;
  let b: Stack;
  /** Where the Gate's callbacks go: to either instance at random (with chaos), or all to A. */
  const routing = { mode: 'random' as 'random' | 'a' };
  const chaos = { toA: 0, toB: 0, dropped: 0, doubled: 0 };

  beforeAll(async () => {
    db = await freshPostgres();
    storeA = await Store.open({ kind: 'postgres', url: db.url });
    storeB = await Store.open({ kind: 'postgres', url: db.url });
    const random = mulberry32(SEED);
    const deliver = async (url: string, init?: RequestInit): Promise<Response> => {
      if (routing.mode === 'a') return a.server.app.request(url, init);
      const target = random() < 0.5 ? a : b;
      if (target === a) chaos.toA++;
      else chaos.toB++;
      const roll = random();
      if (roll < 0.1) {
        // Lost on the way, though the Gate believes it delivered: only a status request recovers it.
        chaos.dropped++;
        return new Response('{"status":"ok"}', { status: 200 });
      }
      if (roll < 0.25) {
        // The other instance gets a copy at the same time.
        chaos.doubled++;
        void Promise.resolve((target === a ? b : a).server.app.request(url, { ...init, signal: null })).catch(
          () => undefined,
        );
      }
      return target.server.app.request(url, init);
    };
    a = await startStack({
      store: storeA,
      sandbox: {
        timeScale: 0.001,
        callbackRetry: { maxAttempts: 4, timeoutMs: 10_000 },
        fetch: abortable(deliver),
      },
    });
    b = await startStack({ store: storeB, sharedSandbox: a.sandbox });
    a.sandbox.setFaults({ duplicate: 1, reorder: 'final-first', reorderHoldMs: 30, seed: SEED });
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await storeB?.close();
    await storeA?.close();
    await db?.drop();
  });

  it(`${CHECKOUTS} checkouts over both instances: none lost, none charged twice`, async () => {
    const random = mulberry32(SEED + 1);
    const checkouts = await pool(16, CHECKOUTS, async (i) => {
      const kind = KINDS[i % KINDS.length] as (typeof KINDS)[number];
      const at = i % 2 === 0 ? a : b;
      const s = await at.createSession({ amount: kind.amount, currency: kind.currency });
      return {
        i,
        at,
        sessionId: s.id,
        kind,
        decide: random() < 0.7 ? ('success' as const) : ('decline' as const),
      };
    });
    // Every shopper pays through the instance that made the session; a fifth click again on the other one.
    const ids = await pool(16, CHECKOUTS, async (k) => {
      const c = checkouts[k] as (typeof checkouts)[number];
      const body = { method: c.kind.method, currency: c.kind.currency, fields: c.kind.fields };
      const first = await c.at.pay(c.sessionId, body, `pg-${c.i}`);
      expect([200, 201], JSON.stringify(first.body)).toContain(first.status);
      if (c.i % 5 === 0) {
        const again = await (c.at === a ? b : a).pay(c.sessionId, body, `pg-${c.i}`);
        expect(again.body.id).toBe(first.body.id);
      }
      return first.body.id;
    });
    await a.sandbox.idle();
    const ledger = new Map(a.sandbox.ledger().map((e) => [e.payment_id, e]));
    await pool(16, CHECKOUTS, async (k) => {
      const c = checkouts[k] as (typeof checkouts)[number];
      const id = ids[k] as string;
      if (ledger.get(id)?.state === 'awaiting_redirect')
        await a.sandbox.decide(DEMO_PROJECT_ID, id, c.decide);
    });
    await a.sandbox.idle();

    // The finals that were dropped: both instances' sweepers ask the Gate (one claim per payment).
    for (const s of [a, b]) s.clock.now += 2 * HOUR;
    for (let pass = 0; pass < 20; pass++) {
      const [da, dbn] = await Promise.all([a.server.sweep(), b.server.sweep()]);
      if (da + dbn === 0) break;
      for (const s of [a, b]) s.clock.now += HOUR;
    }

    const rows = await storeA.listPayments({ limit: 10 * CHECKOUTS });
    expect(compareLedgers(a.sandbox.ledger(), rows)).toEqual([]);
    expect(rows).toHaveLength(CHECKOUTS);
    expect(rows.every((r) => ['success', 'decline'].includes(r.status))).toBe(true);
    const expectedSuccess = checkouts.filter(
      (c) => c.kind.method === 'jeton' || c.decide === 'success',
    ).length;
    expect(rows.filter((r) => r.status === 'success')).toHaveLength(expectedSuccess);
    // Both instances stored callbacks, and the chaos happened.
    expect(a.logs.some((l) => l.includes('"msg":"callback.stored"'))).toBe(true);
    expect(b.logs.some((l) => l.includes('"msg":"callback.stored"'))).toBe(true);
    expect(chaos.dropped).toBeGreaterThan(5);
    expect(chaos.doubled).toBeGreaterThan(5);
    console.info(
      `postgres faults: callbacks to A ${chaos.toA}, to B ${chaos.toB}, dropped ${chaos.dropped}, doubled ${chaos.doubled}`,
    );
  });

  /** A long-poll on B for a payco payment waiting for the shopper; the shopper decides; the callback goes to A. */
  async function holdOnBDecideViaA(key: string): Promise<{ ms: number; view: PaymentView }> {
    routing.mode = 'a';
    const s = await b.createSession({ amount: 15_000, currency: 'KRW' });
    const created = await b.pay(s.id, { method: 'payco', currency: 'KRW' }, key);
    expect(created.status).toBe(201);
    await a.sandbox.idle();
    const waiting = await b.json<PaymentView>('GET', `/api/payments/${created.body.id}`);
    expect(waiting.body.status).toBe('awaiting_redirect');
    const held = b.json<PaymentView>(
      'GET',
      `/api/payments/${created.body.id}?wait=${HOLD_S}&version=${waiting.body.version}`,
    );
    await new Promise((r) => setTimeout(r, 200));
    const decided = performance.now();
    await a.sandbox.decide(DEMO_PROJECT_ID, created.body.id, 'success');
    const view = (await held).body;
    return { ms: performance.now() - decided, view };
  }

  it('a long-poll on B wakes when the callback is stored through A', async () => {
    const { ms, view } = await holdOnBDecideViaA('wake-1');
    expect(view.status).toBe('success');
    // Woken, not ended by its 30 s timeout.
    expect(ms).toBeLessThan(WAKE_MS);
  });

  it('after the server kills every LISTEN connection, both instances reconnect and still wake', async () => {
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      const listeners = async () =>
        (
          await admin.query<{ pid: number }>(
            `select pid from pg_stat_activity where datname = current_database() and query ilike $1`,
            [`LISTEN ${NOTIFY_CHANNEL}%`],
          )
        ).rows.map((r) => r.pid);
      const before = await listeners();
      expect(before).toHaveLength(2);
      await admin.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [before]);
      // Reconnected: two new LISTEN connections.
      await eventually(
        async () => {
          const now = await listeners();
          return now.length === 2 && now.every((p) => !before.includes(p));
        },
        RECONNECT_MS,
        200,
      );
    } finally {
      await admin.end();
    }
    const { ms, view } = await holdOnBDecideViaA('wake-2');
    expect(view.status).toBe('success');
    expect(ms).toBeLessThan(WAKE_MS);
  });
});
