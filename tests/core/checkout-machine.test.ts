import { describe, expect, it } from 'vitest';
import { flowReducer, initialFlow, type FlowState } from '../../src/core/checkout/machine.ts';

describe('flowReducer', () => {
  it('takes SUBMIT only when idle: a second submit is the same state', () => {
    const submitting = flowReducer(initialFlow, { type: 'SUBMIT', key: 'k1', fingerprint: 'f' });
    expect(submitting).toMatchObject({ phase: 'submitting', key: 'k1' });
    expect(flowReducer(submitting, { type: 'SUBMIT', key: 'k2', fingerprint: 'f' })).toBe(submitting);
    const tracking = flowReducer(submitting, { type: 'CREATED', paymentId: 'p1' });
    expect(tracking).toMatchObject({ phase: 'tracking', paymentId: 'p1', resumed: false });
    expect(flowReducer(tracking, { type: 'SUBMIT', key: 'k3', fingerprint: 'f' })).toBe(tracking);
    expect(flowReducer(tracking, { type: 'CREATED', paymentId: 'p2' })).toBe(tracking);
  });

  it('keeps the key after a failure, and drops it on RESET', () => {
    const failed = flowReducer(flowReducer(initialFlow, { type: 'SUBMIT', key: 'k1', fingerprint: 'f' }), {
      type: 'FAILED',
      error: new Error('x'),
    });
    expect(failed).toMatchObject({ phase: 'idle', key: 'k1', fingerprint: 'f' });
    const reset = flowReducer(failed, { type: 'RESET' });
    expect(reset).toEqual({ phase: 'idle', resumed: false, check: 0, attempt: 1 });
  });

  it('leaves "redirecting" for a status check when the page is restored', () => {
    let s: FlowState = flowReducer(initialFlow, { type: 'RESUME', paymentId: 'p1' });
    expect(s).toMatchObject({ phase: 'tracking', resumed: true });
    s = flowReducer(s, { type: 'REDIRECTING' });
    expect(s.phase).toBe('redirecting');
    expect(flowReducer(s, { type: 'RESET' })).toBe(s);
    s = flowReducer(s, { type: 'PAGE_RESTORED' });
    expect(s).toMatchObject({ phase: 'tracking', check: 1 });
    expect(flowReducer(initialFlow, { type: 'PAGE_RESTORED' })).toBe(initialFlow);
    expect(flowReducer(s, { type: 'RESUME', paymentId: 'p2' })).toBe(s);
  });
});
