#!/usr/bin/env node
// `npm run size`: raw, gzip and brotli sizes of the script-tag embed and of what <Checkout> adds to an empty React
// app. Builds what it measures. Fails over budget. Writes reports/size.json for the benchmark report.
//
// The embed is two-stage (vite.config.ts → embedStages); checked against the budgets (issue 13):
//   loader:   ecommpay-checkout.js, the page's classic script (it starts the session request and both stages);
//   total:    every file a GrabPay payment loads: the loader, stage one (the list) and stage two (the forms),
//             each chunk counted once, + ecommpay-checkout.css (the locale files load only for their language);
//   library:  the app's entry chunk, every chunk it imports statically, and the CSS (lazy chunks — the
//             method forms with react-hook-form, the other locales — load after the list's first render).
// Also printed and checked against a looser guard: stage one (loader + the list's chunks + CSS), what the page
// loads before the method list can show; issue 13's goal for it is 12 KB (see GOAL; not met, printed).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'vite';
import react from '@vitejs/plugin-react';

const root = resolve(import.meta.dirname, '..');
const KB = 1024;
const BUDGET = { embedLoader: 12 * KB, embedStageOne: 40 * KB, embed: 56 * KB, libraryDelta: 32 * KB };
/** Issue 13's goals where the budget above is looser (printed with met / MISSED, not failed). */
const GOAL = { embedStageOne: 12 * KB, embed: 50 * KB };

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
const embedFiles = readdirSync(embedDir).filter((f) => /^ecommpay-checkout.*\.js$/.test(f));
// The stages' file names, as the build wrote them into the loader.
const loaderCode = readFileSync(join(embedDir, 'ecommpay-checkout.js'), 'utf8');
const stagesJson = /JSON\.parse\(("(?:[^"\\]|\\.)*")\)/.exec(loaderCode);
if (!stagesJson) throw new Error('size: no stage list in dist-embed/ecommpay-checkout.js');
const stages = JSON.parse(JSON.parse(stagesJson[1]));
const stageTwoOnly = stages.forms.filter((f) => !stages.app.includes(f));
const embedCss = sizes(readFileSync(join(embedDir, 'ecommpay-checkout.css')));
const embedLoader = sizes(readFileSync(join(embedDir, 'ecommpay-checkout.js')));
const embedStage1 = sumFiles(embedDir, stages.app);
const embedStage2 = sumFiles(embedDir, stageTwoOnly);
const embedStageOne = add(add(embedLoader, embedStage1), embedCss);
const embedJs = add(add(embedLoader, embedStage1), embedStage2);
const embed = add(embedJs, embedCss);
const unlisted = embedFiles.filter(
  (f) => f !== 'ecommpay-checkout.js' && !stages.app.includes(f) && !stages.forms.includes(f),
);
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
const goal = (v, g) => `goal ${fmt(g)}: ${v <= g ? 'met' : 'MISSED'}`;
console.log(
  row('embed loader ecommpay-checkout.js', embedLoader) + `   budget ${fmt(BUDGET.embedLoader)} gzip`,
);
console.log(row(`embed stage one (the list): ${stages.app.length} file(s)`, embedStage1));
console.log(row(`embed stage two (the forms): ${stageTwoOnly.length} file(s)`, embedStage2));
console.log(row('embed ecommpay-checkout.css', embedCss));
console.log(
  row('embed before the list: loader + one + CSS', embedStageOne) +
    `   budget ${fmt(BUDGET.embedStageOne)}; ${goal(embedStageOne.gzip, GOAL.embedStageOne)}`,
);
console.log(
  row('embed total (a GrabPay payment)', embed) +
    `   budget ${fmt(BUDGET.embed)}; ${goal(embed.gzip, GOAL.embed)}`,
);
if (unlisted.length) console.log(`  not loaded by a payment: ${unlisted.join(', ')}`);
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
  embed: {
    loader: embedLoader,
    stageOne: embedStage1,
    stageTwo: embedStage2,
    beforeList: embedStageOne,
    js: embedJs,
    css: embedCss,
    total: embed,
    files: stages,
    locales,
    localesTotal,
  },
  goal: GOAL,
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
if (embedLoader.gzip > BUDGET.embedLoader)
  over.push(`embed loader ${fmt(embedLoader.gzip)} gzip > ${fmt(BUDGET.embedLoader)}`);
if (embedStageOne.gzip > BUDGET.embedStageOne)
  over.push(`embed before the list ${fmt(embedStageOne.gzip)} gzip > ${fmt(BUDGET.embedStageOne)}`);
if (embed.gzip > BUDGET.embed) over.push(`embed total ${fmt(embed.gzip)} gzip > ${fmt(BUDGET.embed)}`);
if (delta.gzip > BUDGET.libraryDelta)
  over.push(`library delta ${fmt(delta.gzip)} gzip > ${fmt(BUDGET.libraryDelta)}`);
if (over.length) {
  console.error(`\nOVER BUDGET: ${over.join('; ')}`);
  process.exit(1);
}
console.log('\nWithin budget.');
