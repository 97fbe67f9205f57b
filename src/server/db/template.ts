/**
 * A fresh PGlite database from a template: PGlite's initdb plus the migrations take 5 s on an idle 2-core
 * machine and 20–40 s on a busy one, on every first start (`npm start` on an empty `.data/`, every e2e stack
 * on `memory://`). Loading a dump of an already migrated data dir takes about 1 s. So the first fresh start
 * makes that dump (`dumpDataDir`, an uncompressed tar of ~40 MB) and keeps it in a cache directory; every
 * later fresh start loads it (`loadDataDir`) instead of running initdb. The file's name carries a hash of the
 * PGlite version and of every migration, so a new migration or PGlite makes a new template and never loads
 * a stale one. A data dir that already holds a database is opened as it is; migrations still run on it.
 *
 * PGlite's own options (`dumpDataDir()` / `loadDataDir`) rather than copying files: the same tar serves a
 * directory and `memory://`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from '../logger.ts';
import { PGLITE_SETTINGS, Store } from '../store.ts';
import { MIGRATIONS } from './migrations.ts';

/** Where templates are kept unless PGLITE_TEMPLATE_DIR says otherwise (`off` turns templates off). */
export function defaultTemplateDir(cwd = process.cwd()): string {
  const modules = resolve(cwd, 'node_modules');
  return existsSync(modules)
    ? join(modules, '.cache/ecommpay-checkout')
    : join(tmpdir(), 'ecommpay-checkout-cache');
}

function pgliteVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    // dist/pglite.wasm → the package's package.json one level up.
    const wasm = require.resolve('@electric-sql/pglite/pglite.wasm');
    const pkg = JSON.parse(readFileSync(join(dirname(wasm), '../package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The template's file for this PGlite version and these migrations. */
export function templateFile(dir: string): string {
  const key = createHash('sha256')
    .update(JSON.stringify([pgliteVersion(), MIGRATIONS]))
    .digest('hex')
    .slice(0, 16);
  return join(dir, `pglite-template-${key}.tar`);
}

/** True when `dataDir` holds no database yet (absent, empty, or `memory://` as null). */
export function isFreshDataDir(dataDir: string | null): boolean {
  if (dataDir === null) return true;
  return !existsSync(join(dataDir, 'PG_VERSION'));
}

export interface OpenPgliteOptions {
  /** The template cache; null: no template (initdb as before). */
  templateDir: string | null;
  log?: Logger;
}

/**
 * Opens (and migrates) the PGlite store of `dataDir` (null: in memory). A fresh one is loaded from the
 * template, which is made on the way when missing. Answers how the database came to be, for the start log.
 */
export async function openPgliteStore(
  dataDir: string | null,
  options: OpenPgliteOptions,
): Promise<{ store: Store; created: 'existing' | 'template' | 'initdb' }> {
  const { PGlite } = await import('@electric-sql/pglite');
  const startParams = [...PGlite.defaultStartParams, ...PGLITE_SETTINGS];
  const storeOptions = options.log ? { log: options.log } : {};
  const fresh = isFreshDataDir(dataDir);
  if (!fresh || options.templateDir === null) {
    const store = await Store.open({ kind: 'pglite', dataDir }, storeOptions);
    return { store, created: fresh ? 'initdb' : 'existing' };
  }
  const file = templateFile(options.templateDir);
  // Only a directory this call creates may be removed again after a failed load.
  const madeDir = dataDir !== null && (!existsSync(dataDir) || readdirSync(dataDir).length === 0);
  if (dataDir) mkdirSync(dataDir, { recursive: true });

  if (existsSync(file)) {
    try {
      const dump = new Blob([await readFile(file)]);
      const client = await PGlite.create({
        ...(dataDir ? { dataDir } : {}),
        startParams,
        loadDataDir: dump,
      });
      return { store: await Store.fromPglite(client, storeOptions), created: 'template' };
    } catch (error) {
      // A damaged template (a disk that filled up, a killed writer): drop it and make the database anew.
      options.log?.warn('db.template_unusable', { file, error: String(error) });
      await rm(file, { force: true });
      if (dataDir && madeDir) {
        rmSync(dataDir, { recursive: true, force: true });
        mkdirSync(dataDir, { recursive: true });
      }
    }
  }

  const client = await PGlite.create({ ...(dataDir ? { dataDir } : {}), startParams });
  const store = await Store.fromPglite(client, storeOptions);
  try {
    const dump = await client.dumpDataDir('none');
    mkdirSync(options.templateDir, { recursive: true });
    // Written aside and renamed: two instances starting at once never read a half-written template.
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
    options.log?.info('db.template_saved', { file });
  } catch (error) {
    // The template only saves time: a read-only cache must not stop the server.
    options.log?.warn('db.template_not_saved', { file, error: String(error) });
  }
  return { store, created: 'initdb' };
}
