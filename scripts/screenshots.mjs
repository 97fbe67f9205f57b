#!/usr/bin/env node
// `npm run screenshots`: the visual reference in docs/screens/*.png — the demo shop (1280×800 and 390×844,
// light and dark, English and Russian), the widget in every method (GrabPay PHP, GrabPay MYR's
// clarification, ADVCash, Payco, Jeton Voucher) and the methods it cannot offer, the result view (success
// and decline), the script-tag page and the merchant console.
//
// It builds the demo and starts its own stack (scripts/start.ts: sandbox, backend in memory, demo server) on
// ports of its own, moved by E2E_PORT_OFFSET like the e2e stacks (e2e/stack.ts), and drives Debian's
// Chromium (scripts/lib/chromium.mjs) with Playwright. PNGs at 1× scale, to keep the repository small.
// `--no-build` reuses the last build; `--only <substring>` takes only the matching screenshots.
// Run it under the browser lock on a shared machine: `flock /tmp/browser.lock npm run screenshots`.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/chromium.mjs';

const root = resolve(import.meta.dirname, '..');
const OUT = resolve(root, 'docs/screens');
const offset = Number(process.env.E2E_PORT_OFFSET ?? 0) || 0;
// Not the e2e stacks' ports (5273/5274, 8887/8888, 8890/8891): both may run at once.
const PORTS = { demo: 5279 + offset, backend: 8885 + offset, sandbox: 8895 + offset };
const HOST = '127.0.0.1';
const BASE = `http://${HOST}:${PORTS.demo}`;
const argv = process.argv.slice(2);
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

// ── the stack ──────────────────────────────────────────────────────────────────────────────────────
function startStack(build) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/start.ts', '--quiet', ...(build ? [] : ['--no-build'])],
    {
      cwd: root,
      detached: true,
      env: {
        ...process.env,
        DEMO_HOST: HOST,
        DEMO_PORT: String(PORTS.demo),
        BACKEND_PORT: String(PORTS.backend),
        SANDBOX_PORT: String(PORTS.sandbox),
        DATA_DIR: 'memory://',
        // Provider pages and callbacks without the sandbox's human-scale delays.
        SANDBOX_TIME_SCALE: '0.2',
        RATE_LIMIT_PER_MINUTE: '1000000',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const ready = new Promise((resolveReady, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('checkout demo is running')) resolveReady();
    });
    child.on('exit', (code) => reject(new Error(`the demo stack exited (${code}) before it was ready`)));
  });
  return { child, ready };
}

function stopStack(child) {
  if (child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM'); // its process group: start.ts and the servers it started
  } catch {
    child.kill('SIGTERM');
  }
}

// ── helpers ────────────────────────────────────────────────────────────────────────────────────────
let taken = 0;
async function shot(page, name, opts = {}) {
  if (only && !name.includes(only)) return;
  const path = resolve(OUT, `${name}.png`);
  const target = opts.element ? page.locator(opts.element) : page;
  // Nothing hovered, no caret, no animation: the same picture every run.
  await page.mouse.move(0, 0);
  await target.screenshot({
    path,
    animations: 'disabled',
    caret: 'hide',
    ...(opts.element ? {} : { fullPage: opts.fullPage ?? true }),
  });
  taken += 1;
  console.log(`  docs/screens/${name}.png`);
}

const wanted = (...names) => !only || names.some((n) => n.includes(only));

async function newPage(browser, viewport = DESKTOP) {
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    locale: 'en-US',
    timezoneId: 'UTC',
    reducedMotion: 'reduce',
  });
  return context.newPage();
}

/** The shop, a cart picked, on to the checkout; resolves once the method step shows its form. */
async function openCart(page, cart, query = '') {
  await page.goto(`${BASE}/${query}`);
  await page.locator(`input[name=cart][value="${cart}"]`).check();
  await page.locator('.shop__go').click();
  await page.waitForURL(/[?&]order=ord_/);
  await page.locator('.ecp-checkout button[type=submit]').waitFor();
}

