/**
 * The database drivers under the store: PGlite (embedded; file-backed, or in memory for tests) and
 * PostgreSQL (`DATABASE_URL`, a pool of node-postgres clients), both behind Drizzle for the typed queries
 * and behind `raw` for the hot statements (prepared once, see `statements.ts`).
 */
import { mkdirSync } from 'node:fs';
import { sql, type ExtractTablesWithRelations, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { PGlite, protocol } from '@electric-sql/pglite';
import type { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { Database } from '../config.ts';
import * as schema from '../db/schema.ts';
import type { Logger } from '../logger.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Exec = Db | Tx;

/**
 * PGlite runs Postgres inside this process, so its buffers are this process's memory. Postgres's default of
 * 128 MB of shared buffers made a third of the backend's RSS; the pages also sit in the OS page cache (a
 * file-backed data dir) or in memory already (memory://), so 16 MB costs no measurable throughput and ~120 MB
 * less RSS (scripts/bench/backend.mjs).
 */
export const PGLITE_SETTINGS = ['-c', 'shared_buffers=16MB'];

export interface Driver {
  kind: 'pglite' | 'postgres';
  db: Db;
  /**
   * One parameterised statement straight to the client, for the hot paths (`statements.ts`). `name` makes
   * it a prepared statement on PostgreSQL (parsed and planned once per connection); on PGlite it is parsed
   * once under its name too (`preparedStatements` below).
   */
  raw(name: string, text: string, params: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** Opens the database `database` names (no migrations: see `migrate.ts`). */
export async function openDriver(database: Database, log: Logger | undefined): Promise<Driver> {
  if (database.kind === 'postgres') {
    const { default: pg } = await import('pg');
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const pool = new pg.Pool({ connectionString: database.url, max: 10 });
    pool.on('error', (error) => log?.error('db.pool_error', { error: error.message }));
    const db = drizzle({ client: pool, schema }) as unknown as Db;
    const raw = async (name: string, text: string, values: unknown[]) =>
      (await pool.query<Record<string, unknown>>({ name, text, values })).rows;
    return { kind: 'postgres', db, raw, close: () => pool.end() };
  }
  const { PGlite, protocol } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  if (database.dataDir) mkdirSync(database.dataDir, { recursive: true });
  const startParams = [...PGlite.defaultStartParams, ...PGLITE_SETTINGS];
  const client = database.dataDir
    ? await PGlite.create({ dataDir: database.dataDir, startParams })
    : await PGlite.create({ startParams });
  return pgliteDriver(client, drizzle, protocol.serialize);
}

/** A driver over an open PGlite (e.g. one loaded from a data-dir dump); `close()` closes it. */
export async function pgliteDriverOf(client: PGlite): Promise<Driver> {
  const { drizzle } = await import('drizzle-orm/pglite');
  const { protocol } = await import('@electric-sql/pglite');
  return pgliteDriver(client, drizzle, protocol.serialize);
}

function pgliteDriver(
  client: PGlite,
  drizzle: typeof drizzlePglite,
  serialize: typeof protocol.serialize,
): Driver {
  const db = drizzle({ client: parsersOnce(client), schema }) as unknown as Db;
  return { kind: 'pglite', db, raw: preparedStatements(client, serialize), close: () => client.close() };
}

/**
 * A hot statement's text (`$1`, `$2`, … placeholders) as a Drizzle `sql` chunk, to run the same statement
 * inside a transaction (`tx.execute`), where `raw` cannot go: one text for each statement, whichever way
 * it is run.
 */
export function statement(text: string, params: readonly unknown[]): SQL {
  const parts = text.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    chunks.push(i % 2 === 0 ? sql.raw(part) : sql`${params[Number(part) - 1] ?? null}`);
  }
  return sql.join(chunks);
}

/** `execute` answers `{rows}` on both drivers (the HKT types it as unknown). */
export function rowsOf(result: unknown): unknown[] {
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? rows : [];
}

/**
 * Named prepared statements on PGlite. Its `query` sends Parse, Describe, Bind, Describe, Execute and Sync
 * as five separate calls into the WASM engine and has Postgres parse and plan the statement every time; a
 * hot statement here is parsed once (under its name, on the first call), and each call after is a single
 * Bind + Describe + Execute + Sync in one call. Same wire protocol, same results (PGlite's own parsers
 * read the values). It waits for the same locks as `query`, so it never runs inside another caller's
 * transaction.
 */
function preparedStatements(client: PGlite, serialize: typeof protocol.serialize): Driver['raw'] {
  const parsed = new Set<string>();
  const exclusive = <T>(fn: () => Promise<T>) =>
    client._runExclusiveTransaction(() => client._runExclusiveQuery(fn));
  return (name, text, params) =>
    exclusive(async () => {
      if (!parsed.has(name)) {
        await client.execProtocol(concat([serialize.parse({ name, text }), serialize.sync()]));
        parsed.add(name);
      }
      const { messages } = await client.execProtocol(
        concat([
          serialize.bind({ statement: name, values: params.map(toText) }),
          serialize.describe({ type: 'P' }),
          serialize.execute({}),
          serialize.sync(),
        ]),
      );
      let fields: { name: string; dataTypeID: number }[] = [];
      const rows: Record<string, unknown>[] = [];
      for (const m of messages) {
        if (m.name === 'rowDescription') fields = (m as unknown as { fields: typeof fields }).fields;
        else if (m.name === 'dataRow') {
          const values = (m as unknown as { fields: (string | null)[] }).fields;
          const row: Record<string, unknown> = {};
          for (let i = 0; i < fields.length; i++) {
            const f = fields[i] as { name: string; dataTypeID: number };
            const v = values[i];
            const parse = client.parsers[f.dataTypeID];
            row[f.name] = v === null || v === undefined ? null : parse ? parse(v, f.dataTypeID) : v;
          }
          rows.push(row);
        }
      }
      return rows;
    });
}

/** A parameter in Postgres's text format (every hot statement casts its parameters to their types). */
function toText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

type QueryFn = (
  query: string,
  params?: unknown[],
  options?: { parsers?: Record<number, unknown> },
) => unknown;

/**
 * drizzle-orm hands PGlite the same result parsers with every query (timestamps and intervals as text), and
 * PGlite copies its whole map of ~320 parsers to merge them, for every result: about 70 µs a query, a fifth
 * of what storing a callback costs. This puts drizzle's parsers on the client once and leaves them out of
 * each query (in transactions too); the rows are the same.
 */
function parsersOnce<T extends object>(
  client: T,
  parsers = (client as { parsers?: Record<number, unknown> }).parsers,
): T {
  if (!parsers) return client;
  return new Proxy(client, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (prop === 'query') {
        const query = value as QueryFn;
        return (sqlText: string, params?: unknown[], options?: { parsers?: Record<number, unknown> }) => {
          if (!options?.parsers) return query.call(target, sqlText, params, options);
          Object.assign(parsers, options.parsers);
          return query.call(target, sqlText, params, { ...options, parsers: undefined });
        };
      }
      if (prop === 'transaction') {
        const transaction = value as (fn: (tx: object) => unknown) => unknown;
        return (fn: (tx: object) => unknown) =>
          transaction.call(target, (tx) => fn(parsersOnce(tx, parsers)));
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}
