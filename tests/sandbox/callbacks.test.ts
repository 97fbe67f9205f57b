import { afterEach, describe, expect, it } from 'vitest';
import { NO_FAULTS } from '../../src/sandbox/app.ts';
import { retryGapMs } from '../../src/sandbox/callbacks.ts';
import {
  harness,
  newId,
  openRedirect,
  PATHS,
  PROJECT,
  pressButton,
  sales,
  until,
  type Harness,
} from './helpers.ts';

let h: Harness;
afterEach(() => h?.sandbox.close());

const statusOf = async (id: string) =>
  (await h.gate(PATHS.status, { general: { project_id: PROJECT.id, payment_id: id } })).body;

describe('delivery', () => {
  it('retries anything but HTTP 200 until acknowledged', async () => {
    h = harness();
    h.respond = (_call, n) => (n < 2 ? 503 : n === 2 ? 201 : 200);
    const id = newId();
    await h.gate(PATHS.jetonSale, sales.jeton(id));
    await h.sandbox.idle();
    const calls = h.callbacksOf(id);
    expect(calls.map((c) => c.answered)).toEqual([503, 503, 201, 200]);
    // The same signed body every time.
    expect(new Set(calls.map((c) => c.text)).size).toBe(1);
    expect(h.sandbox.ledger()[0]?.callbacks).toMatchObject({
      created: 1,
      sent: 4,
      acknowledged: 1,
      failed: 0,
    });
  });

  it('retries network errors and timeouts too', async () => {
    let n = 0;
    h = harness({
      callbackRetry: { maxAttempts: 3, timeoutMs: 30 },
      fetch: async (_url, init) => {
        n++;
        if (n === 1) throw new TypeError('fetch failed');
        if (n === 2) {
          // Never answers: the sandbox gives up on this try after timeoutMs.
          return new Promise<Response>((_resolve, reject) =>
            init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
          );
        }
        return new Response('OK');
      },
    });
    await h.gate(PATHS.jetonSale, sales.jeton(newId()));
    await h.sandbox.idle();
    expect(n).toBe(3);
    expect(h.sandbox.ledger()[0]?.callbacks).toMatchObject({ sent: 3, acknowledged: 1 });
  });

  it('stops after the last try and counts the failure', async () => {
    h = harness({ callbackRetry: { maxAttempts: 3 } });
    h.respond = () => 500;
    const id = newId();
    await h.gate(PATHS.jetonSale, sales.jeton(id));
    await h.sandbox.idle();
    expect(h.callbacksOf(id)).toHaveLength(3);
    expect(h.sandbox.ledger()[0]?.callbacks).toMatchObject({ sent: 3, acknowledged: 0, failed: 1 });
  });

  it('waits 10 s (scaled) between the first six tries, then growing gaps up to 4 h', async () => {
    expect([1, 2, 3, 4, 5].map(retryGapMs)).toEqual([10_000, 10_000, 10_000, 10_000, 10_000]);
    const later = [6, 7, 8, 9, 10, 11, 12, 50].map(retryGapMs);
    for (let i = 1; i < later.length; i++) expect(later[i]).toBeGreaterThanOrEqual(later[i - 1] as number);
    expect(later[0]).toBeGreaterThan(10_000);
    expect(later.at(-1)).toBe(4 * 3600_000);

    h = harness({ timeScale: 0.002, callbackRetry: { maxAttempts: 3 } });
    h.respond = () => 500;
    const id = newId();
    await h.gate(PATHS.jetonSale, sales.jeton(id));
    await h.sandbox.idle();
    const at = h.callbacksOf(id).map((c) => c.at);
    for (let i = 1; i < at.length; i++)
      expect((at[i] as number) - (at[i - 1] as number)).toBeGreaterThanOrEqual(18);
  });

  it('makes no callback when neither the request nor the project names a URL', async () => {
    h = harness();
    const id = newId();
    const body = sales.jeton(id);
    await h.gate(PATHS.jetonSale, { ...body, general: { project_id: PROJECT.id, payment_id: id } });
    await h.sandbox.idle();
    expect(h.callbacks).toHaveLength(0);
    expect(h.sandbox.ledger()[0]?.status).toBe('success');
  });
});

