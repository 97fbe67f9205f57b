/**
 * ecommpay's `redirect_data` → a browser navigation.
 *
 * A callback may carry `redirect_data = { url, method: 'GET' | 'POST', body: {…} }`: the shopper's
 * browser must open `url` with that method, sending `body` (possibly `{}`) as query parameters (GET) or
 * as an auto-submitted form (POST).
 *
 * The module is split so that everything but the last step is pure and runs anywhere (browser, Node,
 * edge runtimes):
 * - `validateRedirectUrl` / `normalizeBody` / `planRedirect` — no DOM at all;
 * - `buildPostForm` — DOM APIs on a document that is passed in;
 * - `performRedirect` — the only function that reaches for `window`/`document`, and only lazily through
 *   `globalThis` when they are not injected. Nothing here touches the DOM at import time (SSR-safe).
 */

export interface RedirectData {
  url: string;
  method: string;
  body?: Record<string, unknown> | null;
}

export interface RedirectPolicy {
  /**
   * Hosts that may be opened over plain `http:` (local development, the Gate sandbox), e.g.
   * `['localhost', '127.0.0.1']`. Default: none — every redirect must use `https:`.
   * A host listed here also counts as allowed when `allowedHosts` is set: listing it is already an
   * explicit statement of trust.
   */
  devHosts?: string[];
  /**
   * When given, the URL's hostname must equal one of these, or match a `*.example.com` pattern
   * (any subdomain of `example.com`, at any depth — but not `example.com` itself; list it separately).
   * When absent, any `https:` host is allowed.
   */
  allowedHosts?: string[];
}

export type RedirectErrorCode =
  | 'invalid_url'
  | 'unsupported_protocol'
  | 'insecure_http'
  | 'host_not_allowed'
  | 'unsupported_method'
  | 'nested_body_value'
  | 'no_document';

export class RedirectError extends Error {
  override name = 'RedirectError';
  readonly code: RedirectErrorCode;
  /** The body field at fault, for `nested_body_value`. */
  readonly field?: string;

  constructor(code: RedirectErrorCode, message: string, field?: string) {
    super(message);
    this.code = code;
    if (field !== undefined) this.field = field;
  }
}

export type Navigation =
  | { kind: 'get'; url: string }
  | { kind: 'post'; url: string; fields: Record<string, string>; target: '_self' | '_top' };

export type PostNavigation = Extract<Navigation, { kind: 'post' }>;

export type RedirectTarget = '_self' | '_top';

/** Anything with `assign(url)`: `window.location`, or a stand-in in tests. */
export interface LocationLike {
  assign(url: string): void;
}

export interface PlanOptions {
  policy?: RedirectPolicy;
  /** Where to open the page: this browsing context (default) or the top window (when embedded). */
  target?: RedirectTarget;
}

export interface PerformOptions extends PlanOptions {
  /** The document a POST form is built in. Default: `window.document`, looked up when called. */
  document?: Document;
  /** Navigates this browsing context for GET. Default: `window.location`. */
  location?: LocationLike;
  /** Navigates the top window for GET with `target: '_top'`. Default: `window.top.location`. */
  topLocation?: LocationLike;
  /** The window to use instead of `globalThis.window` (tests, or code running in another frame). */
  window?: Window;
}

// ---------------------------------------------------------------------------------------------------
// URL validation

function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.endsWith('.')) h = h.slice(0, -1);
  // `new URL()` reports IPv6 hostnames in brackets: accept policy entries written either way.
  if (h.includes(':') && !h.startsWith('[')) h = `[${h}]`;
  return h;
}

function hostMatches(hostname: string, pattern: string): boolean {
  const p = normalizeHost(pattern);
  if (p.startsWith('*.')) {
    const suffix = p.slice(1); // '.example.com'
    return hostname.length > suffix.length && hostname.endsWith(suffix);
  }
  return hostname === p;
}

/**
 * Parses and checks a redirect URL. Throws `RedirectError` unless it is an absolute `https:` URL (or
 * `http:` to a dev host) without credentials, on an allowed host.
 *
 * No base URL is used, so relative (`/path`) and protocol-relative (`//evil.com/x`) URLs are refused.
 * The WHATWG URL parser strips leading/trailing control characters and spaces and removes tabs and
 * newlines anywhere, and lower-cases the scheme: `' javascript:…'`, `'java\tscript:…'` and
 * `'JaVaScRiPt:…'` all come out as `javascript:` and are refused by the protocol check.
 */
