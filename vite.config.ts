/// <reference types="vitest/config" />
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/lib/chromium.mjs';

const root = import.meta.dirname;
const r = (p: string) => resolve(root, p);

/** preact/compat in place of React, in the script-tag embed only (as Adyen Web does): ~4 KB instead of ~60 KB. */
const preactAliases = [
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-dev-runtime' },
  { find: /^react$/, replacement: 'preact/compat' },
];

/** The package's `./styles.css`: the widget's stylesheet and the payout pieces', as written (no imports to resolve). */
function copyStyles(): Plugin {
  return {
    name: 'ecp-copy-styles',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'styles.css',
        source: ['src/react/styles.css', 'src/react/payouts/payouts.css']
          .map((f) => readFileSync(r(f), 'utf8'))
          .join('\n'),
      });
    },
  };
}

/**
 * The embed's languages other than English are `locales/<lang>.json` next to the script, fetched by
 * `src/embed/locales.ts`, which replaces `src/react/i18n/loaders.ts` (an `import()` of a module per
 * language) in the embed build only: a JSON file needs no script evaluation and no CSP script source.
 * The files are written here from the same locale modules.
 */
function embedSplits(): Plugin {
  const swaps = new Map([[r('src/react/i18n/loaders.ts'), r('src/embed/locales.ts')]]);
  const localesDir = r('src/react/i18n/locales');
  return {
    name: 'ecp-embed-splits',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer || !source.startsWith('.')) return null;
      return swaps.get(resolve(dirname(importer), source)) ?? null;
    },
    async generateBundle() {
      const { tsImport } = await import('tsx/esm/api');
      for (const file of readdirSync(localesDir).filter((f) => f.endsWith('.ts'))) {
        const mod = (await tsImport(pathToFileURL(resolve(localesDir, file)).href, import.meta.url)) as {
          default: Record<string, string>;
        };
        this.emitFile({
          type: 'asset',
          fileName: `locales/${basename(file, '.ts')}.json`,
          source: JSON.stringify(mod.default),
        });
      }
    },
  };
}

/**
 * The two-stage embed (docs/architecture.md → Embed). One ES-module build with code splitting:
 *  - `ecommpay-checkout.js`, the loader (`src/embed/index.ts`): the page's classic `<script src>`. It has no
 *    static import or export, so it runs as a classic script; this plugin checks that, wraps it in a function
 *    (no globals but `EcommpayCheckout`) and writes into it the file names of the two stages, which it
 *    starts loading at once (`<link rel="modulepreload">`, then `import()` relative to the loader's URL).
 *  - stage one (`src/embed/app.tsx`, its chunk and the chunks it imports): Preact, the core controller, the
 *    list, the amounts and the Pay button;
 *  - stage two (`src/react/lazy.ts`, `import()`ed by `useLazy`): the forms with react-hook-form and zod.
 */
