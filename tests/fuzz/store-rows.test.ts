/**
 * The store's rows, property-based: what `insertPayment`, `mutatePayment` and `recordGateMessage` answer is
 * exactly what a later read of the row gives (the store completes written rows in memory instead of reading
 * them back, and PGlite gets drizzle's result parsers once instead of with every query). Random payments —
 * unicode text, jsonb with odd keys, big amounts, dates with milliseconds — on PGlite, and on PostgreSQL when
 * TEST_DATABASE_URL is set.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAYMENT_STATES, type PaymentState } from '../../src/core/status.ts';
import type { PaymentRow } from '../../src/server/db/schema.ts';
import { newId } from '../../src/server/service/index.ts';
import type { Store } from '../../src/server/store/index.ts';
import { parseGateMessage } from '../../src/server/service/gate-messages.ts';
import { engines, paymentRow, sessionRow, type Engine } from '../server/db.ts';

const text = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replaceAll('\u0000', ''));
const date = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2100-01-01T00:00:00Z'),
  noInvalidDate: true,
});
const state = fc.constantFrom(...PAYMENT_STATES);
// Plain objects, as JSON.parse and the callback parser make them (drizzle cannot write null-prototype ones).
const redirect = fc.record(
  {
    url: fc.webUrl(),
    method: fc.constantFrom('GET', 'POST'),
    body: fc.dictionary(text, fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null)), {
      maxKeys: 4,
      noNullPrototype: true,
    }),
  },
  { noNullPrototype: true },
);

/** A patch over the columns `mutatePayment` callers change. */
const patch = fc.record(
  {
    status: state,
    requestId: fc.option(text, { nil: null }),
    redirect: fc.option(redirect, { nil: null }),
    clarificationFields: fc.option(
      fc.dictionary(text, fc.array(text, { maxLength: 3 }), { maxKeys: 3, noNullPrototype: true }),
    ),
    code: fc.option(text, { nil: null }),
    message: fc.option(text, { nil: null }),
    gateState: fc.constantFrom('pending', 'accepted', 'retryable', 'rejected' as const),
    sendingSince: fc.option(date, { nil: null }),
    refundedAmount: fc.nat({ max: 2 ** 40 }),
    clarificationSent: fc.boolean(),
  },
  { requiredKeys: [] },
);

for (const e of engines()) {
  describe.runIf(e.enabled)(`rows the store answers equal the rows it stored (${e.name})`, () => {
    let engine: Engine;
    let store: Store;
    let sessionId: string;

    beforeAll(async () => {
      engine = await e.make();
      store = await engine.open();
      const s = sessionRow();
      await store.insertSession(s);
      sessionId = s.id;
    }, 60_000);
    afterAll(async () => {
      await engine?.cleanup();
    });

    it('insertPayment', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            amount: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
            description: fc.option(text, { nil: null }),
            customerId: text,
            idempotencyKey: fc.option(text, { nil: null }),
            createdAt: date,
            sendingSince: fc.option(date, { nil: undefined }),
            withSession: fc.boolean(),
          }),
          async (r) => {
            const row = paymentRow(r.withSession ? sessionId : null, {
              amount: r.amount,
              description: r.description,
              customerId: r.customerId,
              idempotencyKey: r.idempotencyKey,
              idemScope: newId('scope'),
              // A purchase outside the one-active-per-session index: every row here is inserted.
              status: 'decline',
              createdAt: r.createdAt,
              updatedAt: r.createdAt,
              sendingSince: r.sendingSince,
            });
            const inserted = await store.insertPayment(row);
            expect(inserted).not.toBeNull();
            expect(inserted).toEqual(await store.getPayment(row.id));
          },
        ),
        { numRuns: 60 },
      );
    });

    it('mutatePayment', async () => {
      await fc.assert(
        fc.asyncProperty(patch, fc.boolean(), date, async (changes, visible, now) => {
          const row = paymentRow(null, { idemScope: newId('scope') });
          await store.insertPayment(row);
          const before = (await store.getPayment(row.id)) as PaymentRow;
          const answered = await store.mutatePayment(row.id, now, () => ({ changes, visible }));
          const after = await store.getPayment(row.id);
          expect(answered).toEqual(after);
          expect(after?.version).toBe(before.version + (visible ? 1 : 0));
          if (visible) expect(after?.updatedAt).toEqual(now);
        }),
        { numRuns: 60 },
      );
    });

    it('markAccepted', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('pending', 'accepted', 'retryable', 'rejected' as const),
          fc.option(text, { nil: null }),
          fc.option(text, { nil: null }),
          async (gateState, before, answered) => {
            const row = paymentRow(null, { idemScope: newId('scope'), gateState, requestId: before });
            await store.insertPayment(row);
            const result = await store.markAccepted(row.id, answered);
            const after = await store.getPayment(row.id);
            expect(result).toEqual(after);
            expect(after).toMatchObject({
              gateState: gateState === 'rejected' ? 'rejected' : 'accepted',
              requestId: before ?? (answered || null),
              sendingSince: null,
              version: row.version,
            });
          },
        ),
        { numRuns: 60 },
      );
    });

    it('recordGateMessage, repeated and in any order', async () => {
      const statuses = [
        'awaiting redirect result',
        'processing',
        'success',
        'decline',
        'awaiting clarification',
      ];
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.constantFrom(...statuses), { minLength: 1, maxLength: 6 }),
          text,
          async (sequence, note) => {
            const row = paymentRow(null, { idemScope: newId('scope'), method: 'grabpay', currency: 'PHP' });
            await store.insertPayment(row);
            for (const status of sequence) {
              const body = {
                project_id: 1001,
                payment: { id: row.id, type: 'purchase', status, method: 'GrabPay wallet' },
                operation: { id: 1, type: 'sale', status, request_id: 'r1', code: '0', message: note },
                ...(status === 'awaiting redirect result'
                  ? { redirect_data: { url: 'https://pay.example.com/x', method: 'GET', body: {} } }
                  : {}),
              };
              const raw = JSON.stringify(body);
              const r = await store.recordGateMessage({
                rawBody: raw,
                dedupKey: createHash('sha256').update(raw).digest('hex'),
                source: 'callback',
                update: parseGateMessage(body),
                now: new Date(),
                newRefundId: () => newId('ref'),
              });
              expect(r.payment).toEqual(await store.getPayment(row.id));
            }
            const final = (await store.getPayment(row.id)) as PaymentRow;
            expect(PAYMENT_STATES).toContain(final.status as PaymentState);
          },
        ),
        { numRuns: 40 },
      );
    });
  });
}
