/**
 * Fault test (issue 7): the backend killed with SIGKILL in the middle of checkouts and restarted on the same
 * data. A real child process runs `src/server/main.ts` on a file-backed PGlite data dir; the Gate sandbox
 * serves HTTP from this process and delivers callbacks over HTTP with retries, which bring the callbacks the
 * dead backend missed. Shoppers whose request failed retry with the same Idempotency-Key. Nothing may be lost:
 * every checkout ends with one payment, final, in the state the sandbox's ledger holds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { PaymentView, SessionView } from '../../src/core/api.ts';
import { DEMO_MERCHANT_API_KEY, DEMO_PROJECT_ID, DEMO_SECRET_KEY } from '../../src/server/config.ts';
import { Store } from '../../src/server/store.ts';
import { createSandbox, type Sandbox } from '../../src/sandbox/app.ts';
import { newPgliteStore, VOUCHER } from '../server/helpers.ts';
import { eventually, freePort, pool, startNode, type Child } from './support.ts';

const root = resolve(import.meta.dirname, '../..');
const CHECKOUTS = 60;
const KINDS = [
  { method: 'grabpay', currency: 'PHP', amount: 10_000, fields: { email: 'juan@example.com' } },
  { method: 'payco', currency: 'KRW', amount: 15_000, fields: {} },
  { method: 'advcash', currency: 'USD', amount: 2_500, fields: {} },
  { method: 'jeton', currency: 'EUR', amount: 5_000, fields: VOUCHER },
] as const;

let dir: string;
let sandbox: Sandbox;
let sandboxServer: ServerType;
let backendUrl: string;
let env: Record<string, string>;
let backend: Child | null = null;

async function startBackend(): Promise<Child> {
  const child = startNode(['--import', 'tsx', 'src/server/main.ts'], env, root);
  await child.waitFor('"server.listening"', 45_000);
  return child;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ecp-fault-kill-'));
  // A migrated data dir from the test suite's PGlite dump (initdb takes seconds; this well under one).
  const seed = await newPgliteStore();
  const dump = await (seed.db as unknown as { $client: PGlite }).$client.dumpDataDir('none');
  await seed.close();
  const data = await PGlite.create({ dataDir: join(dir, 'pglite'), loadDataDir: dump });
  await data.close();

  const [sandboxPort, backendPort] = [await freePort(), await freePort()];
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  backendUrl = `http://127.0.0.1:${backendPort}`;
  sandbox = createSandbox({
    projects: [{ id: DEMO_PROJECT_ID, secret: DEMO_SECRET_KEY }],
    publicUrl: sandboxUrl,
    // Retries every 100 ms at first, then 0.6 s, 3 s, 9 s …
    timeScale: 0.01,
    callbackRetry: { maxAttempts: 12, timeoutMs: 2_000 },
  });
  sandboxServer = serve({ fetch: sandbox.app.fetch, port: sandboxPort, hostname: '127.0.0.1' });
  env = {
    PORT: String(backendPort),
    HOST: '127.0.0.1',
    DATA_DIR: join(dir, 'pglite'),
    DATABASE_URL: '',
    APP_ENV: '',
    ECOMMPAY_PROJECT_ID: String(DEMO_PROJECT_ID),
    ECOMMPAY_SECRET_KEY: DEMO_SECRET_KEY,
    MERCHANT_API_KEY: DEMO_MERCHANT_API_KEY,
    ECOMMPAY_GATE_URL: sandboxUrl,
    ECOMMPAY_PAYMENT_PAGE_URL: `${sandboxUrl}/payment`,
    PUBLIC_BASE_URL: backendUrl,
    RATE_LIMIT_PER_MINUTE: '100000',
    // A send cut off by the kill is taken over by a retry after 2 × this.
    GATE_TIMEOUT_MS: '500',
    LOG_LEVEL: 'warn',
  };
  backend = await startBackend();
}, 90_000);

afterAll(async () => {
  if (backend && backend.process.exitCode === null) {
    backend.process.kill('SIGKILL');
    await backend.exited;
  }
  sandbox?.close();
  await new Promise((r) => (sandboxServer ? sandboxServer.close(() => r(null)) : r(null)));
  rmSync(dir, { recursive: true, force: true });
});

interface Checkout {
  i: number;
  session: string;
  kind: (typeof KINDS)[number];
  key: string;
  paymentId?: string;
}

async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${backendUrl}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** Pays; answers false when the request did not get an answer (the backend died under it). */
async function pay(c: Checkout): Promise<boolean> {
  try {
    const r = await api<PaymentView>(
      'POST',
      `/api/sessions/${c.session}/payments`,
      { method: c.kind.method, currency: c.kind.currency, fields: c.kind.fields },
      { 'idempotency-key': c.key },
    );
    if (r.status !== 200 && r.status !== 201) return false;
    c.paymentId = r.body.id;
    return true;
  } catch {
    return false;
  }
}

function ledgerOf(id: string | undefined) {
  return id ? sandbox.ledger().find((e) => e.payment_id === id) : undefined;
}

/** The shopper's choice on the provider page, once the Gate is waiting for it. */
async function decideIfWaiting(c: Checkout): Promise<void> {
  const entry = ledgerOf(c.paymentId);
  if (entry?.state !== 'awaiting_redirect') return;
  await sandbox
    .decide(DEMO_PROJECT_ID, entry.payment_id, c.i % 3 === 0 ? 'decline' : 'success')
    .catch(() => undefined);
}

