/**
 * Fault test (issue 7): the Gate answering 5xx or timing out. The API answers a clear, retryable error
 * (502 gate_unavailable / 504 gate_timeout with a message saying to retry with the same Idempotency-Key),
 * and the retry never makes a second payment at the Gate — whether the failed request got through
 * (`faultAfterAccept`) or not, and whether the shopper retries with the same key, a new key, or twice at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentView } from '../../src/core/api.ts';
import type { Faults } from '../../src/sandbox/app.ts';
import { startStack, type Stack } from '../server/helpers.ts';

let stack: Stack;
beforeAll(async () => {
  // A Gate timeout of 300 ms; the sandbox hangs faulted requests for 1 s.
  stack = await startStack({ env: { GATE_TIMEOUT_MS: '300' } });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

const ORDER = { amount: 15_000, currency: 'KRW' };
const PAY = { method: 'payco', currency: 'KRW' };

type ErrorBody = { error: { code: string; message: string } };

function salesAtGate(sessionPaymentIds: Set<string>) {
  return stack.sandbox.ledger().filter((e) => sessionPaymentIds.has(e.payment_id));
}

const cases: { name: string; faults: Partial<Faults>; status: number; code: string }[] = [
  { name: 'HTTP 500', faults: { saleError: 1, saleErrorStatus: 500 }, status: 502, code: 'gate_unavailable' },
  { name: 'HTTP 503', faults: { saleError: 1, saleErrorStatus: 503 }, status: 502, code: 'gate_unavailable' },
  { name: 'a timeout', faults: { saleTimeout: 1, hangMs: 1_000 }, status: 504, code: 'gate_timeout' },
];

describe('the Gate fails; the API answers a retryable error; retries make no second payment', () => {
  for (const c of cases) {
    for (const afterAccept of [false, true]) {
      const got = afterAccept ? 'after the Gate took the sale' : 'before the Gate took the sale';
      it(`${c.name} ${got}: ${c.status} ${c.code}, then one payment for every kind of retry`, async () => {
        stack.sandbox.resetFaults();
        stack.sandbox.setFaults({ ...c.faults, faultAfterAccept: afterAccept });
        const s = await stack.createSession(ORDER);
        const key = crypto.randomUUID();

        const failed = await stack.json<ErrorBody>('POST', `/api/sessions/${s.id}/payments`, PAY, {
          'idempotency-key': key,
        });
        expect(failed.status).toBe(c.status);
        expect(failed.body.error.code).toBe(c.code);
        expect(failed.body.error.message).toMatch(/Retry with the same Idempotency-Key/);
        const id = /Payment (pay_[0-9a-f]+)/.exec(failed.body.error.message)?.[1];
        expect(id).toBeDefined();
        // A retry-ready answer the widget can show: the session still offers the same payment.
        const session = await stack.json<{ status: string; payment?: { id: string; status: string } }>(
          'GET',
          `/api/sessions/${s.id}`,
        );
        expect(session.body).toMatchObject({ status: 'open', payment: { id } });
        // If the sale got through, its callback may already have arrived (and proves the Gate has it).
        expect(afterAccept ? ['created', 'awaiting_redirect'] : ['created']).toContain(
          session.body.payment?.status,
        );
        expect(salesAtGate(new Set([id as string]))).toHaveLength(afterAccept ? 1 : 0);

        // The retry (same key, twice at once), then a reload (new key), then the same key again.
        const retries = await Promise.all([stack.pay(s.id, PAY, key), stack.pay(s.id, PAY, key)]);
        const reload = await stack.pay(s.id, PAY, crypto.randomUUID());
        const again = await stack.pay(s.id, PAY, key);
        for (const r of [...retries, reload, again]) {
          expect(r.status, JSON.stringify(r.body)).toBe(200);
          expect(r.body.id).toBe(id);
        }

        await stack.sandbox.idle();
        const view = await stack.json<PaymentView>('GET', `/api/payments/${id}`);
        expect(view.body.status).toBe('awaiting_redirect');
        const sales = salesAtGate(new Set([id as string]));
        expect(sales).toHaveLength(1);
        expect(sales[0]?.operations.filter((o) => o.type === 'sale')).toHaveLength(1);
        // One payment row for the session, whatever was retried.
        const listed = await stack.json<{ data: PaymentView[] }>(
          'GET',
          `/api/merchant/payments?session_id=${s.id}`,
          undefined,
          { authorization: `Bearer ${stack.config.merchantApiKey}` },
        );
        expect(listed.body.data.map((p) => p.id)).toEqual([id]);
      });
    }
  }

  it('a Gate that stays down: every retry is a clear 502, still one payment, and it goes through once the Gate is back', async () => {
    stack.sandbox.resetFaults();
    stack.sandbox.setFaults({ saleError: 3, saleErrorStatus: 502 });
    const s = await stack.createSession(ORDER);
    const key = crypto.randomUUID();
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const r = await stack.json<ErrorBody>('POST', `/api/sessions/${s.id}/payments`, PAY, {
        'idempotency-key': key,
      });
      expect(r.status).toBe(502);
      expect(r.body.error.code).toBe('gate_unavailable');
      ids.add(/Payment (pay_[0-9a-f]+)/.exec(r.body.error.message)?.[1] ?? '');
    }
    expect(ids.size).toBe(1);
    const ok = await stack.pay(s.id, PAY, key);
    expect(ok.status).toBe(200);
    expect(ids.has(ok.body.id)).toBe(true);
    await stack.sandbox.idle();
    expect(salesAtGate(ids)).toHaveLength(1);
  });
});
