/** Applies the schema migrations (`../db/migrations.ts`) under an advisory lock, so instances can race. */
import { sql } from 'drizzle-orm';
import { MIGRATION_LOCK_KEY, MIGRATIONS } from '../db/migrations.ts';
import type { Logger } from '../logger.ts';
import { rowsOf, type Driver } from './driver.ts';

/** Applies the migrations not yet recorded; returns their versions. */
export async function migrate(driver: Driver, log: Logger | undefined): Promise<number[]> {
  return driver.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.execute(
      sql`create table if not exists schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())`,
    );
    const done = await tx.execute(sql`select version from schema_migrations`);
    const applied = new Set((rowsOf(done) as { version: number }[]).map((r) => Number(r.version)));
    const ran: number[] = [];
    for (const m of MIGRATIONS) {
      if (applied.has(m.version)) continue;
      for (const s of splitStatements(m.sql)) await tx.execute(sql.raw(s));
      await tx.execute(sql`insert into schema_migrations (version, name) values (${m.version}, ${m.name})`);
      ran.push(m.version);
    }
    if (ran.length > 0) log?.info('db.migrated', { versions: ran, driver: driver.kind });
    return ran;
  });
}

/** Splits a migration into statements (no semicolons inside strings or bodies in ours). */
export function splitStatements(text: string): string[] {
  return text
    .split(/;\s*(?:\n|$)/)
    .map((s) =>
      s
        .split('\n')
        .filter((line) => !line.trim().startsWith('--'))
        .join('\n')
        .trim(),
    )
    .filter((s) => s !== '');
}