const widget = (page) => page.getByRole('group', { name: 'Checkout' });
const method = (page, name) => widget(page).getByRole('radio', { name: new RegExp(`^${name} `) });
const pay = (page) => widget(page).getByRole('button', { name: /^Pay / });

async function blurAll(page) {
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
}

// ── the pictures ───────────────────────────────────────────────────────────────────────────────────
async function shopPages(browser) {
  for (const [device, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ]) {
    for (const theme of ['light', 'dark']) {
      for (const lang of ['en', 'ru']) {
        const names = [`shop-${device}-${theme}-${lang}`, `checkout-${device}-${theme}-${lang}`];
        if (!wanted(...names)) continue;
        const page = await newPage(browser, viewport);
        await page.goto(`${BASE}/?lang=${lang}&theme=${theme}`);
        await page.locator('.shop__go').waitFor();
        await shot(page, names[0]);
        // The same page with the checkout open on the multi-currency order (every method shows).
        await page.locator('input[name=cart][value="eu-25"]').check();
        await page.locator('.shop__go').click();
        await page.locator('.ecp-checkout button[type=submit]').waitFor();
        await blurAll(page);
        await shot(page, names[1]);
        await page.context().close();
      }
    }
  }
}

async function methods(browser) {
  const page = await newPage(browser);
  const main = '.shop__main';
  if (wanted('widget-grabpay-php')) {
    await openCart(page, 'ph-1500');
    await method(page, 'GrabPay').check();
    await widget(page).getByRole('textbox', { name: 'E-mail' }).fill('ana.santos@example.com');
    await blurAll(page);
    await shot(page, 'widget-grabpay-php', { element: main });
  }
  if (wanted('widget-grabpay-myr-clarification')) {
    await openCart(page, 'my-50');
    await method(page, 'GrabPay').check();
    await shot(page, 'widget-grabpay-myr', { element: main });
    // No names given: the Gate asks for them (a clarification).
    await pay(page).click();
    await widget(page).getByRole('heading', { name: 'A few more details' }).waitFor();
    await widget(page)
      .getByRole('textbox', { name: /^First name/ })
      .waitFor();
    await blurAll(page);
    await shot(page, 'widget-grabpay-myr-clarification', { element: main });
  }
  if (wanted('widget-advcash')) {
    await openCart(page, 'eu-25');
    await method(page, 'ADVCash').check();
    await blurAll(page);
    await shot(page, 'widget-advcash', { element: main });
  }
  if (wanted('widget-payco', 'widget-unavailable')) {
    await openCart(page, 'kr-25000');
    await method(page, 'Payco').check();
    await blurAll(page);
    await shot(page, 'widget-payco', { element: main });
    await widget(page).locator('summary').click();
    await blurAll(page);
    await shot(page, 'widget-unavailable', { element: main });
  }
  if (wanted('widget-jeton')) {
    await openCart(page, 'eu-25');
    await method(page, 'Jeton Voucher').check();
    const year = new Date().getUTCFullYear() + 3;
    await widget(page).getByRole('textbox', { name: 'Voucher number' }).fill('4619123456789012345');
    await widget(page).getByRole('textbox', { name: 'Expiry date' }).fill(`12${year}`);
    await widget(page).getByRole('textbox', { name: 'Security code' }).fill('1234');
    await blurAll(page);
    await shot(page, 'widget-jeton', { element: main });
  }
  if (wanted('widget-jeton-errors')) {
    await openCart(page, 'eu-25');
    await method(page, 'Jeton Voucher').check();
    await pay(page).click();
    await widget(page).getByText('This field is required').first().waitFor();
    await blurAll(page);
    await shot(page, 'widget-jeton-errors', { element: main });
  }
  await page.context().close();
}

