import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  canTransition,
  FINAL_STATES,
  fromEcommpayStatus,
  isFinal,
  isPaid,
  isPaymentState,
  PAYMENT_STATES,
  toEcommpayStatus,
  transition,
  type PaymentState,
} from '../../src/core/status.ts';

describe('payment states', () => {
  it('maps every ecommpay payment status, both spellings of cancelled', () => {
    const map: Record<string, PaymentState> = {
      success: 'success',
      decline: 'decline',
      processing: 'processing',
      error: 'error',
      'awaiting redirect result': 'awaiting_redirect',
      'awaiting customer': 'awaiting_redirect',
      'awaiting clarification': 'awaiting_clarification',
      'awaiting 3ds result': 'awaiting_redirect',
      cancelled: 'cancelled',
      canceled: 'cancelled',
      refunded: 'refunded',
      'partially refunded': 'partially_refunded',
      reversed: 'refunded',
      expired: 'expired',
      'internal error': 'error',
      'external error': 'error',
    };
    for (const [status, state] of Object.entries(map)) expect(fromEcommpayStatus(status), status).toBe(state);
    expect(fromEcommpayStatus('Awaiting_Clarification')).toBe('awaiting_clarification');
    expect(fromEcommpayStatus('something new')).toBeNull();
  });

  it('round-trips our states through the ecommpay spelling', () => {
    for (const s of PAYMENT_STATES) {
      const back = fromEcommpayStatus(toEcommpayStatus(s));
      expect(back).toBe(s === 'created' ? 'processing' : s);
    }
  });

  it('knows final and paid states', () => {
    expect([...FINAL_STATES].sort()).toEqual(
      ['success', 'decline', 'expired', 'cancelled', 'error', 'partially_refunded', 'refunded'].sort(),
    );
    expect(isFinal('processing')).toBe(false);
    expect(isFinal('decline')).toBe(true);
    expect(isPaid('success')).toBe(true);
    expect(isPaid('decline')).toBe(false);
    expect(isPaymentState('success')).toBe(true);
    expect(isPaymentState('nope')).toBe(false);
  });

  it('moves forward through the usual flows', () => {
    const flows: PaymentState[][] = [
      [
        'created',
        'awaiting_redirect',
        'processing',
        'success',
        'partially_refunded',
        'partially_refunded',
        'refunded',
      ],
      ['created', 'awaiting_clarification', 'awaiting_redirect', 'success'],
      ['created', 'processing', 'decline'],
      ['created', 'success', 'refunded'],
    ];
    for (const flow of flows) {
      let s = flow[0] as PaymentState;
      for (const next of flow.slice(1)) {
        const r = transition(s, next);
        expect(r.changed, `${s} → ${next}`).toBe(true);
        s = r.state;
      }
    }
  });

  it('never moves a final payment backwards or sideways', () => {
    expect(transition('success', 'decline')).toEqual({ state: 'success', changed: false });
    expect(transition('decline', 'success')).toEqual({ state: 'decline', changed: false });
    expect(transition('success', 'awaiting_redirect').changed).toBe(false);
    expect(transition('decline', 'refunded').changed).toBe(false);
    expect(transition('refunded', 'partially_refunded').changed).toBe(false);
    expect(transition('processing', 'awaiting_redirect').changed).toBe(false);
    expect(transition('success', 'success').changed).toBe(false);
    expect(canTransition('expired', 'success')).toBe(false);
  });

  it('is monotonic whatever order callbacks arrive in (property)', () => {
    const state = fc.constantFrom(...PAYMENT_STATES);
    fc.assert(
      fc.property(fc.array(state, { maxLength: 30 }), (events) => {
        let s: PaymentState = 'created';
        let sawFinal: PaymentState | null = null;
        for (const e of events) {
          s = transition(s, e).state;
          if (sawFinal && !isPaid(sawFinal)) expect(s).toBe(sawFinal);
          if (sawFinal && isPaid(sawFinal)) expect(isPaid(s)).toBe(true);
          if (isFinal(s)) sawFinal = s;
        }
      }),
    );
  });

  it('ends in the same state for any permutation of one flow with duplicates (property)', () => {
    const flow: PaymentState[] = ['awaiting_redirect', 'processing', 'success'];
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...flow, ...flow, ...flow], { minLength: 9, maxLength: 9 }),
        (events) => {
          let s: PaymentState = 'created';
          for (const e of events) s = transition(s, e).state;
          expect(s).toBe('success');
        },
      ),
    );
  });
});
