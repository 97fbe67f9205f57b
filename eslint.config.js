import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'dist-lib',
      'dist-embed',
      'storybook-static',
      'coverage',
      'reports',
      'test-results',
      'playwright-report',
      '.data',
      '.scratch',
      'scripts/bench/widget/node_modules',
      'scripts/bench/widget/dist',
      'scripts/bench/widget/results',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The core runs in browsers, Node and edge runtimes: no React, no node: built-ins.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'src/core must run in browsers and edge runtimes.' },
            {
              group: ['react', 'react-dom', 'react/*', 'preact', 'preact/*'],
              message: 'src/core is framework-free.',
            },
            {
              group: [
                '**/server/**',
                '**/sandbox/**',
                '**/react/**',
                '**/embed/**',
                '**/demo/**',
                '**/shared/**',
              ],
              message: 'src/core depends on nothing above it.',
            },
          ],
        },
      ],
    },
  },
  {
    // The backend: no browser code, nothing from the sandbox (it stands in for ecommpay, not for us).
    files: ['src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/react/**',
                '**/embed/**',
                '**/demo/**',
                'react',
                'react-dom',
                'react/*',
                'preact',
                'preact/*',
              ],
              message: 'No browser code on the server.',
            },
            { group: ['**/sandbox/**'], message: 'src/server imports nothing from src/sandbox.' },
          ],
        },
      ],
    },
  },
  {
    // The Gate sandbox stands in for ecommpay: no browser code, nothing from the backend.
    files: ['src/sandbox/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/react/**',
                '**/embed/**',
                '**/demo/**',
                'react',
                'react-dom',
                'react/*',
                'preact',
                'preact/*',
              ],
              message: 'No browser code in the sandbox.',
            },
            {
              group: ['**/server/**'],
              message:
                'src/sandbox imports nothing from src/server (shared values live in src/shared or src/core).',
            },
          ],
        },
      ],
    },
  },
  {
    // Values shared by the backend and the sandbox: plain data, depending on neither.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/**', '**/sandbox/**', '**/react/**', '**/embed/**', 'react', 'react-dom'],
              message: 'src/shared depends on nothing above it.',
            },
          ],
        },
      ],
    },
  },
);
