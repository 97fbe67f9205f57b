// Offline widget-speed harness: Playwright (playwright-core) drives Debian Chromium headless, CPU throttled via CDP,
// fresh browser context per run, every non-loopback request aborted and recorded.
// Adapted from the Adyen anchor's measure.mjs (shared/research/adyen-anchor.md, section 6): same browser flags,
// context options, throttling, blocking, ready probe, interleaved rotated rounds, warm-up, nearest-rank percentiles,
// trace parsing. Added for ecommpay's widget:
//  - an origin the backend allows: pages are requested at --origin (the demo server's origin, which start.ts puts in
//    the backend's ALLOWED_ORIGINS) and Playwright's routing sends those requests, unseen by the page, to the static
//    server at --base (route.continue({ url })). Every page, Adyen's too, loads through this same path.
//  - a fresh checkout session per ecommpay run (merchant API, untimed, before the context opens);
//  - a Pay phase after "ready": pick GrabPay (ecommpay; Adyen's first method, GrabPay PH, is open already), click Pay,
//    and time, on the page's own clock, from the click event to the start of the navigation away (pay-probe.js);
//  - paired per-round ratios against --ref for both times.
//
// node measure.mjs --pages adyen-redirect,ecp-embed,ecp-spa,react-control,preact-control
//   --origin http://127.0.0.1:5373 --base http://127.0.0.1:4699 --api http://127.0.0.1:8987 --api-key KEY
//   --sandbox http://127.0.0.1:8990 [--runs 20] [--warmup 2] [--trace-runs 0] [--throttle 4] [--settle 1000]
//   [--pay-settle 300] [--ref adyen-redirect] [--save-traces] [--out file.json]
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../lib/chromium.mjs';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { PAGES as PAGE_CONFIG } from './pages.mjs';

