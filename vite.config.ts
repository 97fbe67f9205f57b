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

/** The package's `./styles.css`: the widget's stylesheet as written (it has no imports to resolve). */
function copyStyles(): Plugin {
  return {
    name: 'ecp-copy-styles',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'styles.css',
        source: readFileSync(r('src/react/styles.css'), 'utf8'),
      });
    },
  };
}

/**
 * The embed is one IIFE file, which cannot split off lazy chunks. So, in the embed build only,
 * `src/react/i18n/loaders.ts` (an `import()` per language) becomes `src/embed/locales.ts`, which fetches
 * `locales/<lang>.json` next to the script; those files are written here from the same locale modules.
 * (The forms' `import()` in `src/react/useLazy.ts` is inlined by the IIFE build: no module is swapped.)
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
 * `vite build`               → the demo pages (public/*.html) in dist/demo
 * `vite build --mode lib`    → the npm package's ESM (React external) in dist-lib
 * `vite build --mode embed`  → the script-tag embed (one JS + one CSS, Preact inside; locales/*.json) in dist-embed
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
            /^@hookform\//,
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
      plugins: [react(), embedSplits()],
      resolve: { alias: preactAliases },
      define: { 'process.env.NODE_ENV': JSON.stringify('production') },
      build: {
        outDir: r('dist-embed'),
        emptyOutDir: true,
        cssCodeSplit: false,
        lib: {
          entry: r('src/embed/index.tsx'),
          formats: ['iife'],
          name: 'EcommpayCheckout',
          fileName: () => 'ecommpay-checkout.js',
          cssFileName: 'ecommpay-checkout',
        },
        rolldownOptions: { output: { minify: process.env.EMBED_NO_MINIFY !== '1' } },
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
