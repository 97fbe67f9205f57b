/** The deployed way to run the backend is the measured way: one set of node flags (scripts/build-server.ts). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { BACKEND_NODE_FLAGS } from '../../scripts/build-server.ts';

it('npm run server:prod runs the compiled backend with the flags the benchmark measures', () => {
  const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const run = pkg.scripts['server:prod']?.split('&&').at(-1)?.trim();
  expect(run).toBe(`node ${BACKEND_NODE_FLAGS.join(' ')} dist/server/server/main.js`);
});
