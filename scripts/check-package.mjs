#!/usr/bin/env node
// Checks what `npm pack` ships and that a consumer can use it: builds the package, lists the tarball's
// files (the entries every export points at must be there; sources, tests, data and build leftovers must
// not), checks that no browser file carries the demo secret, then installs the tarball into a scratch
// consumer (dependencies linked from this repo's node_modules, offline) and typechecks and imports each
// export. Prints one line per check and "N passed, N failed"; exits non-zero on any failure.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const results = [];
const check = (name, ok, detail = '') => {
  results.push(ok);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
};

if (!process.argv.includes('--no-build')) {
  for (const s of ['build:lib', 'build:embed']) {
    const r = spawnSync('npm', ['run', '-s', s], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) process.exit(1);
  }
}

const packJson = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', join(root, 'reports')], {
    cwd: root,
    encoding: 'utf8',
  }),
);
const pack = packJson[0];
const files = new Set(pack.files.map((f) => f.path));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// Every path the exports map names exists in the tarball.
const targets = [];
for (const [, v] of Object.entries(pkg.exports)) {
  if (typeof v === 'string') targets.push(v);
  else targets.push(...Object.values(v));
}
for (const t of targets.filter((t) => !t.includes('*'))) {
  check(`tarball has ${t}`, files.has(t.replace(/^\.\//, '')));
}
check(
  'tarball has the embed',
  files.has('dist-embed/ecommpay-checkout.js') && files.has('dist-embed/ecommpay-checkout.css'),
);
check('tarball has README.md', files.has('README.md'));
const stray = [...files].filter(
  (f) =>
    /^(src|tests|e2e|stories|scripts|public|reports|\.data|node_modules|storybook-static|dist\/)/.test(f) ||
    /\.test\./.test(f),
);
check('tarball has no sources, tests or data', stray.length === 0, stray.slice(0, 5).join(', '));
check(
  `tarball size ${(pack.size / 1024).toFixed(0)} KB packed, ${pack.files.length} files`,
  pack.size < 2 * 1024 * 1024,
);

// No browser-facing file carries a secret (the demo key stands for any key: the server never hands it out).
const { DEMO_SECRET_KEY } = await import(join(root, 'dist-lib/server/server/config.js'));
// Everything a browser may load: the components, the core, the embed and its locales (not ./server).
const browserFiles = [...files].filter(
  (f) => /^dist-(lib|embed)\//.test(f) && !f.startsWith('dist-lib/server/') && /\.(js|css|json|ts)$/.test(f),
);
const leaking = browserFiles.filter((f) => readFileSync(join(root, f), 'utf8').includes(DEMO_SECRET_KEY));
check(
  `none of ${browserFiles.length} browser files contains the secret key`,
  browserFiles.length > 10 && leaking.length === 0,
  leaking.join(', '),
);
const bundles = browserFiles.filter((f) => f.endsWith('.js'));
const nodeOnly = bundles.filter((f) =>
  /from\s*["']node:|require\(["']node:|import\(["']node:/.test(readFileSync(join(root, f), 'utf8')),
);
check(
  `none of ${bundles.length} browser bundles imports a node: module`,
  bundles.length > 5 && nodeOnly.length === 0,
  nodeOnly.join(', '),
);

// A consumer: install the tarball, link the dependencies, typecheck and import.
const consumer = join(root, 'reports/pack-consumer');
rmSync(consumer, { recursive: true, force: true });
mkdirSync(join(consumer, 'node_modules/ecommpay-checkout'), { recursive: true });
execFileSync('tar', [
  '-xzf',
  join(root, 'reports', pack.filename),
  '-C',
  join(consumer, 'node_modules/ecommpay-checkout'),
  '--strip-components=1',
]);
for (const dep of [
  'react',
  'react-dom',
  'scheduler',
  'csstype',
  'react-hook-form',
  'zod',
  'lossless-json',
  'papaparse',
  'hono',
  'drizzle-orm',
  'pg',
  'typescript',
  '@types',
  '@tanstack',
  '@hono',
  '@electric-sql',
]) {
  if (existsSync(join(root, 'node_modules', dep)))
    symlinkSync(join(root, 'node_modules', dep), join(consumer, 'node_modules', dep));
}
writeFileSync(
  join(consumer, 'package.json'),
  JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2),
);
writeFileSync(
  join(consumer, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'bundler',
      jsx: 'react-jsx',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      lib: ['ES2022', 'DOM'],
      types: ['node'],
    },
    include: ['app.tsx', 'server.ts', 'styles.d.ts'],
  }),
);
writeFileSync(
  join(consumer, 'app.tsx'),
  `import { Checkout, MethodForm, PayoutForm, type CheckoutProps } from 'ecommpay-checkout';
import { catalog, createCheckout, formatMoney, type CheckoutController, type PaymentView } from 'ecommpay-checkout/core';
import 'ecommpay-checkout/styles.css';
const props: CheckoutProps = { sessionId: 's', apiBaseUrl: '/', onComplete: (p: PaymentView) => void p.status };
export const app = <Checkout {...props} />;
export const payout = <PayoutForm method="grabpay" onSubmit={async (a) => void a.number} />;
export const form = <MethodForm method="jeton" options={[{ currency: 'EUR', amount: 2500 }]} onSubmit={(s) => void s.fields} />;
export const text: string = formatMoney(2000, 'PHP') + catalog.get('grabpay').name;
export const controller: CheckoutController = createCheckout({ sessionId: 's', apiBaseUrl: '/', autoStart: false });
`,
);
writeFileSync(
  join(consumer, 'server.ts'),
  `import { createServer, loadConfig, type ServerConfig } from 'ecommpay-checkout/server';
const config: ServerConfig = loadConfig({ DATA_DIR: 'memory://' });
export const server = createServer(config, { autoSweep: false });
`,
);
writeFileSync(join(consumer, 'styles.d.ts'), "declare module '*.css';\n");
const tsc = spawnSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', consumer, '--pretty', 'false'],
  {
    encoding: 'utf8',
  },
);
check(
  'consumer typechecks against the shipped types',
  tsc.status === 0,
  (tsc.stdout + tsc.stderr).trim().split('\n').slice(0, 5).join(' | '),
);