export function validateRedirectUrl(url: string, policy: RedirectPolicy = {}): URL {
  if (typeof url !== 'string' || url.trim() === '') {
    throw new RedirectError('invalid_url', 'Redirect URL is missing');
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RedirectError('invalid_url', 'Redirect URL is not a valid absolute URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new RedirectError(
      'unsupported_protocol',
      `Redirect URL uses the "${parsed.protocol}" protocol; only https (and http for development hosts) is allowed`,
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new RedirectError('invalid_url', 'Redirect URL must not contain a user name or password');
  }
  const hostname = normalizeHost(parsed.hostname);
  const devHosts = policy.devHosts ?? [];
  const isDevHost = devHosts.some((h) => normalizeHost(h) === hostname);
  if (parsed.protocol === 'http:' && !isDevHost) {
    throw new RedirectError(
      'insecure_http',
      `Redirect URL to "${parsed.hostname}" uses plain http; only https is allowed outside development hosts`,
    );
  }
  if (policy.allowedHosts && !isDevHost && !policy.allowedHosts.some((p) => hostMatches(hostname, p))) {
    throw new RedirectError(
      'host_not_allowed',
      `Redirect host "${parsed.hostname}" is not in the allowed list`,
    );
  }
  return parsed;
}

// ---------------------------------------------------------------------------------------------------
// Body

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/**
 * The body as string fields, ready for a query string or a form.
 * - `null`/`undefined` body → `{}`;
 * - strings are kept as they are; numbers and bigints → decimal text;
 * - booleans → `'1'`/`'0'`, as ecommpay writes them everywhere else (never `'true'`);
 * - `null` values → `''`; `undefined` values are left out (as `JSON.stringify` would);
 * - objects, arrays, functions, symbols → `RedirectError('nested_body_value')` naming the field: a form
 *   or a query string has no agreed way to carry them, so guessing one would send something the
 *   provider did not ask for.
 */
export function normalizeBody(body: Record<string, unknown> | null | undefined): Record<string, string> {
  if (body === null || body === undefined) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new RedirectError(
      'nested_body_value',
      `Redirect body is ${describe(body)}; it must be an object of fields`,
    );
  }
  const entries: [string, string][] = [];
  for (const key of Object.keys(body)) {
    const value = body[key];
    if (value === undefined) continue;
    if (value === null) entries.push([key, '']);
    else if (typeof value === 'string') entries.push([key, value]);
    else if (typeof value === 'number' || typeof value === 'bigint') entries.push([key, String(value)]);
    else if (typeof value === 'boolean') entries.push([key, value ? '1' : '0']);
    else {
      throw new RedirectError(
        'nested_body_value',
        `Redirect body field "${key}" is ${describe(value)}; only strings, numbers and booleans can be sent`,
        key,
      );
    }
  }
  // fromEntries defines own properties, so a field literally named "__proto__" survives as a field.
  return Object.fromEntries(entries);
}

// ---------------------------------------------------------------------------------------------------
// Planning

/**
 * Appends `fields` to the URL's query string.
 *
 * Existing parameters are kept byte for byte (the provider may have signed its own query string), and
 * the body's parameters are appended after them, form-encoded. A body key that already appears in the
 * URL is appended again rather than replacing it: nothing is lost, and the receiving server sees both
 * values in order (ecommpay does not send such duplicates in practice). The fragment is kept.
 */
function appendQuery(url: URL, fields: Record<string, string>): void {
  const extra = new URLSearchParams(Object.entries(fields)).toString();
  if (extra === '') return;
  const raw = url.search.slice(1);
  url.search = raw === '' || raw.endsWith('&') ? raw + extra : `${raw}&${extra}`;
}

/** Decides what to do with `redirect_data`, without touching the DOM. Throws `RedirectError`. */
export function planRedirect(data: RedirectData, opts: PlanOptions = {}): Navigation {
  const url = validateRedirectUrl(data.url, opts.policy);
  const method = typeof data.method === 'string' ? data.method.trim().toUpperCase() : '';
  const fields = normalizeBody(data.body);
  if (method === 'GET') {
    appendQuery(url, fields);
    return { kind: 'get', url: url.href };
  }
  if (method === 'POST') {
    return { kind: 'post', url: url.href, fields, target: opts.target ?? '_self' };
  }
  throw new RedirectError(
    'unsupported_method',
    `Redirect method "${String(data.method)}" is not supported; expected GET or POST`,
  );
}

