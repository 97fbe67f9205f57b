/**
 * Fault test (issue 12): webhooks survive SIGKILL. A real backend child process (`src/server/main.ts`) on a
 * file-backed PGlite data dir, the Gate sandbox over HTTP in this process, and a merchant receiver.
 *
 * 1. The backend runs with WEBHOOK_DELIVERY=off: a payment succeeds (the event is in the outbox, written by
 *    the status change's own statement), nothing is delivered; the backend is killed.
 * 2. Restarted with delivery on, it sends the event; the receiver holds the request, and the backend is killed
 *    with the delivery in flight.
 * 3. Restarted again, the lapsed claim is taken again and the same event (same webhook-id) is delivered and
 *    verified with verifyWebhook.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { PaymentView, SessionView } from '../../src/core/api.ts';
import { verifyWebhook, type WebhookEvent } from '../../src/core/webhooks.ts';
import { DEMO_MERCHANT_API_KEY, DEMO_PROJECT_ID, DEMO_SECRET_KEY } from '../../src/server/config.ts';
import { createSandbox, type Sandbox } from '../../src/sandbox/app.ts';
import { newPgliteStore } from '../server/helpers.ts';
import { startReceiver, type Receiver } from '../server/webhook-receiver.ts';
import { eventually, freePort, startNode, type Child } from './support.ts';

const root = resolve(import.meta.dirname, '../..');
const AUTH = { authorization: `Bearer ${DEMO_MERCHANT_API_KEY}` };

let dir: string;
let sandbox: Sandbox;
let sandboxServer: ServerType;
let receiver: Receiver;
let backendUrl: string;
let env: Record<string, string>;
let backend: Child | null = null;

async function startBackend(extra: Record<string, string> = {}): Promise<Child> {
  const child = startNode(['--import', 'tsx', 'src/server/main.ts'], { ...env, ...extra }, root);
  await child.waitFor('"server.listening"', 45_000);
  return child;
}

async function kill(): Promise<void> {
  if (!backend) return;
  backend.process.kill('SIGKILL');
  await backend.exited;
  backend = null;
}

async function api<T>(method: string, path: string, body?: unknown) {
  const res = await fetch(`${backendUrl}${path}`, {
    method,
    headers: { ...AUTH, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: (await res.json()) as T };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ecp-fault-webhooks-'));
  const seed = await newPgliteStore();
  const dump = await (seed.db as unknown as { $client: PGlite }).$client.dumpDataDir('none');
  await seed.close();
  const data = await PGlite.create({ dataDir: join(dir, 'pglite'), loadDataDir: dump });
  await data.close();

  receiver = await startReceiver();
  const [sandboxPort, backendPort] = [await freePort(), await freePort()];
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  backendUrl = `http://127.0.0.1:${backendPort}`;
  sandbox = createSandbox({
    projects: [{ id: DEMO_PROJECT_ID, secret: DEMO_SECRET_KEY }],
    publicUrl: sandboxUrl,
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
    // A delivery cut off by the kill is taken again once its claim lapses (this + 5 s).
    WEBHOOK_TIMEOUT_MS: '1000',
    WEBHOOK_POLL_MS: '50',
    LOG_LEVEL: 'warn',
  };
}, 90_000);

afterAll(async () => {
  await kill();
  sandbox?.close();
  await new Promise((r) => (sandboxServer ? sandboxServer.close(() => r(null)) : r(null)));
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('webhooks and SIGKILL', () => {
  it('an event stored with the status change is delivered after restarts, even when killed mid-delivery', async () => {
    onTestFailed(() => console.error(`backend output (tail):\n${backend?.output().slice(-6_000) ?? ''}`));
    // 1. No delivery in this instance: the event can only be in the database.
    backend = await startBackend({ WEBHOOK_DELIVERY: 'off' });
    const endpoint = await api<{ id: string; secret: string }>('POST', '/api/merchant/webhook-endpoints', {
      url: receiver.url,
      events: ['payment.succeeded'],
    });
    expect(endpoint.status).toBe(201);
    const session = await api<SessionView>('POST', '/api/sessions', {
      amount: 15_000,
      currency: 'KRW',
      customer: { id: 'c1' },
      return_url: 'https://shop.example.com/r',
    });
    const paid = await api<PaymentView>('POST', `/api/sessions/${session.body.id}/payments`, {
      method: 'payco',
      currency: 'KRW',
    });
    expect(paid.status).toBe(201);
    await sandbox.idle();
    await sandbox.decide(DEMO_PROJECT_ID, paid.body.id, 'success');
    await eventually(
      async () => (await api<PaymentView>('GET', `/api/payments/${paid.body.id}`)).body.status === 'success',
      30_000,
    );
    await kill();
    expect(receiver.received).toHaveLength(0);

    // 2. Delivery on; the receiver never answers the first request; killed with it in flight.
    let held = (): void => undefined;
    receiver.respond = (_, i) => (i === 0 ? new Promise<number>((r) => (held = () => r(500))) : 200);
    backend = await startBackend();
    await eventually(() => receiver.received.length === 1, 30_000);
    await kill();
    held();

    // 3. Restarted: the claim lapses, the event goes out again and is delivered.
    backend = await startBackend();
    await eventually(() => receiver.received.length >= 2, 60_000);
    const [first, second] = receiver.received;
    expect(second?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
    const v = await verifyWebhook<PaymentView>(
      second?.body ?? '',
      second?.headers ?? {},
      endpoint.body.secret,
    );
    expect(v.ok).toBe(true);
    expect(v.ok && (v.event as WebhookEvent<PaymentView>)).toMatchObject({
      type: 'payment.succeeded',
      data: { id: paid.body.id, status: 'success' },
    });
    await eventually(async () => {
      const h = await api<{ data: { deliveries: { status: string }[] }[] }>(
        'GET',
        `/api/merchant/payments/${paid.body.id}/webhooks`,
      );
      return h.body.data[0]?.deliveries[0]?.status === 'delivered';
    }, 10_000);
    expect(receiver.received).toHaveLength(2);
  }, 180_000);
});