describe('the backend is killed (SIGKILL) mid-flow and restarted on the same data', () => {
  it('loses nothing: every checkout ends with one payment, final, as the Gate has it', async () => {
    onTestFailed(() => {
      console.error(`backend output (tail):\n${backend?.output().slice(-6_000) ?? ''}`);
      console.error(
        `ledger: ${JSON.stringify(sandbox.ledger().map((e) => [e.payment_id, e.state, e.callbacks]))}`,
      );
    });
    const checkouts: Checkout[] = await pool(8, CHECKOUTS, async (i) => {
      const kind = KINDS[i % KINDS.length] as (typeof KINDS)[number];
      const r = await api<SessionView>(
        'POST',
        '/api/sessions',
        {
          amount: kind.amount,
          currency: kind.currency,
          customer: { id: `c${i}` },
          return_url: 'https://shop.example.com/r',
        },
        { authorization: `Bearer ${DEMO_MERCHANT_API_KEY}` },
      );
      expect(r.status).toBe(201);
      return { i, session: r.body.id, kind, key: `kill-${i}` };
    });

    // The first half pays and half of those decide.
    const first = checkouts.slice(0, CHECKOUTS / 2);
    expect((await Promise.all(first.map(pay))).every(Boolean)).toBe(true);
    await sandbox.idle();
    await Promise.all(first.filter((c) => c.i % 2 === 0).map(decideIfWaiting));

    // The second half pays and the rest of the first half decides, while the backend is killed.
    const second = checkouts.slice(CHECKOUTS / 2);
    // Staggered, so that the kill finds requests in every phase: answered, at the Gate, in the database only.
    const inFlight = [
      ...second.map((c, k) => new Promise((r) => setTimeout(r, k * 4)).then(() => pay(c))),
      ...first.filter((c) => c.i % 2 === 1).map((c) => decideIfWaiting(c).then(() => true)),
    ];
    // Killed once a few of them have been answered.
    await eventually(() => second.filter((c) => c.paymentId).length >= 5, 5_000, 2);
    const dead = backend as Child;
    dead.process.kill('SIGKILL');
    expect(await dead.exited).toBeNull();
    const cutOff = (await Promise.all(inFlight)).filter((ok) => !ok).length;
    const known = new Set(checkouts.map((c) => c.paymentId));
    const cutOffAtGate = sandbox.ledger().filter((e) => !known.has(e.payment_id)).length;

    // While it is down the Gate goes on: redirects, results, callbacks that fail and are retried.
    await new Promise((r) => setTimeout(r, 300));
    await Promise.all(checkouts.map(decideIfWaiting));
    const failedWhileDown = sandbox
      .ledger()
      .reduce((n, e) => n + (e.callbacks.sent - e.callbacks.acknowledged), 0);

    backend = await startBackend();

    // Shoppers whose request got no answer retry with the same key until the Gate has their payment.
    await eventually(
      async () => {
        const missing = checkouts.filter((c) => !ledgerOf(c.paymentId));
        await Promise.all(missing.map(pay));
        return missing.length === 0;
      },
      20_000,
      300,
    );
    await sandbox.idle();
    await Promise.all(checkouts.map(decideIfWaiting));
    await sandbox.idle();

    const mismatches: string[] = [];
    await eventually(
      async () => {
        mismatches.length = 0;
        for (const c of checkouts) {
          const view = await api<PaymentView>('GET', `/api/payments/${c.paymentId}`);
          const entry = ledgerOf(c.paymentId);
          if (
            !entry ||
            view.status !== 200 ||
            view.body.status !== entry.state ||
            !['success', 'decline'].includes(entry.state)
          )
            mismatches.push(`${c.paymentId}: backend ${view.body.status}, Gate ${entry?.state ?? 'none'}`);
        }
        return mismatches.length === 0;
      },
      15_000,
      250,
    ).catch(() => undefined);
    expect(mismatches).toEqual([]);

    // One payment per checkout at the Gate and in the backend; the kill really cost deliveries.
    const ids = new Set(checkouts.map((c) => c.paymentId));
    expect(ids.size).toBe(CHECKOUTS);
    const sessionIds = new Set(checkouts.map((c) => c.session));
    const list = await api<{ data: PaymentView[] }>('GET', '/api/merchant/payments?limit=100', undefined, {
      authorization: `Bearer ${DEMO_MERCHANT_API_KEY}`,
    });
    expect(list.body.data.filter((p) => sessionIds.has(p.session_id ?? ''))).toHaveLength(CHECKOUTS);
    expect(sandbox.ledger().filter((e) => ids.has(e.payment_id))).toHaveLength(CHECKOUTS);
    expect(failedWhileDown).toBeGreaterThan(0);
    console.info(
      `SIGKILL: ${CHECKOUTS / 2 - cutOff} payment requests answered, ${cutOff} cut off (${cutOffAtGate} of them ` +
        `already at the Gate); ${failedWhileDown} callback deliveries failed while the backend was down`,
    );
    const expectedSuccess = checkouts.filter((c) => c.kind.method === 'jeton' || c.i % 3 !== 0).length;
    expect(sandbox.ledger().filter((e) => ids.has(e.payment_id) && e.state === 'success')).toHaveLength(
      expectedSuccess,
    );

    // The data dir opens cleanly after all that, with the store's PGlite settings.
    backend.process.kill('SIGTERM');
    expect(await backend.exited).toBe(0);
    const store = await Store.open({ kind: 'pglite', dataDir: join(dir, 'pglite') });
    try {
      const rows = await store.listPayments({ limit: 200 });
      expect(rows.filter((p) => sessionIds.has(p.sessionId ?? ''))).toHaveLength(CHECKOUTS);
      const sb = await store.db.execute('show shared_buffers');
      expect((sb as unknown as { rows: { shared_buffers: string }[] }).rows[0]?.shared_buffers).toBe('16MB');
    } finally {
      await store.close();
    }
  });
});
