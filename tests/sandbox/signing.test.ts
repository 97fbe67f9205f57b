import { afterEach, describe, expect, it } from 'vitest';
import vectors from '../fixtures/signature-vectors.json' with { type: 'json' };
import {
  callbackSignatureOk,
  harness,
  independentSign,
  independentStringToSign,
  newId,
  PATHS,
  PROJECT,
  sales,
  signed_,
  type Harness,
} from './helpers.ts';

let h: Harness;
afterEach(() => h?.sandbox.close());

describe('the independent signer used by these tests', () => {
  for (const [i, v] of vectors.entries()) {
    it(`reproduces vector ${i}`, () => {
      expect(independentStringToSign(v.data)).toBe(v.string_to_sign);
      expect(independentSign(v.data, v.secret)).toBe(v.signature);
    });
  }
});

describe('Gate request signatures', () => {
  it('accepts a request signed by an independent implementation', async () => {
    h = harness();
    const r = await h.gate(PATHS.grabpaySale, sales.grabpay(newId()));
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('success');
  });

  it('accepts a signature made over the vectors’ own data shape (nested arrays, booleans, null)', async () => {
    h = harness();
    const id = newId();
    const body = sales.jeton(id, {
      extra: { flags: [true, false, null], list: Array.from({ length: 12 }, (_, i) => `item${i}`) },
    });
    const r = await h.gate(PATHS.jetonSale, body);
    expect(r.body).toMatchObject({ status: 'success', payment_id: id });
  });

  it('refuses a tampered request with 3261', async () => {
    h = harness();
    const body = signed_(sales.grabpay(newId())) as ReturnType<typeof sales.grabpay>;
    body.payment.amount = 1; // changed after signing
    const res = await h.request(PATHS.grabpaySale, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: 'error', code: '3261', project_id: PROJECT.id });
    expect(h.sandbox.ledger()).toHaveLength(0);
  });

  it('refuses a request signed with another secret, and one without a signature', async () => {
    h = harness();
    const wrong = await h.gate(PATHS.grabpaySale, sales.grabpay(newId()), { secret: 'not-the-secret' });
    expect(wrong.body.code).toBe('3261');
    const unsigned = await h.request(PATHS.grabpaySale, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(sales.grabpay(newId())),
    });
    expect(unsigned.status).toBe(400);
    expect(await unsigned.json()).toMatchObject({
      code: '3261',
      message: expect.stringContaining('missing'),
    });
  });

  it('verifies over the number text actually sent (10.50 is not 10.5)', async () => {
    h = harness();
    const id = newId();
    const body = sales.jeton(id, { extra: { rate: 'PLACEHOLDER' } });
    // Sign with the text "10.50"; JSON.parse would turn it into 10.5 and break a naive verification.
    const sig = independentSign({ ...body, extra: { rate: '10.50' } }, PROJECT.secret);
    const text = JSON.stringify({ ...body, general: { ...body.general, signature: sig } }).replace(
      '"PLACEHOLDER"',
      '10.50',
    );
    const res = await h.request(PATHS.jetonSale, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
    });
    expect(await res.json()).toMatchObject({ status: 'success' });
  });

  it('signs callbacks with a root signature the independent signer agrees with', async () => {
    h = harness();
    const id = newId();
    await h.gate(PATHS.jetonSale, sales.jeton(id));
    await h.sandbox.idle();
    const [cb] = h.callbacksOf(id);
    expect(cb).toBeDefined();
    expect(callbackSignatureOk(cb?.body ?? {})).toBe(true);
    expect(callbackSignatureOk(cb?.body ?? {}, 'other')).toBe(false);
  });
});
