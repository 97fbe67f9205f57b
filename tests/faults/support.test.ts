/** The fault tests' whole-ledger comparison catches what it claims to: a charge nobody asked for, a double charge. */
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../src/sandbox/app.ts';
import { compareLedgers, type OurPayment } from './support.ts';

function sale(id: string, state: LedgerEntry['state'], amount = 1_000): LedgerEntry {
  return {
    project_id: 1,
    payment_id: id,
    type: 'purchase',
    method: 'grabpay',
    via: 'gate',
    amount,
    currency: 'PHP',
    status: state,
    state,
    refunded_amount: 0,
    operations: [
      {
        id: 1,
        type: 'sale',
        status: state,
        request_id: 'r',
        amount,
        currency: 'PHP',
      } as LedgerEntry['operations'][number],
    ],
    callbacks: { created: 1, sent: 1, acknowledged: 1, dropped: 0, failed: 0 },
    created_at: '2026-01-01T00:00:00Z',
  } as LedgerEntry;
}
const ours = (id: string, sessionId: string, status: string, amount = 1_000): OurPayment => ({
  id,
  sessionId,
  status,
  amount,
  currency: 'PHP',
});

describe('compareLedgers', () => {
  it('agrees when both sides hold the same payments in the same states', () => {
    expect(
      compareLedgers(
        [sale('a', 'success'), sale('b', 'decline')],
        [ours('a', 's1', 'success'), ours('b', 's2', 'decline')],
      ),
    ).toEqual([]);
  });

  it('catches a Gate sale our store does not have (an extra charge)', () => {
    const problems = compareLedgers(
      [sale('a', 'success'), sale('x', 'success')],
      [ours('a', 's1', 'success')],
    );
    expect(problems.join('\n')).toContain('x: at the Gate (success) but 0 payments in our store');
  });

  it('catches one session charged twice, from the Gate and from our store', () => {
    const problems = compareLedgers(
      [sale('a', 'success'), sale('b', 'success')],
      [ours('a', 's1', 'success'), ours('b', 's1', 'success')],
    );
    expect(problems).toContain('session s1: charged 2 times at the Gate');
    expect(problems).toContain('session s1: 2 paid payments in our store');
  });

  it('catches a payment of ours missing at the Gate, a second sale, and differing states or sums', () => {
    const twice = sale('a', 'success');
    twice.operations.push({ ...(twice.operations[0] as LedgerEntry['operations'][number]), id: 2 });
    const problems = compareLedgers(
      [twice, sale('b', 'success', 5)],
      [ours('a', 's1', 'success'), ours('b', 's2', 'processing'), ours('c', 's3', 'processing')],
    );
    expect(problems).toContain('a: 1 ledger entries, 2 sales at the Gate');
    expect(problems).toContain('b: ours 1000 PHP, Gate 5 PHP');
    expect(problems).toContain('b: ours processing, Gate success');
    expect(problems).toContain('c: in our store (processing) but not at the Gate');
    expect(compareLedgers([], [ours('c', 's3', 'error')], (p) => p.status === 'error')).toEqual([]);
  });
});
