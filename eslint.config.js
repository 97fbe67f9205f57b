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
            { group: ['react', 'react-dom', 'react/*'], message: 'src/core is framework-free.' },
            {
              group: ['**/server/**', '**/sandbox/**', '**/react/**'],
              message: 'src/core depends on nothing above it.',
            },
          ],
        },
      ],
    },
  },
  {
    // The server and the sandbox never import browser code.
    files: ['src/server/**/*.ts', 'src/sandbox/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/react/**', '**/embed/**', 'react', 'react-dom'],
              message: 'No browser code on the server.',
            },
          ],
        },
      ],
    },
  },
);