async function results(browser) {
  for (const theme of ['light', 'dark']) {
    const page = await newPage(browser);
    const main = '.shop__main';
    // `?theme=` holds for one page only; the shop keeps the theme across the provider's round trip only when
    // the shopper picks it (the Dark box, stored): so pick it, as a shopper would.
    if (theme === 'dark' && wanted('result-success-dark', 'result-decline-dark')) {
      await page.goto(`${BASE}/`);
      await page.getByRole('checkbox', { name: 'Dark' }).check();
    }
    if (wanted(`result-success-${theme}`)) {
      // GrabPay PHP to its provider page, Success, back to the shop: the result as a returning shopper sees it.
      await openCart(page, 'ph-1500', `?theme=${theme}`);
      await method(page, 'GrabPay').check();
      await widget(page).getByRole('textbox', { name: 'E-mail' }).fill('ana.santos@example.com');
      await pay(page).click();
      await page.waitForURL(/\/providers\//);
      if (theme === 'light') await shot(page, 'provider-grabpay', { fullPage: false });
      await page.getByRole('button', { name: 'Success', exact: true }).click();
      await widget(page).getByRole('heading', { name: 'Payment successful' }).waitFor();
      // The heading has the focus (for screen readers): the picture shows it draws no ring.
      await shot(page, `result-success-${theme}`, { element: main });
    }
    if (wanted(`result-decline-${theme}`)) {
      // Jeton Voucher for 400.00, which the test rules decline, through the waiting step.
      await openCart(page, 'decline-400', `?theme=${theme}`);
      await method(page, 'Jeton Voucher').check();
      const year = new Date().getUTCFullYear() + 3;
      await widget(page).getByRole('textbox', { name: 'Voucher number' }).fill('4619123456789012345');
      await widget(page).getByRole('textbox', { name: 'Expiry date' }).fill(`12${year}`);
      await widget(page).getByRole('textbox', { name: 'Security code' }).fill('1234');
      await pay(page).click();
      await widget(page).getByRole('heading', { name: 'Confirming your payment' }).waitFor();
      if (theme === 'light') await shot(page, 'widget-waiting', { element: main });
      await widget(page).getByRole('heading', { name: 'Payment declined' }).waitFor({ timeout: 30_000 });
      await shot(page, `result-decline-${theme}`, { element: main });
    }
    await page.context().close();
  }
}

async function otherPages(browser) {
  if (wanted('embed-page')) {
    const page = await newPage(browser);
    await page.goto(`${BASE}/embed.html`);
    await page.getByRole('button', { name: 'Go to checkout' }).waitFor();
    await shot(page, 'embed-page');
    await page.context().close();
  }
  for (const [device, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ]) {
    if (!wanted(`console-${device}`)) continue;
    const page = await newPage(browser, viewport);
    await page.goto(`${BASE}/console.html`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    // The payments' first page (a row, or the empty table's message), not the table before it loads.
    await page.locator('.c-table tbody tr').first().waitFor();
    await shot(page, `console-${device}`);
    await page.context().close();
  }
}

// ── run ────────────────────────────────────────────────────────────────────────────────────────────
mkdirSync(OUT, { recursive: true });
let stack = startStack(!argv.includes('--no-build'));
const stop = () => stopStack(stack.child);
process.on('SIGINT', () => (stop(), process.exit(130)));
process.on('SIGTERM', () => (stop(), process.exit(143)));
let browser;
try {
  // start.ts gives the backend a fixed time to answer; a first start on a busy machine can miss it: once
  // more, on the build just made.
  await stack.ready.catch((e) => {
    console.error(`${e.message}; starting it again`);
    stack = startStack(false);
    return stack.ready;
  });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  console.log(`Screenshots of ${BASE} → docs/screens/`);
  await shopPages(browser);
  await methods(browser);
  await results(browser);
  await otherPages(browser);
  console.log(`${taken} screenshots written.`);
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await browser?.close();
  stop();
}