const run = spawnSync(
  process.execPath,
  [
    '--input-type=module',
    '-e',
    `const core = await import('ecommpay-checkout/core');
     if (core.catalog.check('grabpay', 1999, 'PHP')?.message !== 'GrabPay PHP minimum is 20.00') throw new Error('core');
     const { createServer, loadConfig } = await import('ecommpay-checkout/server');
     const s = await createServer(loadConfig({ DATA_DIR: 'memory://', LOG_LEVEL: 'error' }), { autoSweep: false, logSink: () => {} });
     const r = await s.app.request('/api/health');
     await s.close();
     if (r.status !== 200) throw new Error('health ' + r.status);
     const react = await import('ecommpay-checkout');
     if (typeof react.Checkout !== 'function') throw new Error('Checkout');
     // The flow is the core controller's: ./core has it, the components' entry has no reducers or internals.
     if (typeof core.createCheckout !== 'function') throw new Error('core.createCheckout');
     if (typeof react.useCheckoutController !== 'function') throw new Error('useCheckoutController');
     for (const internal of ['flowReducer', 'initialFlow', 'paymentKey', 'sessionKey', 'useLatest', 'schemaResolver'])
       if (internal in react) throw new Error('internal export: ' + internal);
     console.log('imports ok');`,
  ],
  { cwd: consumer, encoding: 'utf8' },
);
check(
  'consumer imports ./core, ./server and the components in Node',
  run.status === 0,
  (run.stderr || '').trim().split('\n').slice(-3).join(' | '),
);

const passed = results.filter(Boolean).length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