function embedStages(): Plugin {
  const APP = r('src/embed/app.tsx');
  const FORMS = r('src/react/lazy.ts');
  return {
    name: 'ecp-embed-stages',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
      const byModule = (id: string) => chunks.find((c) => c.facadeModuleId === id);
      /** A chunk and every chunk it imports statically, the chunk itself first. */
      const closure = (id: string): string[] => {
        const out: string[] = [];
        const visit = (name: string) => {
          if (out.includes(name)) return;
          out.push(name);
          for (const dep of chunks.find((c) => c.fileName === name)?.imports ?? []) visit(dep);
        };
        const c = byModule(id);
        if (!c) throw new Error(`embed build: no chunk for ${id}`);
        visit(c.fileName);
        return out;
      };
      const loader = chunks.find((c) => c.isEntry);
      if (!loader || loader.fileName !== 'ecommpay-checkout.js') throw new Error('embed build: no loader');
      if (loader.imports.length || loader.exports.length)
        throw new Error(
          `embed build: the loader must not import or export statically (${[...loader.imports, ...loader.exports]})`,
        );
      const stages = JSON.stringify(JSON.stringify({ app: closure(APP), forms: closure(FORMS) }));
      const placeholder = /(["'`])__ECP_STAGES__\1/;
      if (!placeholder.test(loader.code)) throw new Error('embed build: no stage placeholder');
      loader.code = `(function(){${loader.code.replace(placeholder, () => stages)}})();\n`;
    },
  };
}

/**
 * `vite build`               → the demo pages (public/*.html) in dist/demo
 * `vite build --mode lib`    → the npm package's ESM (React external) in dist-lib
 * `vite build --mode embed`  → the script-tag embed (a classic loader, ES-module stages, one CSS, Preact
 *                               inside; locales/*.json) in dist-embed
 */
export default defineConfig(({ mode }): UserConfig => {
  if (mode === 'lib') {
    return {
      publicDir: false,
      plugins: [react(), copyStyles()],
      build: {
        outDir: r('dist-lib'),
        emptyOutDir: true,
        sourcemap: true,
        cssCodeSplit: false,
        lib: {
          entry: { index: r('src/react/index.ts'), core: r('src/core/index.ts') },
          formats: ['es'],
          cssFileName: 'styles',
        },
        rolldownOptions: {
          external: [
            /^react($|\/)/,
            /^react-dom($|\/)/,
            /^@tanstack\/react-query/,
            /^react-hook-form/,
            /^lossless-json($|\/)/,
            /^zod($|\/)/,
          ],
          // One file per module: a merchant's bundler can then leave <Checkout>'s lazily loaded forms out
          // of the app's first load and drop every piece the app does not import (a bundled chunk is all or
          // nothing). The entries keep their names: dist-lib/index.js, dist-lib/core.js.
          output: { minify: true, preserveModules: true, preserveModulesRoot: r('src') },
        },
      },
    };
  }
  if (mode === 'embed') {
    return {
      publicDir: false,
      plugins: [react(), embedSplits(), embedStages()],
      resolve: { alias: preactAliases },
      define: { 'process.env.NODE_ENV': JSON.stringify('production') },
      build: {
        outDir: r('dist-embed'),
        emptyOutDir: true,
        cssCodeSplit: false,
        modulePreload: false,
        target: 'es2022',
        lib: {
          entry: { 'ecommpay-checkout': r('src/embed/index.ts') },
          formats: ['es'],
          cssFileName: 'ecommpay-checkout',
        },
        rolldownOptions: {
          output: {
            minify: process.env.EMBED_NO_MINIFY !== '1',
            entryFileNames: '[name].js',
            // Hashed: a new release never mixes with a cached chunk of the last one (the loader, which
            // names them, is the one file served without a hash).
            chunkFileNames: 'ecommpay-checkout.[name]-[hash].js',
          },
        },
      },
    };
  }
  return {
    root: r('public'),
    publicDir: r('public/static'),
    plugins: [react()],
    server: { port: 5173, host: '127.0.0.1' },
    build: {
      outDir: r('dist/demo'),
      emptyOutDir: true,
      rolldownOptions: {
        input: { index: r('public/index.html'), console: r('public/console.html') },
      },
    },
    test: {
      root,
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            root,
            environment: 'node',
            include: [
              'tests/core/**/*.test.ts',
              'tests/sandbox/**/*.test.ts',
              'tests/server/**/*.test.ts',
              'tests/scripts/**/*.test.ts',
              'tests/methods/**/*.test.ts',
            ],
            exclude: ['**/*.dom.test.*', '**/node_modules/**'],
            // Property tests (fast-check) took 30 s with both cores busy: 20 s was an idle machine's bound.
            testTimeout: 90_000,
          },
        },
        {
          // Fault injection (concurrency, SIGKILL, Gate outages) and fuzzing of every endpoint: slower.
          extends: true,
          test: {
            name: 'faults',
            root,
            environment: 'node',
            include: ['tests/faults/**/*.test.ts', 'tests/fuzz/**/*.test.ts'],
            testTimeout: 120_000,
            hookTimeout: 120_000,
          },
        },
        {
          extends: true,
          test: {
            name: 'dom',
            root,
            environment: 'jsdom',
            include: ['tests/**/*.dom.test.{ts,tsx}'],
            setupFiles: ['./tests/setup-dom.ts'],
            // Vitest's default of 5 s is an idle machine's bound for a user-event flow in jsdom.
            testTimeout: 30_000,
          },
        },
        {
          extends: true,
          plugins: [storybookTest({ configDir: r('.storybook') })],
          test: {
            name: 'storybook',
            root,
            browser: {
              enabled: true,
              headless: true,
              provider: playwright({ launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS } }),
              instances: [{ browser: 'chromium' }],
            },
          },
        },
      ],
      coverage: {
        provider: 'v8',
        include: ['src/core/**/*.ts'],
        reporter: ['text-summary', 'json-summary'],
        reportsDirectory: 'reports/coverage',
        thresholds: { lines: 90 },
      },
    },
  };
});
