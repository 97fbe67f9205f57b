// Builds every benchmark page into dist/<page>/ : index.html (+ app.js / app.css, or the embed's two files).
// Adapted from the Adyen anchor's build.mjs (shared/research/adyen-anchor.md, section 6): the same esbuild settings for
// every bundled page (Adyen, the controls and our React SPA entry), the same inlined ready probe, plus:
//  - pay-probe.js inlined after the ready probe (Pay click -> navigation start marks);
//  - `ecp-spa`: our React entry (src/ecp-spa.jsx -> src/react/index.ts), esbuild with exactly the anchor's settings.
//    The five lazy locales (`import()` in src/react/i18n) are left out as external files: esbuild without splitting
//    would inline them into app.js, while any splitting build (the package's own Vite build, a merchant's app) keeps
//    them as chunks that an English session never loads; esbuild's `splitting` would add a shared runtime chunk and
//    an extra up-front request instead. So app.js = what loads up front for the English sessions measured here.
//  - `ecp-embed`: the script-tag embed exactly as merchants use it (`<link>` + classic `<script src>` + mount()),
//    built by the project's own `vite build --mode embed` into dist/_embed/ (same sources and config as dist-embed/,
//    own output folder so a concurrent build of dist-embed/ cannot swap files under the benchmark).
// Usage: node build.mjs [--skip-embed-build] [page ...]
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PAGES } from './pages.mjs';

const ROOT = path.dirname(new URL(import.meta.url).pathname);
const PROJECT = path.resolve(ROOT, '../../..');
const DIST = path.join(ROOT, 'dist');
const EMBED_OUT = path.join(DIST, '_embed');
const READY_SELECTOR = 'input[type=radio],[role=radio]';

const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const skipEmbedBuild = args.includes('--skip-embed-build');
const probe = fs.readFileSync(path.join(ROOT, 'src/ready-probe.js'), 'utf8');
const payProbe = fs.readFileSync(path.join(ROOT, 'src/pay-probe.js'), 'utf8');
const payEnabledProbe = fs.readFileSync(path.join(ROOT, 'src/pay-enabled-probe.js'), 'utf8');

const head = (name, cfg, css) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${name}</title>
${css ? `<link rel="stylesheet" href="${css}">\n` : ''}<script data-ready-selector="${cfg.readySelector || READY_SELECTOR}">
${probe}</script>
<script${cfg.paySelector ? ` data-pay-selector="${cfg.paySelector}"` : ''}>
${payProbe}</script>
${cfg.paySelector ? `<script data-pay-selector="${cfg.paySelector}">\n${payEnabledProbe}</script>\n` : ''}`;

// The embed's mount call as a merchant writes it; the driver passes a fresh session and the backend URL in the query.
const EMBED_MOUNT = `performance.mark('bundle:evaluated');
var q = new URLSearchParams(location.search);
var inline = q.get('inline');
EcommpayCheckout.mount('#root', {
  sessionId: q.get('session'),
  session: inline ? JSON.parse(inline) : undefined,
  apiBaseUrl: q.get('api'),
  redirectPolicy: { devHosts: ['127.0.0.1', 'localhost'] },
  onReady: function () { performance.mark('widget:onReady'); }
});
performance.mark('widget:mount-called');`;

let built = false;
function buildEmbed() {
  if (built || (skipEmbedBuild && fs.existsSync(path.join(EMBED_OUT, 'ecommpay-checkout.js')))) return;
  built = true;
  const r = spawnSync(
    process.execPath,
    [
      path.join(PROJECT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--mode',
      'embed',
      '--outDir',
      EMBED_OUT,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: PROJECT, stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error(`vite build --mode embed failed (${r.status ?? r.signal})`);
}

// `import('./locales/xx.ts')` -> external `./locales/xx.js` (not built: never requested by an English session).
const lazyLocalesExternal = {
  name: 'lazy-locales-external',
  setup(build) {
    build.onResolve({ filter: /\/locales\/[a-z]+\.ts$/ }, (a) =>
      a.kind === 'dynamic-import'
        ? { path: `./locales/${path.basename(a.path, '.ts')}.js`, external: true }
        : undefined,
    );
  },
};

const sizes = {};
for (const [name, cfg] of Object.entries(PAGES)) {
  if (only.length && !only.includes(name)) continue;
  const outdir = path.join(DIST, name);
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  let html;
  if (cfg.kind === 'embed') {
    buildEmbed();
    // The loader, its stages (ES-module chunks, named by the loader) and the CSS; the locales stay out.
    for (const f of fs.readdirSync(EMBED_OUT).filter((f) => /^ecommpay-checkout.*\.(js|css)$/.test(f)))
      fs.copyFileSync(path.join(EMBED_OUT, f), path.join(outdir, f));
    html = `${head(name, cfg, 'ecommpay-checkout.css')}</head><body><main style="max-width:480px;margin:24px auto"><div id="root"></div></main>
<script src="ecommpay-checkout.js"></script>
<script>
${EMBED_MOUNT}
</script>
</body></html>
`;
  } else {
    const res = await esbuild.build({
      entryPoints: { app: path.join(ROOT, cfg.entry) },
      bundle: true,
      format: 'esm',
      splitting: false,
      minify: process.env.BENCH_NO_MINIFY !== '1', // unminified: for reading CPU profiles
      target: 'es2022',
      platform: 'browser',
      jsx: 'automatic',
      jsxImportSource: cfg.jsxImportSource || 'react',
      define: { 'process.env.NODE_ENV': '"production"' },
      banner: { js: "performance.mark('bundle:start');" },
      legalComments: 'none',
      sourcemap: false,
      metafile: true,
      logLevel: 'warning',
      plugins: cfg.lazyLocalesExternal ? [lazyLocalesExternal] : [],
      outdir,
    });
    fs.writeFileSync(path.join(outdir, 'meta.json'), JSON.stringify(res.metafile));
    const hasCss = fs.existsSync(path.join(outdir, 'app.css'));
    html = `${head(name, cfg, hasCss ? 'app.css' : null)}<script type="module" src="app.js"></script>
</head><body><main style="max-width:480px;margin:24px auto"><div id="root"></div></main></body></html>
`;
  }
  fs.writeFileSync(path.join(outdir, 'index.html'), html);
  const s = {};
  for (const f of fs.readdirSync(outdir)) {
    if (!/\.(js|css|html)$/.test(f)) continue;
    const buf = fs.readFileSync(path.join(outdir, f));
    s[f] = {
      raw: buf.length,
      gzip9: zlib.gzipSync(buf, { level: 9 }).length,
      brotli11: zlib.brotliCompressSync(buf, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } })
        .length,
    };
  }
  sizes[name] = s;
}
const sizesFile = path.join(DIST, 'sizes.json');
const prev = fs.existsSync(sizesFile) ? JSON.parse(fs.readFileSync(sizesFile, 'utf8')) : {};
fs.writeFileSync(sizesFile, JSON.stringify({ ...prev, ...sizes }, null, 1));
if (!args.includes('--quiet')) console.log(JSON.stringify(sizes, null, 1));
