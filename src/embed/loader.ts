/**
 * `mount(element, options)` as the page calls it, in the loader (`./index.ts`): it checks the options and
 * the element at once (the same errors as ever, thrown synchronously), starts the session request, and
 * renders `<Checkout>` (stage one, `./app.tsx`) as soon as that file is there. `update()` and `unmount()`
 * work at any time: before stage one has loaded they are applied when it has.
 */
import type * as App from './app.tsx';
import type { MountedCheckout, MountOptions, PrefetchedSession } from './mount.tsx';

export type { MountedCheckout, MountOptions } from './mount.tsx';

type AppModule = typeof App;

/** The stages' files (each chunk first, then the chunks it imports), written in by the embed build. */
interface Stages {
  app: string[];
  forms: string[];
}
const STAGES = builtStages();

function builtStages(): Stages | undefined {
  try {
    return JSON.parse('__ECP_STAGES__') as Stages; // a string the build replaces; a minifier cannot fold it
  } catch {
    return undefined; // not built (tests, dev)
  }
}

/** This script's URL: known only while it runs, so taken now. */
const base = scriptUrl();

function scriptUrl(): string {
  if (typeof document === 'undefined') return '';
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current.src;
  // Run some other way (e.g. evaluated by a tag manager): the page's script tag that loads us.
  for (const s of Array.from(document.scripts).reverse())
    if (/ecommpay-checkout[^/]*\.js(?:[?#]|$)/.test(s.src)) return s.src;
  return document.baseURI;
}

/**
 * Fetches both stages now, in parallel (stage one's chunks need no discovery round trip), without running
 * them: stage two is evaluated only when `<Checkout>` asks for it, once the list is on screen.
 */
export function preloadStages(): void {
  if (!STAGES || typeof document === 'undefined') return;
  for (const file of [...STAGES.app, ...STAGES.forms]) {
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = new URL(file, base).href;
    document.head.appendChild(link);
  }
}

let app: Promise<AppModule> | undefined;
function loadApp(): Promise<AppModule> {
  app ??= import('./app.tsx').catch((e: unknown) => {
    app = undefined; // the next mount() tries again
    throw e;
  });
  return app;
}

function resolveElement(target: Element | string): Element {
  const el = typeof target === 'string' ? document.querySelector(target) : target;
  if (!el || typeof (el as Element).appendChild !== 'function') {
    throw new TypeError(
      `EcommpayCheckout.mount: no element ${typeof target === 'string' ? `matches "${target}"` : 'given'}`,
    );
  }
  return el;
}

/**
 * The session request, started before stage one has loaded: the same request the core client makes
 * (`GET /api/sessions/:id`, only CORS-safelisted headers, so no preflight), handed to it when it asks.
 */
function prefetchSession(options: MountOptions): PrefetchedSession | undefined {
  if (options.session || options.client || !options.apiBaseUrl || typeof fetch !== 'function') return;
  const url = `${options.apiBaseUrl.replace(/\/+$/, '')}/api/sessions/${encodeURIComponent(options.sessionId)}`;
  const response = fetch(url, { method: 'GET', headers: { accept: 'application/json' } });
  response.catch(() => undefined); // a failure is the client's to report, when it asks
  return { url, response };
}

/**
 * Given the session, the widget asks the backend nothing before Pay: open the connection now (anonymous, as
 * the widget's CORS requests are), so that Pay's request does not pay for it.
 */
function preconnect(apiBaseUrl: string | undefined): void {
  if (!apiBaseUrl || typeof document === 'undefined') return;
  let origin: string;
  try {
    origin = new URL(apiBaseUrl, document.baseURI).origin;
  } catch {
    return;
  }
  if (origin === location.origin || document.querySelector(`link[rel="preconnect"][href="${origin}"]`))
    return;
  const link = document.createElement('link');
  link.rel = 'preconnect';
  link.href = origin;
  link.crossOrigin = 'anonymous';
  document.head.appendChild(link);
}

export function mount(target: Element | string, options: MountOptions): MountedCheckout {
  if (!options || typeof options.sessionId !== 'string' || options.sessionId === '') {
    throw new TypeError('EcommpayCheckout.mount: options.sessionId is required');
  }
  if (!options.apiBaseUrl && !options.client) {
    throw new TypeError('EcommpayCheckout.mount: options.apiBaseUrl is required');
  }
  const element = resolveElement(target);
  const prefetched = prefetchSession(options);
  if (!prefetched) preconnect(options.apiBaseUrl);
  let current: MountOptions = { ...options };
  let widget: MountedCheckout | null = null;
  let gone = false;
  loadApp().then(
    (m) => {
      if (!gone) widget = m.mount(element, current, prefetched);
    },
    (e: unknown) => {
      if (gone) return;
      const error = e instanceof Error ? e : new Error(String(e));
      element.textContent = 'The checkout could not load. Please reload the page.';
      element.setAttribute('role', 'alert');
      current.onError?.(error, { stage: 'session' });
    },
  );
  return {
    update(next) {
      if (gone) throw new Error('EcommpayCheckout: this widget was unmounted');
      current = { ...current, ...next };
      widget?.update(next);
    },
    unmount() {
      gone = true;
      widget?.unmount();
      widget = null;
    },
  };
}
