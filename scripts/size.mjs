#!/usr/bin/env node
// `npm run size`: raw, gzip and brotli sizes of the script-tag embed (JS + CSS, budget 60 KB gzip) and of
// what <Checkout> adds to an empty React app (budget 40 KB gzip). Builds what it measures. Fails over budget.
// Writes reports/size.json for the benchmark report.
//
// Checked against the budgets: what a page must load before the widget can show anything —
//   embed:   ecommpay-checkout.js + ecommpay-checkout.css (the locale files load only for their language);
//   library: the app's entry chunk, every chunk it imports statically, and the CSS (lazy chunks — the
//            method forms, the other locales — load after the first paint).
// Also printed, not checked: the embed's locale files; the library with its lazy chunks but the locales (what
// a checkout in English loads in all) and with every lazy chunk.
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
const ZERO = { raw: 0, gzip: 0, brotli: 0 };
const add = (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });
const sub = (a, b) => ({ raw: a.raw - b.raw, gzip: a.gzip - b.gzip, brotli: a.brotli - b.brotli });
/** Each file compressed on its own, as it travels. */
const sumFiles = (dir, files) => files.reduce((t, f) => add(t, sizes(readFileSync(join(dir, f)))), ZERO);
const fmt = (n) => `${(n / KB).toFixed(1)} KB`;
const row = (name, s) =>
  `${name.padEnd(40)} ${fmt(s.raw).padStart(10)} ${fmt(s.gzip).padStart(10)} ${fmt(s.brotli).padStart(10)}`;

function run(args) {
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), ...args, '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!process.argv.includes('--no-build')) {
  run(['build', '--mode', 'embed']);
  run(['build', '--mode', 'lib']);
}

// ── the script-tag embed ───────────────────────────────────────────────────────────────────────────────
const embedDir = join(root, 'dist-embed');
const embedJs = sizes(readFileSync(join(embedDir, 'ecommpay-checkout.js')));
const embedCss = sizes(readFileSync(join(embedDir, 'ecommpay-checkout.css')));
const embed = add(embedJs, embedCss);
const localeFiles = readdirSync(join(embedDir, 'locales')).filter((f) => f.endsWith('.json'));
const locales = Object.fromEntries(
  localeFiles.map((f) => [f.replace(/\.json$/, ''), sizes(readFileSync(join(embedDir, 'locales', f)))]),
);
const localesTotal = Object.values(locales).reduce(add, ZERO);

// ── the npm package in a merchant's app ────────────────────────────────────────────────────────────────
/**
 * Builds a one-file app the way a merchant's Vite app would. `initial`: the entry chunk, the chunks it
 * imports statically (transitively) and the CSS; `total`: every file, lazy chunks included.
 */
async function appSize(entry, outDir) {
  const result = await build({
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
      sourcemap: true,
      rolldownOptions: { output: { minify: true } },
    },
  });
  const output = (Array.isArray(result) ? result[0] : result).output;
  const chunks = new Map(output.filter((o) => o.type === 'chunk').map((c) => [c.fileName, c]));
  const css = output.filter((o) => o.type === 'asset' && o.fileName.endsWith('.css')).map((a) => a.fileName);
  const initial = new Set();
  const visit = (name) => {
    if (initial.has(name)) return;
    initial.add(name);
    for (const dep of chunks.get(name)?.imports ?? []) visit(dep);
  };
  for (const c of chunks.values()) if (c.isEntry) visit(c.fileName);
  const lazy = [...chunks.keys()].filter((f) => !initial.has(f));
  // The other languages' chunks: one loads, for its language only.
  const isLocale = (f) => /\/i18n\/locales\//.test(chunks.get(f)?.facadeModuleId ?? '');
  return {
    initial: sumFiles(outDir, [...initial, ...css]),
    english: sumFiles(outDir, [...initial, ...css, ...lazy.filter((f) => !isLocale(f))]),
    total: sumFiles(outDir, [...chunks.keys(), ...css]),
    files: { initial: [...initial, ...css], lazy },
  };
}

const out = join(root, 'reports/size');
mkdirSync(out, { recursive: true });
const empty = await appSize(join(root, 'scripts/size/empty-app.tsx'), join(out, 'empty-app'));
const app = await appSize(join(root, 'scripts/size/checkout-app.tsx'), join(out, 'checkout-app'));
const delta = sub(app.initial, empty.initial);
const deltaEnglish = sub(app.english, empty.english);
const deltaTotal = sub(app.total, empty.total);

console.log(`\n${'bundle'.padEnd(40)} ${'raw'.padStart(10)} ${'gzip'.padStart(10)} ${'brotli'.padStart(10)}`);
console.log(row('embed ecommpay-checkout.js', embedJs));
console.log(row('embed ecommpay-checkout.css', embedCss));
console.log(row('embed JS + CSS', embed) + `   budget ${fmt(BUDGET.embed)} gzip`);
for (const [lang, s] of Object.entries(locales))
  console.log(row(`  locales/${lang}.json (one, on demand)`, s));
console.log(row('empty React app', empty.initial));
console.log(row('React app + <Checkout>, initial load', app.initial));
console.log(row('library delta, initial load', delta) + `   budget ${fmt(BUDGET.libraryDelta)} gzip`);
console.log(row('  + lazy chunks but the locales', deltaEnglish) + '   (not checked)');
console.log(row('  + all lazy chunks', deltaTotal) + '   (not checked)');
console.log(`  initial: ${app.files.initial.join(', ')}`);
console.log(`  lazy:    ${app.files.lazy.join(', ')}`);

const report = {
  embed: { js: embedJs, css: embedCss, total: embed, locales, localesTotal },
  emptyApp: empty.initial,
  checkoutApp: app.initial,
  checkoutAppTotal: app.total,
  checkoutAppFiles: app.files,
  libraryDelta: delta,
  libraryDeltaEnglish: deltaEnglish,
  libraryDeltaTotal: deltaTotal,
  budget: BUDGET,
};
writeFileSync(join(root, 'reports/size.json'), JSON.stringify(report, null, 2));

const over = [];
if (embed.gzip > BUDGET.embed) over.push(`embed ${fmt(embed.gzip)} gzip > ${fmt(BUDGET.embed)}`);
if (delta.gzip > BUDGET.libraryDelta)
  over.push(`library delta ${fmt(delta.gzip)} gzip > ${fmt(BUDGET.libraryDelta)}`);
if (over.length) {
  console.error(`\nOVER BUDGET: ${over.join('; ')}`);
  process.exit(1);
}
console.log('\nWithin budget.');
