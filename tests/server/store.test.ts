/**
 * The store against PGlite, and against a real PostgreSQL when TEST_DATABASE_URL is set
 * (`bash scripts/with-postgres.sh npx vitest run --project unit tests/server/store.test.ts`).
 */
import { createHash } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callbacks } from '../../src/server/db/schema.ts';
import { MIGRATIONS } from '../../src/server/db/migrations.ts';
import { newId } from '../../src/server/service/index.ts';
import { splitStatements, type Store } from '../../src/server/store/index.ts';
import { parseGateMessage } from '../../src/server/service/gate-messages.ts';
import { engines, paymentRow, sessionRow, type Engine } from './db.ts';

function message(
  paymentId: string,
  status: string,
  op: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  const body = {
    project_id: 1001,
    payment: {
      id: paymentId,
      type: 'purchase',
      status,
      method: 'payco',
      sum: { amount: 10_000, currency: 'KRW' },
    },
    operation: { id: 1, type: 'sale', status, request_id: 'req-1', code: '0', message: 'Success', ...op },
    ...extra,
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

it('splits migrations into statements without comments', () => {
  const parts = splitStatements(MIGRATIONS[0]?.sql ?? '');
  expect(parts.length).toBeGreaterThan(8);
  expect(parts.every((p) => !p.includes('--'))).toBe(true);
});

for (const e of engines()) {
  describe.runIf(e.enabled)(`store on ${e.name}`, () => {
    let engine: Engine;
    let store: Store;

    beforeAll(async () => {
      engine = await e.make();
      store = await engine.open();
    }, 60_000);
    afterAll(async () => {
      await engine?.cleanup();
    });

    async function session(): Promise<string> {
      const s = sessionRow();
      await store.insertSession(s);
      return s.id;
    }

    it('migrates once; a second run and a second instance find nothing to do', async () => {
      expect(await store.migrate()).toEqual([]);
      const other = await engine.open();
      expect(await other.migrate()).toEqual([]);
      expect(await store.health()).toBe(true);
    });

    it('keeps sessions whole (jsonb, timestamps)', async () => {
      const s = sessionRow({
        customer: { id: 'c9', email: 'a@b.co', first_name: 'Ада' },
        methods: ['payco'],
      });
      await store.insertSession(s);
      const back = await store.getSession(s.id);
      expect(back).toEqual(s);
      expect(await store.getSession('nope')).toBeNull();
    });

    it('one payment per idempotency key, even with twenty concurrent inserts', async () => {
      const sid = await session();
      const rows = Array.from({ length: 20 }, () => paymentRow(sid, { idempotencyKey: 'same-key' }));
      const results = await Promise.all(rows.map((r) => store.insertPayment(r)));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      const found = await store.findByIdempotencyKey(sid, 'same-key');
      expect(found?.id).toBe(results.find((r) => r !== null)?.id);
    });

    it('one active payment per session whatever the keys; a declined one frees the slot', async () => {
      const sid = await session();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.insertPayment(paymentRow(sid, { idempotencyKey: `k${i}` })),
        ),
      );
      const winners = results.filter((r) => r !== null);
      expect(winners).toHaveLength(1);
      const first = winners[0]!;
      expect((await store.findSlotPayment(sid))?.id).toBe(first.id);
      await store.mutatePayment(first.id, new Date(), () => ({
        changes: { status: 'decline' },
        visible: true,
      }));
      expect(await store.findSlotPayment(sid)).toBeNull();
      const second = await store.insertPayment(paymentRow(sid, { idempotencyKey: 'k-next' }));
      expect(second).not.toBeNull();
      // Payouts and Payment Page payments never take a session's slot.
      expect(
        await store.insertPayment(paymentRow(sid, { channel: 'payment_page', idemScope: `pp:${sid}` })),
      ).not.toBeNull();
    });

    it('stores a callback once: ten concurrent copies change the payment once', async () => {
      const sid = await session();
      const p = (await store.insertPayment(paymentRow(sid)))!;
      const m = message(p.id, 'success');
      const results = await Promise.all(Array.from({ length: 10 }, () => store.recordGateMessage(m)));
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      const after = await store.getPayment(p.id);
      expect(after).toMatchObject({
        status: 'success',
        version: 2,
        code: '0',
        gateState: 'accepted',
        requestId: 'req-1',
      });
      expect(await store.countCallbacks(p.id)).toBe(1);
    });

    it('ends in one state whatever the order of callbacks', async () => {
      const sid = await session();
      const p = (await store.insertPayment(paymentRow(sid)))!;
      const redirect = message(
        p.id,
        'awaiting redirect result',
        { code: '9999' },
        {
          redirect_data: { url: 'https://pay.example/x', method: 'GET', body: {} },
        },
      );
      await store.recordGateMessage(message(p.id, 'decline', { code: '100', message: 'General decline' }));
      const late = await store.recordGateMessage(redirect);
      expect(late).toMatchObject({ duplicate: false, applied: false });
      expect(await store.getPayment(p.id)).toMatchObject({
        status: 'decline',
        code: '100',
        redirect: null,
        version: 2,
      });
    });

    // A callback is one statement after one read (`recordGateMessageFast`); these go through that path and
    // through the locked transaction it falls back to.
    it('stores every callback once, applies only forward moves, and records which ones applied', async () => {
      const sid = await session();
      const p = (await store.insertPayment(paymentRow(sid)))!;
      const redirect = message(
        p.id,
        'awaiting redirect result',
        { code: '9999' },
        { redirect_data: { url: 'https://pay.example/r', method: 'GET', body: {} } },
      );
      const success = message(p.id, 'success');
      const first = await store.recordGateMessage(redirect);
      expect(first).toMatchObject({ duplicate: false, applied: true });
      expect(first.payment).toEqual(await store.getPayment(p.id));
      const final = await store.recordGateMessage(success);
      expect(final).toMatchObject({ duplicate: false, applied: true });
      expect(final.payment).toEqual(await store.getPayment(p.id));
      // The same bodies again: repeats. The redirect with another body (a re-delivery with a new
      // operation id): stored, but it cannot move a success back.
      expect(await store.recordGateMessage(success)).toMatchObject({ duplicate: true, applied: false });
      expect(await store.recordGateMessage(redirect)).toMatchObject({ duplicate: true, applied: false });
      const late = await store.recordGateMessage(
        message(
          p.id,
          'awaiting redirect result',
          { id: 2, code: '9999' },
          { redirect_data: { url: 'https://pay.example/r2', method: 'GET', body: {} } },
        ),
      );
      expect(late).toMatchObject({ duplicate: false, applied: false });
      const after = await store.getPayment(p.id);
      expect(after).toMatchObject({
        status: 'success',
        version: 3,
        code: '0',
        message: 'Success',
        gateState: 'accepted',
        requestId: 'req-1',
        redirect: { url: 'https://pay.example/r', method: 'GET', body: {} },
      });
      expect(after?.lastCallbackAt).toBeInstanceOf(Date);
      const stored = await store.db
        .select({ applied: callbacks.applied, status: callbacks.paymentStatus, raw: callbacks.rawBody })
        .from(callbacks)
        .where(eq(callbacks.paymentId, p.id))
        .orderBy(asc(callbacks.id));
      expect(stored.map((c) => [c.status, c.applied])).toEqual([
        ['awaiting redirect result', true],
        ['success', true],
        ['awaiting redirect result', false],
      ]);
      expect(stored[0]?.raw).toBe(redirect.rawBody);
    });

    it('ends alike when the callbacks come the other way round', async () => {
      const sid = await session();
      const p = (await store.insertPayment(paymentRow(sid)))!;
      await store.recordGateMessage(message(p.id, 'success'));
      const late = await store.recordGateMessage(
        message(
          p.id,
          'awaiting redirect result',
          { code: '9999' },
          { redirect_data: { url: 'https://pay.example/r', method: 'GET', body: {} } },
        ),
      );
      expect(late).toMatchObject({ duplicate: false, applied: false });
      expect(late.payment).toEqual(await store.getPayment(p.id));
      expect(await store.getPayment(p.id)).toMatchObject({ status: 'success', version: 2, redirect: null });
    });

    it('applies a callback computed from a row that changed since (the locked path takes over)', async () => {
      const sid = await session();
      const p = (await store.insertPayment(paymentRow(sid)))!;
      const stale = (await store.getPayment(p.id))!;
      await store.mutatePayment(p.id, new Date(), () => ({
        changes: { status: 'processing' },
        visible: true,
      }));
      // The read the one-statement path starts from answers the old row once: its statement must write
      // nothing, and the transaction after it must apply the callback to the row as it is.
      const spy = vi.spyOn(store, 'getPayment').mockResolvedValueOnce(stale);
      try {
        const r = await store.recordGateMessage(message(p.id, 'decline', { code: '100', message: 'No' }));
        expect(r).toMatchObject({ duplicate: false, applied: true });
      } finally {
        spy.mockRestore();
      }
      expect(await store.getPayment(p.id)).toMatchObject({ status: 'decline', version: 3, code: '100' });
      expect(await store.countCallbacks(p.id)).toBe(1);
    });

    it('stores callbacks for payments it does not know, once', async () => {
      const m = message('pay_unknown_' + newId('x'), 'success');
      expect(await store.recordGateMessage(m)).toEqual({ duplicate: false, applied: false, payment: null });
      expect(await store.recordGateMessage(m)).toEqual({ duplicate: true, applied: false, payment: null });
      expect(await store.countCallbacks(m.update.paymentId)).toBe(1);
    });

    it('keeps working after a hot statement fails', async () => {
      const sid = await session();
      await expect(store.insertPayment(paymentRow(sid, { amount: 0 }))).rejects.toThrow();
      const p = await store.insertPayment(paymentRow(sid));
      expect(p).toEqual(await store.getPayment(p!.id));
      expect(await store.markAccepted(p!.id, 'req-9', p!)).toEqual(await store.getPayment(p!.id));
    });

    it('answers the row as it is when it changed before the acceptance was recorded', async () => {
      const sid = await session();
      const p = (await store.insertPayment(paymentRow(sid)))!;
      await store.recordGateMessage(
        message(
          p.id,
          'awaiting redirect result',
          { code: '9999' },
          { redirect_data: { url: 'https://pay.example/r', method: 'GET', body: {} } },
        ),
      );
      const accepted = await store.markAccepted(p.id, 'req-2', p);
      expect(accepted).toEqual(await store.getPayment(p.id));
      expect(accepted).toMatchObject({ status: 'awaiting_redirect', requestId: 'req-1', sendingSince: null });
    });

    it('wakes subscribers after commit (across instances on PostgreSQL)', async () => {
      const other = await engine.open();
      const sid = await session();
      const p = (await store.insertPayment(paymentRow(sid)))!;
      const woken = new Promise<number>((resolve) => {
        const started = Date.now();
        const off = other.subscribe(p.id, () => {
          off();
          resolve(Date.now() - started);
        });
      });
      await store.recordGateMessage(message(p.id, 'processing'));
      const ms = await woken;
      expect(ms).toBeLessThan(3000);
      expect((await other.getPayment(p.id))?.status).toBe('processing');
    });

    it('lets one caller claim a re-send and one a status check', async () => {
      const sid = await session();
      const p = (await store.insertPayment(paymentRow(sid, { gateState: 'retryable', sendingSince: null })))!;
      const now = new Date();
      const claims = await Promise.all(
        Array.from({ length: 8 }, () => store.claimSend(p.id, now, new Date(now.getTime() - 1000))),
      );
      const won = claims.filter((c) => c !== null);
      expect(won).toHaveLength(1);
      expect(won[0]).toMatchObject({ gateState: 'pending', sendAttempts: 2 });
      const checks = await Promise.all(
        Array.from({ length: 8 }, () => store.claimStatusCheck(p.id, now, now)),
      );
      expect(checks.filter(Boolean)).toHaveLength(1);
    });

    it('reserves refunds under the row lock: concurrent refunds never exceed the amount', async () => {
      const sid = await session();
      const p = (await store.insertPayment(paymentRow(sid, { status: 'success', gateState: 'accepted' })))!;
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          store.createRefund({
            id: newId('ref'),
            paymentId: p.id,
            amount: 4000,
            description: 'r',
            idempotencyKey: null,
            now: new Date(),
          }),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(2);
      const refused = results.find((r) => !r.ok);
      expect(refused).toMatchObject({ ok: false, code: 'exceeds_remaining', remaining: 2000 });
      // A full refund takes what is left.
      const full = await store.createRefund({
        id: newId('ref'),
        paymentId: p.id,
        amount: undefined,
        description: 'rest',
        idempotencyKey: 'k',
        now: new Date(),
      });
      expect(full).toMatchObject({ ok: true, refund: { amount: 2000, full: false } });
      const again = await store.createRefund({
        id: newId('ref'),
        paymentId: p.id,
        amount: undefined,
        description: 'rest',
        idempotencyKey: 'k',
        now: new Date(),
      });
      expect(again).toMatchObject({ ok: true, created: false });
    });

    it('matches refund callbacks by request_id, or by amount when the answer has not come yet', async () => {
      const sid = await session();
      const p = (await store.insertPayment(
        paymentRow(sid, { status: 'success', gateState: 'accepted', requestId: 'sale-req' }),
      ))!;
      const a = await store.createRefund({
        id: newId('ref'),
        paymentId: p.id,
        amount: 3000,
        description: 'a',
        idempotencyKey: null,
        now: new Date(),
      });
      const b = await store.createRefund({
        id: newId('ref'),
        paymentId: p.id,
        amount: 7000,
        description: 'b',
        idempotencyKey: null,
        now: new Date(),
      });
      if (!a.ok || !b.ok) throw new Error('refunds refused');
      await store.refundSent(a.refund.id, new Date(), { status: 'pending', requestId: 'ref-req-a' });
      // b's callback comes before its synchronous answer.
      await store.recordGateMessage(
        message(p.id, 'refunded', {
          type: 'refund',
          status: 'success',
          request_id: 'ref-req-b',
          sum_initial: { amount: 7000, currency: 'KRW' },
        }),
      );
      await store.refundSent(b.refund.id, new Date(), { status: 'pending', requestId: 'ref-req-b' });
      await store.recordGateMessage(
        message(p.id, 'partially refunded', {
          type: 'refund',
          status: 'success',
          request_id: 'ref-req-a',
          sum_initial: { amount: 3000, currency: 'KRW' },
        }),
      );
      const refunds = await store.listRefunds(p.id);
      expect(refunds.map((r) => [r.amount, r.status, r.requestId])).toEqual([
        [3000, 'success', 'ref-req-a'],
        [7000, 'success', 'ref-req-b'],
      ]);
      // Reordered refund callbacks: the fuller state wins; the amount adds up.
      expect(await store.getPayment(p.id)).toMatchObject({
        status: 'refunded',
        refundedAmount: 10_000,
        requestId: 'sale-req',
      });
    });

    it('pages through payments newest first with a cursor', async () => {
      const sid = await session();
      const base = Date.now() + 86_400_000;
      for (let i = 0; i < 5; i++) {
        await store.insertPayment(
          paymentRow(sid, {
            channel: 'payment_page',
            idemScope: `pp:${sid}`,
            createdAt: new Date(base + i * 1000),
          }),
        );
      }
      const first = await store.listPayments({ limit: 3, sessionId: sid });
      expect(first).toHaveLength(3);
      const last = first[2]!;
      const rest = await store.listPayments({
        limit: 3,
        sessionId: sid,
        cursor: { createdAt: last.createdAt, id: last.id },
      });
      expect(rest).toHaveLength(2);
      const all = [...first, ...rest].map((p) => p.createdAt.getTime());
      expect(all).toEqual([...all].sort((x, y) => y - x));
    });
  });
}
