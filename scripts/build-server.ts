/**
 * The backend as it is deployed: `src/server/main.ts` and what it imports, compiled by tsc to plain
 * JavaScript in `dist/server/` (`npm run build:server`), run on plain node with the flags below
 * (`npm run server:prod`, and the backend of `npm start`). `npm run server` stays the development entry
 * (tsx, no build step). `scripts/bench/backend.mjs` measures this build with these flags by default.
 *
 *   tsx scripts/build-server.ts [--out dist/server]
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
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

/**
 * Compiles the backend into `outDir` (emptied first); returns the entry to run. Throws on syntax errors.
 *
 * File by file (`ts.transpileModule`) over the relative imports reachable from `src/server/main.ts`, not a
 * `ts.createProgram`: a program loads and binds every declaration file the sources reach (node's, hono's,
 * drizzle's), which took 35 s on a busy 2-core machine for each e2e stack, while the emit needs none of it
 * (`isolatedModules` and `verbatimModuleSyntax` in tsconfig.json guarantee that a file compiles alone).
 * Types are the typecheck's business (`npm test -- typecheck`).
 */
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
  const srcDir = join(root, 'src');
  const queue = [join(srcDir, 'server/main.ts')];
  const seen = new Set<string>();
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
      if (ref.fileName.startsWith('.')) queue.push(resolve(dirname(file), ref.fileName));
    }
    const out = join(outDir, relative(srcDir, file)).replace(/\.ts$/, '.js');
    const result = ts.transpileModule(text, {
      compilerOptions: parsed.options,
      fileName: file,
      reportDiagnostics: true,
    });
    if (result.diagnostics?.length) fail(result.diagnostics);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(
      out,
      result.outputText.replace(/\/\/# sourceMappingURL=.*$/m, `//# sourceMappingURL=${basename(out)}.map`),
    );
    if (result.sourceMapText) writeFileSync(`${out}.map`, result.sourceMapText);
  }
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
