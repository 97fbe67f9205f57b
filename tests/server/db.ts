/** Databases for the store suites: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { NewPaymentRow, SessionRow } from '../../src/server/db/schema.ts';
import { newId } from '../../src/server/service/index.ts';
import { Store } from '../../src/server/store/index.ts';
import { newPgliteStore } from './helpers.ts';

export const POSTGRES_URL = process.env.TEST_DATABASE_URL;

/**
 * A fresh database on the test server (one per test file, so files running in parallel never meet),
 * and a function that drops it.
 */
export async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!POSTGRES_URL) throw new Error('TEST_DATABASE_URL is not set');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface Engine {
  name: 'pglite' | 'postgres';
  /** Opens a store (PostgreSQL: a second call opens another instance on the same database). */
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

export function engines(): { name: 'pglite' | 'postgres'; enabled: boolean; make: () => Promise<Engine> }[] {
  return [
    {
      name: 'pglite',
      enabled: true,
      make: async () => {
        let store: Promise<Store> | null = null;
        return {
          name: 'pglite',
          // PGlite is one process: "another instance" is the same store.
          open: () => (store ??= newPgliteStore()),
          cleanup: async () => {
            if (store) await (await store).close();
          },
        };
      },
    },
    {
      name: 'postgres',
      enabled: Boolean(POSTGRES_URL),
      make: async () => {
        const db = await freshPostgres();
        const opened: Store[] = [];
        return {
          name: 'postgres',
          open: async () => {
            const s = await Store.open({ kind: 'postgres', url: db.url });
            opened.push(s);
            return s;
          },
          cleanup: async () => {
            for (const s of opened) await s.close();
            await db.drop();
          },
        };
      },
    },
  ];
}

export function sessionRow(overrides: Partial<SessionRow> = {}): SessionRow {
  const now = new Date();
  return {
    id: newId('ses'),
    prices: [{ currency: 'KRW', amount: 10_000 }],
    customer: { id: 'c1' },
    description: null,
    methods: null,
    returnUrl: 'https://shop.example.com/return',
    locale: null,
    expiresAt: new Date(now.getTime() + 3_600_000),
    createdAt: now,
    ...overrides,
  };
}

export function paymentRow(sessionId: string | null, overrides: Partial<NewPaymentRow> = {}): NewPaymentRow {
  const now = new Date();
  return {
    id: newId('pay'),
    sessionId,
    channel: 'gate',
    type: 'purchase',
    method: 'payco',
    amount: 10_000,
    currency: 'KRW',
    status: 'created',
    version: 1,
    idemScope: sessionId ?? 'payout',
    idempotencyKey: null,
    fingerprint: null,
    customerId: 'c1',
    description: null,
    gateState: 'pending',
    sendAttempts: 1,
    sendingSince: now,
    clarificationSent: false,
    refundedAmount: 0,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}
