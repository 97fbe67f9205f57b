/**
 * The backend as it is deployed: `src/server/main.ts` and what it imports, compiled by tsc to plain
 * JavaScript in `dist/server/` (`npm run build:server`), run on plain node with the flags below
 * (`npm run server:prod`, and the backend of `npm start`). `npm run server` stays the development entry
 * (tsx, no build step). `scripts/bench/backend.mjs` measures this build with these flags by default.
 *
 *   tsx scripts/build-server.ts [--out dist/server]
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');

/**
 * node flags of the backend process. Its memory is node itself (~45 MB), PGlite's WASM heap (128 MB, the
 * module's fixed minimum, nearly all of it touched once Postgres runs) and V8's heap; only V8's part can
 * be tuned. Under load V8 lets the young generation grow to 3 × 16 MB semi-spaces and the old generation
 * to several times the ~30–60 MB that survive a collection, which put the backend at 250–370 MB after
 * 10,000 payments. 4 MB semi-spaces (scavenges are cheap: nearly everything a request allocates is dead by
 * the next one) and a 128 MB old generation keep it near 215 MB for ~5 % more CPU; the old-generation cap
 * stays twice the largest live heap measured, so that many held long-polls still fit (a 64 MB cap cost
 * 20–50 % more CPU in garbage collection). Measured with `node scripts/bench/backend.mjs`
 * (scripts/bench/backend-notes.md).
 */
export const BACKEND_NODE_FLAGS = ['--max-old-space-size=128', '--max-semi-space-size=4'];

/** The compiled entry for an output directory. */
export const serverEntry = (outDir: string) => join(outDir, 'server/main.js');

/** Compiles the backend into `outDir` (emptied first); returns the entry to run. Throws on syntax errors. */
export function buildServer(outDir = join(root, 'dist/server')): string {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.server.json'),
    {
      outDir,
      rootDir: join(root, 'src'),
      declaration: false,
      sourceMap: true,
      noEmit: false,
      incremental: false,
    },
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail([d]) },
  );
  if (!parsed) throw new Error('tsconfig.server.json could not be read');
  rmSync(outDir, { recursive: true, force: true });
  // Type errors are the typecheck's business (`npm test -- typecheck`); only what stops the emit fails here.
  const program = ts.createProgram([join(root, 'src/server/main.ts')], parsed.options);
  const syntax = program.getSyntacticDiagnostics();
  if (syntax.length > 0) fail(syntax);
  const result = program.emit();
  if (result.emitSkipped) fail(result.diagnostics);
  return serverEntry(outDir);
}

function fail(diagnostics: readonly ts.Diagnostic[]): never {
  throw new Error(
    ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => root,
      getNewLine: () => '\n',
    }),
  );
}

if (import.meta.filename === process.argv[1]) {
  const i = process.argv.indexOf('--out');
  const out = i > 0 && process.argv[i + 1] ? resolve(process.argv[i + 1] as string) : undefined;
  const started = performance.now();
  const entry = buildServer(out);
  console.log(`backend compiled to ${entry} in ${Math.round(performance.now() - started)} ms`);
}