// ---------------------------------------------------------------------------------------------------
// DOM

/**
 * Builds the auto-submit form for a POST redirect and appends it to `doc.body`.
 *
 * DOM APIs only (no `innerHTML`), string values set through properties, hidden with the `hidden`
 * attribute (no inline style: strict-CSP pages must work). A form exposes its inputs as properties named
 * after them, shadowing its own (`form.action`, `form.submit`…): every attribute is set before any input
 * is inside the form, and the inputs join it in a single call.
 */
export function buildPostForm(doc: Document, nav: PostNavigation): HTMLFormElement {
  const parent = doc.body ?? doc.documentElement;
  if (!parent) throw new RedirectError('no_document', 'The document has no body to put the redirect form in');
  const form = doc.createElement('form');
  form.setAttribute('method', 'post');
  form.setAttribute('action', nav.url);
  form.setAttribute('target', nav.target);
  form.setAttribute('accept-charset', 'utf-8');
  form.setAttribute('enctype', 'application/x-www-form-urlencoded');
  form.hidden = true;
  // Inputs go into a fragment that joins the form in one call: once a field named e.g. `appendChild`
  // is inside the form, browsers let it shadow `form.appendChild`.
  const inputs = doc.createDocumentFragment();
  for (const [name, value] of Object.entries(nav.fields)) {
    const input = doc.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    inputs.appendChild(input);
  }
  form.appendChild(inputs);
  parent.appendChild(form);
  return form;
}

function globalWindow(): Window | undefined {
  return (globalThis as { window?: Window }).window;
}

/**
 * `window.top`'s location, when the top window can be navigated from here; `undefined` when this is
 * the top window or when it cannot be reached.
 *
 * `assign` is not exposed on a cross-origin `Location`, but setting `href` is (browsers then allow it
 * only when the frame may navigate its top window): try one, then the other.
 */
function topLocationOf(win: Window): LocationLike | undefined {
  let top: Window | null;
  try {
    top = win.top;
  } catch {
    return undefined;
  }
  if (!top || top === win) return undefined;
  const topWindow = top;
  return {
    assign(url: string): void {
      try {
        topWindow.location.assign(url);
      } catch {
        topWindow.location.href = url;
      }
    },
  };
}

/**
 * Plans and performs the redirect; returns the navigation performed.
 *
 * - GET: `location.assign(url)`; with `target: '_top'` the top window is navigated when it can be,
 *   otherwise this browsing context is.
 * - POST: builds the form in the document and submits it with `HTMLFormElement.prototype.submit`, so an
 *   input named `submit` cannot shadow the method.
 *
 * Throws `RedirectError` for a refused redirect, and `no_document` when there is no document/window to
 * act on (server-side code should call `planRedirect` instead).
 */
export function performRedirect(data: RedirectData, opts: PerformOptions = {}): Navigation {
  const nav = planRedirect(data, opts);
  const win = opts.window ?? opts.document?.defaultView ?? globalWindow();

  if (nav.kind === 'get') {
    const self = opts.location ?? win?.location;
    if (opts.target === '_top') {
      const top = opts.topLocation ?? (win ? topLocationOf(win) : undefined);
      if (top) {
        try {
          top.assign(nav.url);
          return nav;
        } catch {
          // The top window refused (sandboxed frame without allow-top-navigation): open it here instead.
        }
      }
    }
    if (!self) throw new RedirectError('no_document', 'No browser window is available to navigate');
    self.assign(nav.url);
    return nav;
  }

  const doc = opts.document ?? win?.document;
  if (!doc) throw new RedirectError('no_document', 'No document is available to submit the redirect form');
  const form = buildPostForm(doc, nav);
  const FormCtor = doc.defaultView?.HTMLFormElement ?? globalThis.HTMLFormElement;
  // Falls back to the form's own prototype for documents from a realm without a global constructor.
  const submit = (FormCtor?.prototype ?? (Object.getPrototypeOf(form) as HTMLFormElement)).submit;
  submit.call(form);
  return nav;
}

/** Whether `win` (default: the current window) is inside a frame. A cross-origin parent counts as yes. */
export function isInIframe(win: Window | undefined = globalWindow()): boolean {
  if (!win) return false;
  try {
    return win.self !== win.top;
  } catch {
    return true;
  }
}
