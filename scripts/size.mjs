#!/usr/bin/env node
// `npm run size`: raw, gzip and brotli sizes of the script-tag embed (JS + CSS, budget 60 KB gzip) and of
// what <Checkout> adds to an empty React app (budget 40 KB gzip). Builds what it measures. Fails over budget.
// Writes reports/size.json for the benchmark report.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'vite';
import react from '@vitejs/plugin-react';

const root = resolve(import.meta.dirname, '..');
const KB = 1024;
const BUDGET = { embed: 60 * KB, libraryDelta: 40 * KB };

function sizes(buf) {
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}
const add = (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });
const fmt = (n) => `${(n / KB).toFixed(1)} KB`;
const row = (name, s) => `${name.padEnd(34)} ${fmt(s.raw).padStart(10)} ${fmt(s.gzip).padStart(10)} ${fmt(s.brotli).padStart(10)}`;

function run(args) {
  const r = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), ...args, '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!process.argv.includes('--no-build')) {
  run(['build', '--mode', 'embed']);
  run(['build', '--mode', 'lib']);
}

const embedJs = sizes(readFileSync(join(root, 'dist-embed/ecommpay-checkout.js')));
const embedCss = sizes(readFileSync(join(root, 'dist-embed/ecommpay-checkout.css')));
const embed = add(embedJs, embedCss);

/** Builds a one-file app the way a merchant's Vite app would, and sums its JS + CSS. */
async function appSize(entry, outDir) {
  await build({
    configFile: false,
    publicDir: false,
    logLevel: 'warn',
    root,
    plugins: [react()],
    resolve: {
      alias: [
        { find: /^ecommpay-checkout\/styles\.css$/, replacement: join(root, 'dist-lib/styles.css') },
        { find: /^ecommpay-checkout$/, replacement: join(root, 'dist-lib/index.js') },
      ],
    },
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      outDir,
      emptyOutDir: true,
      lib: { entry, formats: ['es'], fileName: 'app', cssFileName: 'app' },
      rolldownOptions: { output: { minify: true } },
    },
  });
  // What the page loads up front: the entry chunk and the CSS. Lazy chunks (the other locales) load on demand.
  let total = { raw: 0, gzip: 0, brotli: 0 };
  for (const f of readdirSync(outDir)) if (f === 'app.js' || f.endsWith('.css')) total = add(total, sizes(readFileSync(join(outDir, f))));
  return total;
}

const out = join(root, 'reports/size');
mkdirSync(out, { recursive: true });
const empty = await appSize(join(root, 'scripts/size/empty-app.tsx'), join(out, 'empty-app'));
const withCheckout = await appSize(join(root, 'scripts/size/checkout-app.tsx'), join(out, 'checkout-app'));
const delta = { raw: withCheckout.raw - empty.raw, gzip: withCheckout.gzip - empty.gzip, brotli: withCheckout.brotli - empty.brotli };

console.log(`\n${'bundle'.padEnd(34)} ${'raw'.padStart(10)} ${'gzip'.padStart(10)} ${'brotli'.padStart(10)}`);
console.log(row('embed ecommpay-checkout.js', embedJs));
console.log(row('embed ecommpay-checkout.css', embedCss));
console.log(row('embed JS + CSS', embed) + `   budget ${fmt(BUDGET.embed)} gzip`);
console.log(row('empty React app', empty));
console.log(row('React app + <Checkout>', withCheckout));
console.log(row('library delta (<Checkout>)', delta) + `   budget ${fmt(BUDGET.libraryDelta)} gzip`);

const report = { embed: { js: embedJs, css: embedCss, total: embed }, emptyApp: empty, checkoutApp: withCheckout, libraryDelta: delta, budget: BUDGET };
writeFileSync(join(root, 'reports/size.json'), JSON.stringify(report, null, 2));

const over = [];
if (embed.gzip > BUDGET.embed) over.push(`embed ${fmt(embed.gzip)} gzip > ${fmt(BUDGET.embed)}`);
if (delta.gzip > BUDGET.libraryDelta) over.push(`library delta ${fmt(delta.gzip)} gzip > ${fmt(BUDGET.libraryDelta)}`);
if (over.length) {
  console.error(`\nOVER BUDGET: ${over.join('; ')}`);
  process.exit(1);
}
console.log('\nWithin budget.');