/** A GrabPay sale decided on its provider page; returns the statuses its callbacks arrived with. */
async function grabPayRoundTrip(
  result: 'success' | 'decline' = 'success',
): Promise<{ id: string; statuses: () => string[] }> {
  const id = newId();
  await h.gate(PATHS.grabpaySale, sales.grabpay(id));
  await h.sandbox.idle();
  await h.sandbox.decide(PROJECT.id, id, result);
  await h.sandbox.idle();
  return { id, statuses: () => h.callbacksOf(id).map((c) => c.body.payment.status as string) };
}

describe('fault switches', () => {
  it('duplicate: every callback arrives n more times', async () => {
    h = harness();
    h.sandbox.setFaults({ duplicate: 2 });
    const { statuses } = await grabPayRoundTrip();
    expect(statuses()).toEqual([
      'awaiting redirect result',
      'awaiting redirect result',
      'awaiting redirect result',
      'success',
      'success',
      'success',
    ]);
    expect(h.sandbox.ledger()[0]?.callbacks).toMatchObject({ created: 6, acknowledged: 6 });
  });

  it('reorder (final-first): the final callback arrives before the intermediate one', async () => {
    h = harness();
    h.sandbox.setFaults({ reorder: true });
    const id = newId();
    await h.gate(PATHS.grabpaySale, sales.grabpay(id));
    // idle() would wait for the held callback's release: decide as soon as the redirect exists.
    await until(() => h.sandbox.ledger()[0]?.state === 'awaiting_redirect');
    expect(h.callbacksOf(id)).toHaveLength(0);
    await h.sandbox.decide(PROJECT.id, id, 'success');
    await h.sandbox.idle();
    expect(h.callbacksOf(id).map((c) => c.body.payment.status)).toEqual([
      'success',
      'awaiting redirect result',
    ]);
    // The late intermediate still carries the redirect, signed: the merchant must not step back.
    expect(h.callbacksOf(id)[1]?.body.redirect_data).toBeDefined();
  });

  it('reorder (final-first) releases a held callback when nothing follows in time', async () => {
    h = harness();
    h.sandbox.setFaults({ reorder: 'final-first', reorderHoldMs: 20 });
    const id = newId();
    await h.gate(PATHS.grabpaySale, sales.grabpay(id));
    await h.sandbox.idle();
    expect(h.callbacksOf(id).map((c) => c.body.payment.status)).toEqual(['awaiting redirect result']);
  });

  it('reorder (stale-after): the intermediate callback arrives again after the final', async () => {
    h = harness();
    h.sandbox.setFaults({ reorder: 'stale-after' });
    const { statuses } = await grabPayRoundTrip('decline');
    expect(statuses()).toEqual(['awaiting redirect result', 'decline', 'awaiting redirect result']);
  });

  it('drop the next redirect callback: status polling still finds the redirect, then the final arrives', async () => {
    h = harness();
    h.sandbox.setFaults({ dropNext: 1, dropKind: 'redirect' });
    const id = newId();
    await h.gate(PATHS.advcashSale, sales.advcash(id));
    await h.sandbox.idle();
    expect(h.callbacksOf(id)).toHaveLength(0);
    const status = await statusOf(id);
    expect(status.payment.status).toBe('awaiting redirect result');
    const page = await openRedirect(h, status.redirect_data);
    expect(page.status).toBe(200);
    await pressButton(h, await page.text(), 'success');
    await h.sandbox.idle();
    expect(h.callbacksOf(id).map((c) => c.body.payment.status)).toEqual(['success']);
    expect(h.sandbox.ledger()[0]?.callbacks).toMatchObject({ created: 1, dropped: 1 });
    expect(h.sandbox.faults().dropNext).toBe(0);
  });

  it('drop the final callback: the status request tells the truth', async () => {
    h = harness();
    h.sandbox.setFaults({ dropNext: 1, dropKind: 'final' });
    const id = newId();
    await h.gate(PATHS.jetonSale, sales.jeton(id));
    await h.sandbox.idle();
    expect(h.callbacksOf(id)).toHaveLength(0);
    expect(await statusOf(id)).toMatchObject({ payment: { status: 'success' }, operation: { code: '0' } });
    // Only the next one was dropped.
    const next = newId();
    await h.gate(PATHS.jetonSale, sales.jeton(next));
    await h.sandbox.idle();
    expect(h.callbacksOf(next)).toHaveLength(1);
  });

  it('random drops are seeded: the same seed drops the same callbacks', async () => {
    const run = async (): Promise<boolean[]> => {
      h = harness();
      h.sandbox.setFaults({ dropProbability: 0.5, seed: 42 });
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        const id = newId();
        ids.push(id);
        await h.gate(PATHS.jetonSale, sales.jeton(id));
        await h.sandbox.idle();
      }
      const arrived = ids.map((id) => h.callbacksOf(id).length > 0);
      h.sandbox.close();
      return arrived;
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    expect(first).toContain(true);
    expect(first).toContain(false);
  });

  it('delay: every delivery waits delayMs (real time)', async () => {
    h = harness();
    h.sandbox.setFaults({ delayMs: 60 });
    const id = newId();
    const started = Date.now();
    await h.gate(PATHS.jetonSale, sales.jeton(id));
    await h.sandbox.idle();
    expect((h.callbacksOf(id)[0]?.at ?? 0) - started).toBeGreaterThanOrEqual(55);
  });

  it('saleError: the next sale answers 5xx and registers nothing', async () => {
    h = harness();
    h.sandbox.setFaults({ saleError: 1, saleErrorStatus: 502 });
    const id = newId();
    const failed = await h.gate(PATHS.grabpaySale, sales.grabpay(id));
    expect(failed.status).toBe(502);
    expect(h.sandbox.ledger()).toHaveLength(0);
    const retried = await h.gate(PATHS.grabpaySale, sales.grabpay(id));
    expect(retried.body.status).toBe('success');
  });

  it('saleError after accept: the sale went through although the answer was 500 (retry → 3041)', async () => {
    h = harness();
    h.sandbox.setFaults({ saleError: 1, faultAfterAccept: true });
    const id = newId();
    expect((await h.gate(PATHS.jetonSale, sales.jeton(id))).status).toBe(500);
    expect((await h.gate(PATHS.jetonSale, sales.jeton(id))).body.code).toBe('3041');
    await h.sandbox.idle();
    expect(h.callbacksOf(id)[0]?.body.payment.status).toBe('success');
  });

  it('saleTimeout: the next sale hangs for hangMs, then 504', async () => {
    h = harness();
    h.sandbox.setFaults({ saleTimeout: 1, hangMs: 80 });
    const started = Date.now();
    const r = await h.gate(PATHS.paycoSale, sales.payco(newId()));
    expect(r.status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    expect(h.sandbox.ledger()).toHaveLength(0);
    // close() ends a hang at once.
    h.sandbox.setFaults({ saleTimeout: 1, hangMs: 60_000 });
    const pending = h.gate(PATHS.paycoSale, sales.payco(newId()));
    await new Promise((r) => setTimeout(r, 10));
    h.sandbox.close();
    expect((await pending).status).toBe(504);
  });

  it('payouts and refunds meet the operation faults too', async () => {
    h = harness();
    h.sandbox.setFaults({ saleError: 1 });
    const r = await h.gate(PATHS.jetonPayout, {
      general: { project_id: PROJECT.id, payment_id: newId() },
      payment: { amount: 5000, currency: 'EUR' },
      customer: { id: 'c', ip_address: '192.0.2.1' },
    });
    expect(r.status).toBe(500);
  });

  it('setFaults merges; resetFaults and POST /_sandbox/faults {reset} go back to none', async () => {
    h = harness();
    h.sandbox.setFaults({ duplicate: 1 });
    h.sandbox.setFaults({ delayMs: 5 });
    expect(h.sandbox.faults()).toMatchObject({ duplicate: 1, delayMs: 5 });
    h.sandbox.resetFaults();
    expect(h.sandbox.faults()).toEqual(NO_FAULTS);

    const post = (body: unknown) =>
      h.request('/_sandbox/faults', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const set = await post({ dropNext: 2, dropKind: 'final', reorder: 'stale-after' });
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ dropNext: 2, dropKind: 'final', reorder: 'stale-after' });
    expect(await (await h.request('/_sandbox/faults')).json()).toMatchObject({ dropNext: 2 });
    const reset = await post({ reset: true, duplicate: 1 });
    expect(await reset.json()).toEqual({ ...NO_FAULTS, duplicate: 1 });
    expect((await post({ dropKind: 'sometimes' })).status).toBe(400);
    expect((await post({ unknown: 1 })).status).toBe(400);
    expect((await post({ hangMs: 10_000_000 })).status).toBe(400);
  });
});