const ROOT = path.dirname(new URL(import.meta.url).pathname);
const argv = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => {
    if (a.startsWith('--'))
      acc.push([a.slice(2), all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : 'true']);
    return acc;
  }, []),
);
const PAGES = (
  argv.pages ||
  'adyen-redirect,ecp-embed,ecp-embed-inline,ecp-spa,ecp-spa-inline,react-control,preact-control'
).split(',');
const RUNS = Number(argv.runs ?? 20);
const TRACE_RUNS = Number(argv['trace-runs'] ?? 0);
const WARMUP = Number(argv.warmup ?? 2);
const THROTTLE = Number(argv.throttle ?? 4);
const BASE = argv.base || 'http://127.0.0.1:4699';
const ORIGIN = argv.origin || 'http://127.0.0.1:5373';
const API = argv.api || 'http://127.0.0.1:8987';
const API_KEY = argv['api-key'] || process.env.MERCHANT_API_KEY;
const SANDBOX = argv.sandbox || 'http://127.0.0.1:8990';
const SETTLE_MS = Number(argv.settle ?? 1000); // wall ms to keep recording requests after ready (anchor: 1000)
const PAY_SETTLE_MS = Number(argv['pay-settle'] ?? 300); // idle wall ms after the method's form is shown, before Pay
const SAVE_TRACES = argv['save-traces'] === 'true';
const REF = argv.ref || 'adyen-redirect';
const OUT =
  argv.out || path.join(ROOT, 'results', `run-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);

const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'v8',
  'blink.user_timing',
  'loading',
  'toplevel',
];
const READY_SELECTOR = 'input[type=radio],[role=radio]';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const DEBUG = !!process.env.BENCH_DEBUG;
const dbg = (...a) => {
  if (DEBUG) console.error(new Date().toISOString(), ...a);
};
const originOf = (u) => {
  try {
    return new URL(u).origin;
  } catch {
    return null;
  }
};

// A fresh session for each ecommpay run: 4 methods, like Adyen's 4 wallets (GrabPay PHP, ADVCash EUR, Payco KRW,
// Jeton Voucher EUR); the e-mail GrabPay (PHP) needs comes prefilled from the session's customer.
async function createSession() {
  const res = await fetch(`${API}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
    body: JSON.stringify({
      prices: { PHP: 150000, EUR: 2500, KRW: 25000 },
      customer: { id: 'bench', email: 'bench@example.com' },
      description: 'Widget benchmark',
      return_url: `${ORIGIN}/return`,
    }),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST /api/sessions: ${res.status} ${text.slice(0, 300)}`);
  const s = JSON.parse(text);
  return { id: s.id, methods: (s.methods || []).map((m) => m.method), view: s };
}

async function oneRun(browser, page, { trace }) {
  const cfg = PAGE_CONFIG[page] || {};
  dbg('run', page);
  const session = cfg.session ? await createSession() : null;
  dbg('session', session?.id);
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    serviceWorkers: 'block',
  });
  const blocked = [];
  const allRequests = [];
  await context.route('**/*', (route) => {
    const req = route.request();
    const u = new URL(req.url());
    if (u.origin === ORIGIN) return route.continue({ url: BASE + u.pathname + u.search });
    if (LOCAL_HOSTS.has(u.hostname)) return route.continue();
    blocked.push({
      url: req.url(),
      method: req.method(),
      type: req.resourceType(),
      frame: (() => {
        try {
          return req.frame().url();
        } catch {
          return null;
        }
      })(),
    });
    return route.abort('blockedbyclient');
  });
  const pg = await context.newPage();
  let payPhase = false;
  let navRequest = null;
  pg.on('request', (r) => {
    allRequests.push(`${r.method()} ${r.url()}`);
    if (payPhase && !navRequest && r.isNavigationRequest() && r.frame() === pg.mainFrame()) navRequest = r;
  });
  pg.on('websocket', (ws) => blocked.push({ url: ws.url(), type: 'websocket(not blocked!)' }));
  const consoleMsgs = [];
  const probeMsgs = [];
  pg.on('console', (m) => {
    const t = m.text();
    if (t.startsWith('__')) probeMsgs.push(t);
    else consoleMsgs.push(`${m.type()}: ${t.slice(0, 200)}`);
  });
  const pageErrors = [];
  pg.on('pageerror', (e) => pageErrors.push(String(e).slice(0, 300)));
  const cdp = await context.newCDPSession(pg);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  if (trace) await browser.startTracing(pg, { categories: TRACE_CATEGORIES });

  const query = new URLSearchParams({
    sandbox: SANDBOX,
    ...(session ? { session: session.id, api: API } : {}),
    ...(session && cfg.inlineSession ? { inline: JSON.stringify(session.view) } : {}),
  });
  const readyEvt = pg.waitForEvent('console', {
    predicate: (m) => m.text() === '__anchor_ready__',
    timeout: 30000,
  });
  const w0 = performance.now();
  dbg('goto');
  await pg.goto(`${ORIGIN}/${page}/?${query}`, { waitUntil: 'commit' });
  await readyEvt;
  dbg('ready');
  const wallReady = performance.now() - w0;
  let traceBuf = null;
  if (trace) traceBuf = await browser.stopTracing();

  // Actionability check (after timing, so it does not perturb it): visible, stable, enabled, receives events.
  let clickable = true;
  const sel = (await pg.evaluate(() => window.__anchorReady?.selector)) || READY_SELECTOR;
  try {
    await pg.locator(sel).first().click({ trial: true, timeout: 5000 });
  } catch (e) {
    clickable = String(e).slice(0, 200);
  }
  await pg.waitForLoadState('load', { timeout: 10000 }).catch(() => {});
  await pg.waitForTimeout(SETTLE_MS);
  // "Pay enabled" (pay-enabled-probe.js): timed on the page's clock; here only waited for, after the fact.
  if (cfg.paySelector)
    await pg
      .waitForFunction(() => window.__payEnabled !== undefined, null, { timeout: 10000 })
      .catch(() => {});

  const data = await pg.evaluate(() => {
    const marks = Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]));
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource').map((e) => ({
      name: e.name,
      initiatorType: e.initiatorType,
      transferSize: e.transferSize,
      encodedBodySize: e.encodedBodySize,
      decodedBodySize: e.decodedBodySize,
      startTime: e.startTime,
      responseEnd: e.responseEnd,
    }));
    const paint = Object.fromEntries(performance.getEntriesByType('paint').map((p) => [p.name, p.startTime]));
    return {
      marks,
      paint,
      ready: window.__anchorReady,
      adyenErrors: window.__adyenErrors || [],
      href: location.href,
      radios: document.querySelectorAll('input[type=radio],[role=radio]').length,
      nav: nav && {
        responseEnd: nav.responseEnd,
        dcl: nav.domContentLoadedEventEnd,
        load: nav.loadEventEnd,
        transferSize: nav.transferSize,
      },
      resources: res,
      timeOrigin: performance.timeOrigin,
    };
  });

  // ── Pay phase: click Pay, time to the start of the navigation away (page clock, pay-probe.js) ──────────────
  let pay = null;
  if (cfg.paySelector) {
    pay = { ok: false };
    try {
      if (cfg.payMethod) await pg.locator(cfg.payMethod).first().check({ timeout: 10000 });
      const button = pg.locator(cfg.paySelector).first();
      await button.waitFor({ state: 'visible', timeout: 10000 });
      await pg.waitForTimeout(PAY_SETTLE_MS);
      const redirectEvt = pg.waitForEvent('console', {
        predicate: (m) => m.text().startsWith('__redirect__'),
        timeout: 20000,
      });
      payPhase = true;
      await button.click({ timeout: 10000 });
      const msg = JSON.parse((await redirectEvt).text().slice('__redirect__ '.length));
      pay = {
        ok: true,
        clickMs: msg.click,
        redirectMs: msg.t,
        payMs: msg.t - msg.click,
        url: msg.url,
        onSubmitMs:
          msg.marks?.['widget:onSubmit'] !== undefined ? msg.marks['widget:onSubmit'] - msg.click : undefined,
        requests: msg.requests,
      };
      // The first API/stub request after the click and its answer (our POST /payments; Adyen's /adyen/payments stub).
      const post = (msg.requests || []).find((r) => /\/payments(\?|$)/.test(new URL(r.name).pathname + '?'));
      if (post) {
        pay.postStartMs = post.startTime - msg.click;
        pay.postEndMs = post.responseEnd - msg.click;
      }
      // Time the page itself spends (main thread, page clock): click -> first request sent, plus last answer ->
      // navigation start. The rest of payMs is waiting for the network, the server(s) and, for ours, the polling.
      const reqs = (msg.requests || []).filter((r) => r.responseEnd > 0 && r.responseEnd <= msg.t);
      if (reqs.length) {
        const first = Math.min(...reqs.map((r) => r.startTime)),
          last = Math.max(...reqs.map((r) => r.responseEnd));
        pay.clientMs = first - msg.click + (msg.t - last);
        pay.requestCount = reqs.length;
      } else pay.clientMs = pay.payMs;
      // Cross-check: when the browser sent the document request (CDP wall clock) vs the click (page wall clock).
      const deadline = Date.now() + 5000;
      while (!navRequest && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      dbg('redirect seen', msg.url, 'navRequest', !!navRequest);
      if (navRequest) {
        const resp = await navRequest.response().catch(() => null);
        const t = navRequest.timing();
        if (t?.startTime > 0) pay.navRequestMs = t.startTime - (data.timeOrigin + msg.click);
        pay.navRequestUrl = navRequest.url();
        pay.navStatus = resp?.status();
      }
    } catch (e) {
      pay.error = String(e).slice(0, 300);
    }
  }
  // Let the provider page finish loading before closing: closing a context while one of its requests is paused in
  // Playwright's routing can hang Chromium's context disposal for minutes (seen here with the provider page's CSS).
  if (payPhase) await pg.waitForLoadState('load', { timeout: 5000 }).catch(() => {});
  await context.unrouteAll({ behavior: 'ignoreErrors' }).catch(() => {});
  dbg('closing context');
  const closed = await Promise.race([
    context.close().then(
      () => true,
      () => true,
    ),
    new Promise((r) => setTimeout(() => r(false), 20000)),
  ]);
  dbg('context closed', closed);
  const m = data.marks;
  const js = data.resources.filter((r) => /\.js(\?|$)/.test(r.name) && originOf(r.name) === ORIGIN);
  const css = data.resources.filter((r) => /\.css(\?|$)/.test(r.name) && originOf(r.name) === ORIGIN);
  const sess = data.resources.find((r) => r.name.includes('/api/sessions/'));
  const out = {
    page,
    trace: !!trace,
    session: session?.id,
    contextCloseHung: !closed,
    readyMs: m['widget:ready'],
    payEnabledMs: m['widget:pay-enabled'],
    domMs: m['widget:dom'],
    bundleStartMs: m['bundle:start'],
    bundleEvaluatedMs: m['bundle:evaluated'],
    bundleEvalMs: m['bundle:evaluated'] - (m['bundle:start'] ?? js[0]?.responseEnd),
    evaluatedToReadyMs: m['widget:ready'] - m['bundle:evaluated'],
    sessionFetchStartMs: sess?.startTime,
    sessionFetchEndMs: sess?.responseEnd,
    sessionFetchMs: sess ? sess.responseEnd - sess.startTime : undefined,
    sessionToReadyMs: sess ? m['widget:ready'] - sess.responseEnd : undefined,
    adyenCoreReadyMs: m['widget:core-ready'],
    onReadyMs: m['widget:onReady'],
    htmlResponseEndMs: data.nav?.responseEnd,
    jsRequestStartMs: js[0]?.startTime,
    jsResponseEndMs: js[0]?.responseEnd,
    fcpMs: data.paint['first-contentful-paint'],
    dclMs: data.nav?.dcl,
    loadMs: data.nav?.load,
    wallReadyMs: wallReady,
    jsTransfer: js.reduce((a, r) => a + r.transferSize, 0),
    jsEncoded: js.reduce((a, r) => a + r.encodedBodySize, 0),
    jsDecoded: js.reduce((a, r) => a + r.decodedBodySize, 0),
    jsFiles: js.length,
    cssTransfer: css.reduce((a, r) => a + r.transferSize, 0),
    htmlTransfer: data.nav?.transferSize,
    clickable,
    readyEl: data.ready?.outerHTML,
    radios: data.radios,
    href: data.href,
    pay,
    payMs: pay?.ok ? pay.payMs : undefined,
    payClientMs: pay?.ok ? pay.clientMs : undefined,
    blocked,
    localRequests: allRequests.filter((u) => {
      try {
        return LOCAL_HOSTS.has(new URL(u.split(' ')[1]).hostname);
      } catch {
        return true;
      }
    }),
    consoleMsgs,
    pageErrors,
    adyenErrors: data.adyenErrors,
  };
  if (traceBuf) {
    out.traceStats = traceStats(traceBuf);
    if (SAVE_TRACES) {
      const dir = path.join(ROOT, 'results', 'traces');
      fs.mkdirSync(dir, { recursive: true });
      out.traceFile = path.join(dir, `${page}-${Date.now()}.json`);
      fs.writeFileSync(out.traceFile, traceBuf);
    }
  }
  return out;
}

// --- trace parsing (anchor, verbatim): the page renderer's main thread from navigation start to 'widget:ready' ---
const CAT = [
  [
    'scripting',
    /^(v8\.|V8\.|EvaluateScript|FunctionCall|RunMicrotasks|TimerFire|FireAnimationFrame|EventDispatch|MajorGC|MinorGC|BlinkScheduler_PerformMicrotaskCheckpoint|FireIdleCallback|XHR|CompileScript|ParseScript)/,
  ],
  [
    'styleLayout',
    /^(UpdateLayoutTree|Layout|RecalculateStyles|ParseAuthorStyleSheet|ScheduleStyleRecalculation|InvalidateLayout|HitTest|IntersectionObserver)/,
  ],
  [
    'paint',
    /^(Paint|PrePaint|Layerize|Commit$|UpdateLayer|PaintImage|CompositeLayers|Decode|ImageDecode|Raster)/,
  ],
  ['parseHtml', /^ParseHTML/],
];
function traceStats(buf) {
  const json = JSON.parse(buf.toString('utf8'));
  const ev = Array.isArray(json) ? json : json.traceEvents;
  const isMark = (e, n) => e.name === n && e.cat?.includes('blink.user_timing');
  const readyMark = ev.find((e) => isMark(e, 'widget:ready'));
  if (!readyMark?.args?.data?.startTime) return { error: 'widget:ready mark not found in trace' };
  const { pid, tid } = readyMark;
  const t0 = readyMark.ts - readyMark.args.data.startTime * 1000;
  const t1 = readyMark.ts;
  const inWin = (e) => e.ph === 'X' && e.dur > 0 && e.ts < t1 && e.ts + e.dur > t0;
  const clipLen = (e) => Math.max(0, Math.min(e.ts + e.dur, t1) - Math.max(e.ts, t0));
  const main = ev
    .filter((e) => e.pid === pid && e.tid === tid && inWin(e))
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = new Map(main.map((e) => [e, clipLen(e)]));
  const stack = [];
  for (const e of main) {
    while (stack.length && stack.at(-1).ts + stack.at(-1).dur <= e.ts) stack.pop();
    const p = stack.at(-1);
    if (p && e.ts + e.dur <= p.ts + p.dur) self.set(p, self.get(p) - clipLen(e));
    stack.push(e);
  }
  const cat = { scripting: 0, styleLayout: 0, paint: 0, parseHtml: 0, other: 0 };
  for (const [e, v] of self) cat[(CAT.find(([, re]) => re.test(e.name)) || ['other'])[0]] += v;
  const incl = (names) =>
    main.filter((e) => names.includes(e.name)).reduce((a, e) => a + clipLen(e), 0) / 1000;
  const r1 = (v) => +(v / 1000).toFixed(1);
  const bgParse =
    ev
      .filter((e) => e.pid === pid && e.tid !== tid && inWin(e) && e.name === 'v8.parseOnBackground')
      .reduce((a, e) => a + clipLen(e), 0) / 1000;
  return {
    windowMs: (t1 - t0) / 1000,
    mainBusyMs: r1([...self.values()].reduce((a, v) => a + v, 0)),
    scriptingMs: r1(cat.scripting),
    styleLayoutMs: r1(cat.styleLayout),
    paintMs: r1(cat.paint),
    parseHtmlMs: r1(cat.parseHtml),
    otherMs: r1(cat.other),
    evaluateModuleMs: incl(['v8.evaluateModule', 'EvaluateScript']),
    compileMainMs: incl(['v8.compileModule', 'v8.compile']),
    microtasksMs: incl(['RunMicrotasks']),
    backgroundParseMs: bgParse,
  };
}

const pct = (arr, p) => {
  const s = [...arr].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const idx = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[idx];
};
const stats = (arr) => ({
  n: arr.length,
  min: Math.min(...arr),
  median: pct(arr, 50),
  p95: pct(arr, 95),
  max: Math.max(...arr),
});
const fmt = (s) =>
  s && s.n
    ? `min ${s.min.toFixed(0)} / med ${s.median.toFixed(0)} / p95 ${s.p95.toFixed(0)} / max ${s.max.toFixed(0)}`
    : 'n/a';

// Node-side CPU calibration (anchor): a drifting machine shows up here between invocations.
function calibrate() {
  const times = [];
  for (let k = 0; k < 5; k++) {
    const t = performance.now();
    let x = 0;
    for (let i = 0; i < 2e7; i++) x = (x + i * 2654435761) % 1000003;
    times.push(performance.now() - t);
    if (x < 0) console.log(x);
  }
  return +Math.min(...times).toFixed(1);
}
const calibStart = calibrate();
const launch = () => chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
let browser = await launch();
const meta = {
  date: new Date().toISOString(),
  chromium: browser.version(),
  node: process.version,
  playwright: JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/playwright-core/package.json')))
    .version,
  adyenWeb: JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/@adyen/adyen-web/package.json')))
    .version,
  throttle: THROTTLE,
  settleMs: SETTLE_MS,
  paySettleMs: PAY_SETTLE_MS,
  runs: RUNS,
  traceRuns: TRACE_RUNS,
  warmup: WARMUP,
  origin: ORIGIN,
  base: BASE,
  api: API,
  sandbox: SANDBOX,
  pages: PAGES,
  ref: REF,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  loadavgStart: os.loadavg(),
  calibMsStart: calibStart,
};
console.error(JSON.stringify(meta));
const results = [];
const total = WARMUP + RUNS + TRACE_RUNS;
for (let round = 0; round < total; round++) {
  const kind = round < WARMUP ? 'warmup' : round < WARMUP + RUNS ? 'timed' : 'trace';
  const order = PAGES.map((_, i) => PAGES[(i + round) % PAGES.length]);
  for (const page of order) {
    const r = await oneRun(browser, page, { trace: kind === 'trace' });
    if (r.contextCloseHung) {
      // never reuse a browser whose context disposal hung: start a new one
      console.error(`context close hung after ${page} r${round}: relaunching the browser`);
      await Promise.race([browser.close().catch(() => {}), new Promise((res) => setTimeout(res, 10000))]);
      browser = await launch();
    }
    r.kind = kind;
    r.round = round;
    r.loadavg1 = os.loadavg()[0];
    results.push(r);
    console.error(
      `${kind} r${round} ${page}: ready ${r.readyMs?.toFixed(0)} ms, dom ${r.domMs?.toFixed(0)}, ` +
        `session ${r.sessionFetchStartMs?.toFixed(0) ?? '-'}->${r.sessionFetchEndMs?.toFixed(0) ?? '-'}, ` +
        `pay ${r.pay ? (r.pay.ok ? `${r.payMs.toFixed(0)} ms (post ${r.pay.postStartMs?.toFixed(0)}->${r.pay.postEndMs?.toFixed(0)}, navreq ${r.pay.navRequestMs?.toFixed(0)})` : `FAILED ${r.pay.error}`) : '-'}, ` +
        `js ${r.jsTransfer} B, radios ${r.radios}, blocked ${r.blocked.length}, clickable ${r.clickable}` +
        (r.pageErrors.length ? `, page errors: ${r.pageErrors.join(' | ')}` : ''),
    );
  }
}
await browser.close();
meta.loadavgEnd = os.loadavg();
meta.calibMsEnd = calibrate();

const summary = {};
for (const page of PAGES) {
  const timed = results.filter((r) => r.page === page && r.kind === 'timed');
  const traced = results.filter(
    (r) => r.page === page && r.kind === 'trace' && r.traceStats && !r.traceStats.error,
  );
  const sv = (f) => stats(timed.map(f).filter((v) => typeof v === 'number' && !Number.isNaN(v)));
  const s = (k) => sv((r) => r[k]);
  const ts = (k) => stats(traced.map((r) => r.traceStats[k]));
  const blockedUrls = {};
  for (const r of results.filter((r) => r.page === page))
    for (const b of r.blocked) {
      const key = `${b.method || ''} ${b.type} ${b.url.replace(/clientKey=[^&]+/, 'clientKey=…')}`;
      blockedUrls[key] = (blockedUrls[key] || 0) + 1;
    }
  const withPay = timed.filter((r) => r.pay);
  summary[page] = {
    readyMs: s('readyMs'),
    payEnabledMs: s('payEnabledMs'),
    domMs: s('domMs'),
    bundleStartMs: s('bundleStartMs'),
    bundleEvaluatedMs: s('bundleEvaluatedMs'),
    bundleEvalMs: s('bundleEvalMs'),
    evaluatedToReadyMs: s('evaluatedToReadyMs'),
    sessionFetchStartMs: s('sessionFetchStartMs'),
    sessionFetchMs: s('sessionFetchMs'),
    sessionToReadyMs: s('sessionToReadyMs'),
    htmlResponseEndMs: s('htmlResponseEndMs'),
    jsResponseEndMs: s('jsResponseEndMs'),
    fcpMs: s('fcpMs'),
    wallReadyMs: s('wallReadyMs'),
    onReadyMs: s('onReadyMs'),
    payMs: withPay.length ? s('payMs') : null,
    payClientMs: withPay.length ? s('payClientMs') : null,
    payRequests: withPay.length ? sv((r) => r.pay?.requestCount) : null,
    payPostStartMs: withPay.length ? sv((r) => r.pay?.postStartMs) : null,
    payPostEndMs: withPay.length ? sv((r) => r.pay?.postEndMs) : null,
    payOnSubmitMs: withPay.length ? sv((r) => r.pay?.onSubmitMs) : null,
    payNavRequestMs: withPay.length ? sv((r) => r.pay?.navRequestMs) : null,
    payFailures: withPay.filter((r) => !r.pay.ok).length,
    payRedirectUrl: withPay.find((r) => r.pay.ok)?.pay.url?.replace(/[?#].*$/, ''),
    jsTransfer: timed[0]?.jsTransfer,
    jsEncoded: timed[0]?.jsEncoded,
    jsDecoded: timed[0]?.jsDecoded,
    jsFiles: timed[0]?.jsFiles,
    cssTransfer: timed[0]?.cssTransfer,
    htmlTransfer: timed[0]?.htmlTransfer,
    radios: timed[0]?.radios,
    allClickable: timed.every((r) => r.clickable === true),
    trace: traced.length
      ? Object.fromEntries([
          ['n', traced.length],
          ...[
            'windowMs',
            'mainBusyMs',
            'scriptingMs',
            'styleLayoutMs',
            'paintMs',
            'parseHtmlMs',
            'otherMs',
            'evaluateModuleMs',
            'compileMainMs',
            'microtasksMs',
            'backgroundParseMs',
          ].map((k) => [k, ts(k)]),
        ])
      : null,
    blockedRequests: blockedUrls,
    consoleSample: [...new Set(results.filter((r) => r.page === page).flatMap((r) => r.consoleMsgs))].slice(
      0,
      15,
    ),
    pageErrors: [...new Set(results.filter((r) => r.page === page).flatMap((r) => r.pageErrors))],
    readyEl: timed[0]?.readyEl,
  };
  const x = summary[page];
  console.log(`\n== ${page} (n=${x.readyMs.n}, ${THROTTLE}x CPU throttle)`);
  console.log(`  READY (nav start -> 1st frame w/ first radio visible+enabled): ${fmt(x.readyMs)} ms`);
  if (x.payEnabledMs.n)
    console.log(`  PAY ENABLED (1st frame w/ the form's Pay usable):  ${fmt(x.payEnabledMs)} ms`);
  console.log(`  dom (first radio inserted):                       ${fmt(x.domMs)} ms`);
  console.log(
    `  bundle start / bundle eval:                       ${fmt(x.bundleStartMs)} | ${fmt(x.bundleEvalMs)} ms`,
  );
  console.log(`  bundle evaluated -> ready:                        ${fmt(x.evaluatedToReadyMs)} ms`);
  if (x.sessionFetchMs.n) {
    console.log(
      `  session GET starts at / takes / answer -> ready:  ${fmt(x.sessionFetchStartMs)} | ${fmt(x.sessionFetchMs)} | ${fmt(x.sessionToReadyMs)} ms`,
    );
  }
  if (x.payMs) {
    console.log(
      `  PAY (click -> navigation to the provider starts): ${fmt(x.payMs)} ms  (failures: ${x.payFailures}; to ${x.payRedirectUrl})`,
    );
    console.log(
      `  pay: POST starts / answered (after click):        ${fmt(x.payPostStartMs)} | ${fmt(x.payPostEndMs)} ms`,
    );
    console.log(`  pay: document request sent (CDP wall clock):      ${fmt(x.payNavRequestMs)} ms`);
    console.log(
      `  pay: page's own time (excl. network/server waits): ${fmt(x.payClientMs)} ms; requests before the redirect: ${fmt(x.payRequests)}`,
    );
  }
  console.log(
    `  JS transfer ${x.jsTransfer} B in ${x.jsFiles} file(s) (decoded ${x.jsDecoded}); CSS transfer ${x.cssTransfer} B; radios ${x.radios}; clickable: ${x.allClickable}`,
  );
  if (x.trace)
    for (const k of Object.keys(x.trace).filter((k) => k !== 'n'))
      console.log(`  trace n=${x.trace.n} ${k.padEnd(18)} ${fmt(x.trace[k])} ms`);
  if (Object.keys(x.blockedRequests).length) console.log(`  blocked: ${JSON.stringify(x.blockedRequests)}`);
  if (x.pageErrors.length) console.log(`  page errors: ${JSON.stringify(x.pageErrors)}`);
}
// Paired comparison: in each timed round every page ran once, back to back, so round-wise ratios cancel drift.
const paired = {};
if (PAGES.includes(REF)) {
  console.log(`\n== paired vs ${REF} (per timed round: page / ${REF}; median of the per-round ratios)`);
  for (const page of PAGES.filter((p) => p !== REF)) {
    paired[page] = {};
    for (const key of ['readyMs', 'payEnabledMs', 'payMs', 'payClientMs']) {
      const d = [],
        q = [];
      for (let round = WARMUP; round < WARMUP + RUNS; round++) {
        const a = results.find((r) => r.page === page && r.round === round),
          b = results.find((r) => r.page === REF && r.round === round);
        if (a?.[key] > 0 && b?.[key] > 0) {
          d.push(a[key] - b[key]);
          q.push(a[key] / b[key]);
        }
      }
      if (!q.length) continue;
      paired[page][key] = {
        diffMs: stats(d),
        ratio: stats(q),
        ratioOfMedians: summary[page][key].median / summary[REF][key].median,
      };
      const p = paired[page][key];
      console.log(
        `  ${page.padEnd(16)} ${key.padEnd(8)} ratio median ${p.ratio.median.toFixed(2)} (min ${p.ratio.min.toFixed(2)}, p95 ${p.ratio.p95.toFixed(2)}); ratio of medians ${p.ratioOfMedians.toFixed(2)}; diff ${fmt(p.diffMs)} ms`,
      );
    }
  }
}
console.log(
  `\ncalibration (node, ms, lower = faster machine): start ${meta.calibMsStart}, end ${meta.calibMsEnd}; loadavg start ${meta.loadavgStart.map((v) => v.toFixed(2))}, end ${meta.loadavgEnd.map((v) => v.toFixed(2))}`,
);
fs.mkdirSync(path.dirname(OUT), { recursive: true });
fs.writeFileSync(OUT, JSON.stringify({ meta, summary, paired, results }, null, 1));
console.log(`\nwrote ${OUT}`);
