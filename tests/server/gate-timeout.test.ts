/**
 * A sale whose Gate request timed out is settled by asking the Gate (status check), never by guessing —
 * even when no callback ever comes.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.ts';
import { startStack, VOUCHER, type Stack } from './helpers.ts';

let stack: Stack;
beforeAll(async () => {
  // A Gate timeout of 300 ms; the sandbox hangs the faulted sale for 1 s (after taking it).
  stack = await startStack({ env: { GATE_TIMEOUT_MS: '300' } });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

it('the default Gate timeout fits a slow real Gate (≥ 10 s), and the long-poll bounds are configuration', async () => {
  const defaults = loadConfig({ DATA_DIR: 'memory://' });
  expect(defaults.gateTimeoutMs).toBeGreaterThanOrEqual(10_000);
  expect(defaults.longPollMaxS).toBe(30);
  expect(defaults.createWaitMaxS).toBe(10);
  const s = await startStack({ store: stack.server.store, env: { LONG_POLL_MAX_S: '5' } });
  try {
    expect((await s.call('GET', '/api/payments/pay_x?wait=6&version=1')).status).toBe(400);
    expect((await s.call('GET', '/api/payments/pay_x?wait=5&version=1')).status).toBe(404);
  } finally {
    await s.close();
  }
});

it('a sale that timed out (the Gate took it, no callback came) is settled by the status check', async () => {
  stack.sandbox.resetFaults();
  stack.sandbox.setFaults({ saleTimeout: 1, hangMs: 1_000, faultAfterAccept: true, dropProbability: 1 });
  const s = await stack.createSession({ amount: 10_000, currency: 'EUR' });
  const r = await stack.json<{ error: { code: string; message: string } }>(
    'POST',
    `/api/sessions/${s.id}/payments`,
    { method: 'jeton', currency: 'EUR', fields: VOUCHER },
  );
  expect(r.status).toBe(504);
  const id = /Payment (pay_[0-9a-f]+)/.exec(r.body.error.message)?.[1] as string;
  await stack.sandbox.idle();
  // No callback arrived: the payment is still open, waiting for an answer.
  const before = await stack.server.store.getPayment(id);
  expect(before?.status).toBe('created');
  expect(before?.gateState).toBe('retryable');
  expect(await stack.server.store.countCallbacks(id)).toBe(0);
  // The sweeper asks the Gate once the payment is due (a send with an unknown outcome: after one interval).
  stack.clock.now += stack.config.sweepIntervalMs + 1;
  expect(await stack.server.sweep()).toBeGreaterThanOrEqual(1);
  const after = await stack.server.store.getPayment(id);
  expect(after?.status).toBe('success');
  expect(after?.gateState).toBe('accepted');
  expect(stack.sandbox.ledger().filter((e) => e.payment_id === id)).toHaveLength(1);
  expect(stack.logs.some((l) => l.includes('status.stored') && l.includes(id))).toBe(true);
});
