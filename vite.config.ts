/// <reference types="vitest/config" />
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';

const root = import.meta.dirname;
const r = (p: string) => resolve(root, p);

/** Debian's Chromium (never a downloaded browser); the flags this machine needs. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

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
 * `vite build`               → the demo pages (public/*.html) in dist/demo
 * `vite build --mode lib`    → the npm package's ESM (React external) in dist-lib
 * `vite build --mode embed`  → the script-tag embed (one JS + one CSS, Preact inside) in dist-embed
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
          output: { minify: true },
        },
      },
    };
  }
  if (mode === 'embed') {
    return {
      publicDir: false,
      plugins: [react()],
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
        rolldownOptions: { output: { minify: true } },
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
            include: ['tests/core/**/*.test.ts', 'tests/sandbox/**/*.test.ts', 'tests/server/**/*.test.ts'],
            exclude: ['**/*.dom.test.*', '**/node_modules/**'],
            testTimeout: 20_000,
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
              provider: playwright({ launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS } }),
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
