import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PaymentView, SessionView } from '../../src/core/api.ts';
import { MIGRATIONS } from '../../src/server/db/migrations.ts';
import { createServer, type BackendServer, type ServerDeps } from '../../src/server/app.ts';
import {
  DEMO_MERCHANT_API_KEY,
  DEMO_PROJECT_ID,
  DEMO_SECRET_KEY,
  loadConfig,
  type ServerConfig,
} from '../../src/server/config.ts';
import { Store } from '../../src/server/store/index.ts';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/app.ts';

const PGLITE_VERSION = '0.5.16';

export const SANDBOX_URL = 'http://127.0.0.1:8790';
export const BACKEND_URL = 'http://127.0.0.1:8787';
export const RETURN_URL = 'https://shop.example.com/checkout?order=42';
export const AUTH = { authorization: `Bearer ${DEMO_MERCHANT_API_KEY}` };

export function testConfig(env: Record<string, string> = {}): ServerConfig {
  return loadConfig({
    DATA_DIR: 'memory://',
    LOG_LEVEL: 'info',
    ECOMMPAY_GATE_URL: SANDBOX_URL,
    ECOMMPAY_PAYMENT_PAGE_URL: `${SANDBOX_URL}/payment`,
    PUBLIC_BASE_URL: BACKEND_URL,
    ALLOWED_ORIGINS: 'https://shop.example.com',
    RATE_LIMIT_PER_MINUTE: '100000',
    // Every test request comes from 127.0.0.1: the failure limits are tested on their own.
    AUTH_FAILURES_PER_MINUTE: '100000',
    REJECTED_CALLBACKS_PER_MINUTE: '100000',
    GATE_TIMEOUT_MS: '2000',
    ...env,
  });
}

/** A fetch that honours `init.signal` even when the target (an in-process app) does not. */
export function abortable(fn: (input: string, init?: RequestInit) => Promise<Response>): typeof fetch {
  return ((input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    const signal = init?.signal;
    if (!signal) return fn(url, init);
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => reject(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      fn(url, init).then(
        (r) => {
          signal.removeEventListener('abort', onAbort);
          resolve(r);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e as Error);
        },
      );
    });
  }) as typeof fetch;
}

/**
 * A fresh in-memory PGlite, migrated. Creating one runs initdb (2 s on an idle machine, 10 s on a busy
 * one); loading a dump of a migrated data dir takes well under a second. So the first test worker makes the
 * dump (keyed by the PGlite version and the migrations) in the temp dir, and everyone else loads it.
 */
export async function newPgliteStore(): Promise<Store> {
  const key = createHash('sha256')
    .update(JSON.stringify([PGLITE_VERSION, MIGRATIONS]))
    .digest('hex')
    .slice(0, 16);
  const file = join(tmpdir(), `ecp-server-tests-pglite-${key}.tar`);
  try {
    const dump = await readFile(file);
    return await Store.fromPglite(await PGlite.create({ loadDataDir: new Blob([dump]) }));
  } catch {
    const client = await PGlite.create();
    const store = await Store.fromPglite(client);
    const dump = await client.dumpDataDir('none');
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
    return store;
  }
}

let sharedStore: Promise<Store> | null = null;

/** One in-memory PGlite per test file; ids are random, so tests share it. */
export function pgliteStore(): Promise<Store> {
  sharedStore ??= newPgliteStore();
  return sharedStore;
}

export interface Stack {
  sandbox: Sandbox;
  server: BackendServer;
  config: ServerConfig;
  logs: string[];
  /** Every response (status, headers, body) the backend gave through `call`. */
  responses: string[];
  /** Every request the backend sent to the Gate (path and parsed body). */
  gateRequests: { path: string; body: Record<string, any> }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  clock: { now: number };
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  json<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T }>;
  createSession(body?: Record<string, unknown>): Promise<SessionView>;
  pay(
    sessionId: string,
    body: Record<string, unknown>,
    key?: string,
  ): Promise<{ status: number; body: PaymentView }>;
  /** Waits for the sandbox to settle, then reads the payment. */
  settle(paymentId: string): Promise<PaymentView>;
  close(): Promise<void>;
}

export interface StackOptions {
  env?: Record<string, string>;
  sandbox?: Partial<SandboxOptions>;
  store?: Store;
  deps?: Partial<ServerDeps>;
  /** Use a given sandbox (two backends, one sandbox). */
  sharedSandbox?: Sandbox;
}

/**
 * The backend wired to the real Gate sandbox in process: the backend's Gate requests go to
 * `sandbox.app.request`, the sandbox's callbacks to `server.app.request`.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const config = testConfig(options.env);
  const logs: string[] = [];
  const responses: string[] = [];
  const gateRequests: Stack['gateRequests'] = [];
  const clock = { now: Date.now() };
  const ref: { server?: BackendServer } = {};
  const sandbox =
    options.sharedSandbox ??
    createSandbox({
      projects: [{ id: DEMO_PROJECT_ID, secret: DEMO_SECRET_KEY }],
      publicUrl: SANDBOX_URL,
      timeScale: 0.001,
      callbackRetry: { maxAttempts: 3, timeoutMs: 5000 },
      fetch: abortable(async (url, init) => {
        if (!ref.server) throw new Error('backend not started');
        return ref.server.app.request(url, init);
      }),
      ...options.sandbox,
    });
  const store = options.store ?? (await pgliteStore());
  const s = await createServer(config, {
    fetch: abortable((url, init) => {
      gateRequests.push({
        path: new URL(url).pathname,
        body: JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>,
      });
      return Promise.resolve(sandbox.app.request(url, init));
    }),
    now: () => clock.now,
    store,
    logSink: (line) => logs.push(line),
    autoSweep: false,
    ...options.deps,
  });
  ref.server = s;

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await s.app.request(`${BACKEND_URL}${path}`, init);
    responses.push(`${res.status} ${JSON.stringify([...res.headers])} ${await res.clone().text()}`);
    return res;
  };
  const json = async <T>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const res = await call(method, path, body, headers);
    return { status: res.status, body: (await res.json()) as T };
  };
  const stack: Stack = {
    sandbox,
    server: s,
    config,
    logs,
    responses,
    gateRequests,
    clock,
    call,
    json,
    async createSession(body = {}) {
      const r = await json<SessionView>(
        'POST',
        '/api/sessions',
        {
          ...(body.prices ? {} : { amount: 10_000, currency: 'PHP' }),
          customer: { id: 'cust-1' },
          return_url: RETURN_URL,
          ...body,
        },
        AUTH,
      );
      if (r.status !== 201) throw new Error(`session: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async pay(sessionId, body, key) {
      return json<PaymentView>(
        'POST',
        `/api/sessions/${sessionId}/payments`,
        body,
        key ? { 'idempotency-key': key } : {},
      );
    },
    async settle(paymentId) {
      await sandbox.idle();
      const r = await json<PaymentView>('GET', `/api/payments/${paymentId}`);
      return r.body;
    },
    async close() {
      if (!options.sharedSandbox) sandbox.close();
      await s.close();
    },
  };
  return stack;
}

export const VOUCHER = { number: '1234567890123456789', expiration: '12/2099', security_code: '1234' };
