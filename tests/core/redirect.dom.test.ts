import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Mock } from 'vitest';
import {
  RedirectError,
  buildPostForm,
  isInIframe,
  normalizeBody,
  performRedirect,
  planRedirect,
  validateRedirectUrl,
} from '../../src/core/redirect.ts';
import type { LocationLike, Navigation, RedirectData, RedirectErrorCode } from '../../src/core/redirect.ts';

const DEV = { devHosts: ['localhost', '127.0.0.1'] };

function codeOf(fn: () => unknown): { code: RedirectErrorCode; field?: string; message: string } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RedirectError);
    const err = e as RedirectError;
    expect(err.name).toBe('RedirectError');
    return { code: err.code, field: err.field, message: err.message };
  }
  throw new Error('expected a RedirectError');
}

function fakeLocation(): { assign: Mock<(url: string) => void> } {
  return { assign: vi.fn<(url: string) => void>() };
}

function spySubmit(): { calls: HTMLFormElement[]; snapshots: Record<string, string | null>[] } {
  const calls: HTMLFormElement[] = [];
  const snapshots: Record<string, string | null>[] = [];
  vi.spyOn(HTMLFormElement.prototype, 'submit').mockImplementation(function (this: HTMLFormElement) {
    calls.push(this);
    snapshots.push({
      action: this.getAttribute('action'),
      method: this.getAttribute('method'),
      target: this.getAttribute('target'),
      acceptCharset: this.getAttribute('accept-charset'),
      connected: String(this.isConnected),
    });
  });
  return { calls, snapshots };
}

/**
 * jsdom does not expose a form's inputs as properties of the form ([LegacyOverrideBuiltIns]), which is
 * what makes `<input name="submit">` shadow `form.submit` in browsers. Simulate it on every form created
 * through `document.createElement`, for the given names.
 */
function simulateFormNamedProperties(names: string[]): void {
  const create = document.createElement.bind(document);
  const childrenOf = Object.getOwnPropertyDescriptor(Element.prototype, 'children')!.get!;
  vi.spyOn(document, 'createElement').mockImplementation(((tag: string, options?: ElementCreationOptions) => {
    const el = create(tag, options);
    if (!(el instanceof HTMLFormElement)) return el;
    for (const name of names) {
      let proto: object | null = HTMLFormElement.prototype;
      let desc: PropertyDescriptor | undefined;
      while (proto && !desc) {
        desc = Object.getOwnPropertyDescriptor(proto, name);
        proto = Object.getPrototypeOf(proto) as object | null;
      }
      Object.defineProperty(el, name, {
        configurable: true,
        get() {
          const kids = Array.from(childrenOf.call(el) as HTMLCollection);
          const named = kids.find((k) => k instanceof HTMLInputElement && k.name === name);
          if (named) return named;
          return desc?.get ? desc.get.call(el) : desc?.value;
        },
        set(v: unknown) {
          desc?.set?.call(el, v);
        },
      });
    }
    return el;
  }) as typeof document.createElement);
}

function submittedFields(form: HTMLFormElement): [string, string][] {
  return Array.from(form.querySelectorAll('input')).map((i) => [i.name, i.value]);
}

afterEach(() => {
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

describe('validateRedirectUrl', () => {
  it('accepts https URLs and returns the parsed URL', () => {
    const u = validateRedirectUrl('https://provider.example/pay?x=1#top');
    expect(u).toBeInstanceOf(URL);
    expect(u.href).toBe('https://provider.example/pay?x=1#top');
  });

  it.each([
    ['javascript:alert(1)', 'unsupported_protocol'],
    ['JAVASCRIPT:alert(1)', 'unsupported_protocol'],
    ['JaVaScRiPt:alert(1)', 'unsupported_protocol'],
    [' javascript:alert(1)', 'unsupported_protocol'],
    ['\u0000\u001f javascript:alert(1)', 'unsupported_protocol'],
    ['java\tscript:alert(1)', 'unsupported_protocol'],
    ['java\nscript:alert(1)', 'unsupported_protocol'],
    ['data:text/html,<script>alert(1)</script>', 'unsupported_protocol'],
    ['blob:https://provider.example/0b1c2d3e', 'unsupported_protocol'],
    ['file:///etc/passwd', 'unsupported_protocol'],
    ['vbscript:msgbox(1)', 'unsupported_protocol'],
    ['ftp://provider.example/x', 'unsupported_protocol'],
    ['/path', 'invalid_url'],
    ['path/only', 'invalid_url'],
    ['//evil.com/x', 'invalid_url'],
    ['', 'invalid_url'],
    ['   ', 'invalid_url'],
    ['https://', 'invalid_url'],
    ['https://user:pass@provider.example/x', 'invalid_url'],
    ['https://user@provider.example/x', 'invalid_url'],
    ['https://:pass@provider.example/x', 'invalid_url'],
    ['http://provider.example/x', 'insecure_http'],
    ['HTTP://provider.example/x', 'insecure_http'],
  ] as const)('refuses %j (%s)', (url, code) => {
    expect(codeOf(() => validateRedirectUrl(url, DEV)).code).toBe(code);
  });

  it('refuses non-string input at run time', () => {
    expect(codeOf(() => validateRedirectUrl(undefined as unknown as string)).code).toBe('invalid_url');
  });

  it('gives readable messages', () => {
    expect(codeOf(() => validateRedirectUrl('javascript:alert(1)')).message).toMatch(
      /"javascript:" protocol/,
    );
    expect(codeOf(() => validateRedirectUrl('http://shop.example/')).message).toMatch(/plain http/);
  });

  it('allows http only to configured dev hosts', () => {
    expect(validateRedirectUrl('http://localhost:5173/return', DEV).port).toBe('5173');
    expect(validateRedirectUrl('http://127.0.0.1/x', DEV).hostname).toBe('127.0.0.1');
    expect(validateRedirectUrl('http://LOCALHOST/x', DEV).hostname).toBe('localhost');
    // Default devHosts is empty: even localhost needs configuring.
    expect(codeOf(() => validateRedirectUrl('http://localhost/x')).code).toBe('insecure_http');
    // Not a suffix match: a dev host name does not cover look-alikes.
    expect(codeOf(() => validateRedirectUrl('http://localhost.evil.com/x', DEV)).code).toBe('insecure_http');
  });

  it('matches IPv6 dev hosts with or without brackets', () => {
    expect(validateRedirectUrl('http://[::1]:8080/', { devHosts: ['::1'] }).hostname).toBe('[::1]');
    expect(validateRedirectUrl('http://[::1]/', { devHosts: ['[::1]'] }).hostname).toBe('[::1]');
  });

  it('checks allowedHosts exactly or by *.suffix pattern', () => {
    const policy = { allowedHosts: ['pay.example.com', '*.provider.test'] };
    expect(validateRedirectUrl('https://pay.example.com/x', policy).hostname).toBe('pay.example.com');
    expect(validateRedirectUrl('https://PAY.EXAMPLE.COM./x', policy).hostname).toBe('pay.example.com.');
    expect(validateRedirectUrl('https://a.provider.test/x', policy).hostname).toBe('a.provider.test');
    expect(validateRedirectUrl('https://a.b.provider.test/x', policy).hostname).toBe('a.b.provider.test');
    for (const url of [
      'https://evil.example.com/x',
      'https://example.com/x',
      'https://provider.test/x', // the wildcard does not cover the apex
      'https://evilprovider.test/x',
      'https://provider.test.evil.com/x',
      'https://pay.example.com.evil.com/x',
    ]) {
      const err = codeOf(() => validateRedirectUrl(url, policy));
      expect(err.code, url).toBe('host_not_allowed');
      expect(err.message).toMatch(/not in the allowed list/);
    }
  });

  it('lets dev hosts through an allowedHosts list, but only over their own names', () => {
    const policy = { devHosts: ['localhost'], allowedHosts: ['*.provider.test'] };
    expect(validateRedirectUrl('http://localhost:3000/', policy).hostname).toBe('localhost');
    expect(validateRedirectUrl('https://x.provider.test/', policy).hostname).toBe('x.provider.test');
    expect(codeOf(() => validateRedirectUrl('https://other.test/', policy)).code).toBe('host_not_allowed');
  });

  it('an empty allowedHosts list allows nothing', () => {
    expect(codeOf(() => validateRedirectUrl('https://a.test/', { allowedHosts: [] })).code).toBe(
      'host_not_allowed',
    );
  });
});

describe('normalizeBody', () => {
  it('turns a missing body into no fields', () => {
    expect(normalizeBody(null)).toEqual({});
    expect(normalizeBody(undefined)).toEqual({});
    expect(normalizeBody({})).toEqual({});
  });

  it('keeps strings, writes numbers in decimal and booleans as 1/0, null as empty', () => {
    expect(
      normalizeBody({
        s: 'abc',
        empty: '',
        n: 42,
        f: 10.5,
        neg: -1,
        big: 12345678901234567890n,
        t: true,
        no: false,
        z: null,
        u: undefined,
      }),
    ).toEqual({
      s: 'abc',
      empty: '',
      n: '42',
      f: '10.5',
      neg: '-1',
      big: '12345678901234567890',
      t: '1',
      no: '0',
      z: '',
    });
  });

  it('keeps a field literally named __proto__ as a field', () => {
    const body = JSON.parse('{"__proto__":"x","a":"1"}') as Record<string, unknown>;
    const out = normalizeBody(body);
    expect(Object.keys(out)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toBe('x');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it.each([
    ['an object', { customer: { id: 1 } }, 'customer'],
    ['an array', { items: ['a', 'b'] }, 'items'],
    ['a function', { cb: () => 1 }, 'cb'],
    ['a symbol', { sym: Symbol('s') }, 'sym'],
  ])('refuses %s value, naming the field', (what, body, field) => {
    const err = codeOf(() => normalizeBody(body as Record<string, unknown>));
    expect(err.code).toBe('nested_body_value');
    expect(err.field).toBe(field);
    expect(err.message).toBe(
      `Redirect body field "${field}" is ${what}; only strings, numbers and booleans can be sent`,
    );
  });

  it('refuses a body that is not an object', () => {
    const arr = codeOf(() => normalizeBody(['a'] as unknown as Record<string, unknown>));
    expect(arr.code).toBe('nested_body_value');
    expect(arr.field).toBeUndefined();
    expect(arr.message).toMatch(/is an array/);
    expect(codeOf(() => normalizeBody('a=1' as unknown as Record<string, unknown>)).message).toMatch(
      /is a string/,
    );
  });
});

describe('planRedirect', () => {
  it('GET keeps the existing query and appends the body', () => {
    const nav = planRedirect({
      url: 'https://provider.example/pay?tokenid=a&procid=b',
      method: 'GET',
      body: { x: '1' },
    });
    expect(nav).toEqual({ kind: 'get', url: 'https://provider.example/pay?tokenid=a&procid=b&x=1' });
    const q = new URL(nav.url).searchParams;
    expect(q.get('tokenid')).toBe('a');
    expect(q.get('procid')).toBe('b');
    expect(q.get('x')).toBe('1');
  });

  it('GET keeps both values when a body key repeats a URL parameter', () => {
    const nav = planRedirect({ url: 'https://p.example/?x=old', method: 'GET', body: { x: 'new' } });
    expect(nav.url).toBe('https://p.example/?x=old&x=new');
    expect(new URL(nav.url).searchParams.getAll('x')).toEqual(['old', 'new']);
  });

  it('GET keeps the existing query byte for byte (signed query strings survive)', () => {
    const url = 'https://p.example/pay?sig=a%2Bb%3D&q=a%20b&t=~x';
    expect(planRedirect({ url, method: 'GET', body: { y: 'a b&c=d' } }).url).toBe(`${url}&y=a+b%26c%3Dd`);
    expect(planRedirect({ url, method: 'GET', body: {} }).url).toBe(url);
    expect(planRedirect({ url: 'https://p.example/?a=1&', method: 'GET', body: { b: '2' } }).url).toBe(
      'https://p.example/?a=1&b=2',
    );
  });

  it('GET keeps the fragment after the query', () => {
    const nav = planRedirect({ url: 'https://p.example/pay?a=1#step-2', method: 'GET', body: { b: '2' } });
    expect(nav.url).toBe('https://p.example/pay?a=1&b=2#step-2');
    expect(new URL(nav.url).hash).toBe('#step-2');
  });

  it('GET with an empty or missing body leaves the URL as it is', () => {
    expect(planRedirect({ url: 'https://p.example/x', method: 'GET', body: {} }).url).toBe(
      'https://p.example/x',
    );
    expect(planRedirect({ url: 'https://p.example/x?', method: 'GET', body: null }).url).toBe(
      'https://p.example/x?',
    );
    expect(planRedirect({ url: 'https://p.example/x', method: 'GET' }).url).toBe('https://p.example/x');
  });

  it('GET encodes numbers, booleans and unicode', () => {
    const nav = planRedirect({
      url: 'https://p.example/x',
      method: 'get',
      body: { amount: 1000, ok: true, no: false, name: 'Ñoño 李 🙂' },
    });
    const q = new URL(nav.url).searchParams;
    expect([...q]).toEqual([
      ['amount', '1000'],
      ['ok', '1'],
      ['no', '0'],
      ['name', 'Ñoño 李 🙂'],
    ]);
  });

  it('GET with no body on a URL without query', () => {
    const nav = planRedirect({ url: 'https://p.example/x', method: 'GET', body: { a: '1', b: '' } });
    expect(nav.url).toBe('https://p.example/x?a=1&b=');
  });

  it('POST gives string fields and the target, default _self', () => {
    const data: RedirectData = {
      url: 'https://p.example/acs?x=1',
      method: 'POST',
      body: { PaReq: 'abc', n: 5 },
    };
    expect(planRedirect(data)).toEqual({
      kind: 'post',
      url: 'https://p.example/acs?x=1',
      fields: { PaReq: 'abc', n: '5' },
      target: '_self',
    });
    expect(planRedirect(data, { target: '_top' })).toMatchObject({ kind: 'post', target: '_top' });
    expect(planRedirect({ ...data, body: null })).toMatchObject({ fields: {} });
  });

  it('reads the method case-insensitively and trims it', () => {
    expect(planRedirect({ url: 'https://p.example/', method: 'post' }).kind).toBe('post');
    expect(planRedirect({ url: 'https://p.example/', method: ' Get ' }).kind).toBe('get');
  });

  it.each(['PUT', 'DELETE', 'PATCH', '', 'dialog'])('refuses method %j', (method) => {
    const err = codeOf(() => planRedirect({ url: 'https://p.example/', method }));
    expect(err.code).toBe('unsupported_method');
    expect(err.message).toMatch(/expected GET or POST/);
  });

  it('refuses a missing method at run time', () => {
    const data = { url: 'https://p.example/' } as unknown as RedirectData;
    expect(codeOf(() => planRedirect(data)).code).toBe('unsupported_method');
  });

  it('validates the URL with the given policy first', () => {
    expect(codeOf(() => planRedirect({ url: 'javascript:alert(1)', method: 'GET' })).code).toBe(
      'unsupported_protocol',
    );
    expect(planRedirect({ url: 'http://localhost/x', method: 'GET' }, { policy: DEV }).url).toBe(
      'http://localhost/x',
    );
  });

  it('refuses nested values before navigating', () => {
    const err = codeOf(() =>
      planRedirect({ url: 'https://p.example/', method: 'POST', body: { a: { b: 1 } } }),
    );
    expect(err).toMatchObject({ code: 'nested_body_value', field: 'a' });
  });
});

describe('buildPostForm', () => {
  const nav: Extract<Navigation, { kind: 'post' }> = {
    kind: 'post',
    url: 'https://p.example/acs?x=1',
    fields: { a: '1', b: 'two' },
    target: '_top',
  };

  it('builds a hidden form on document.body without inline style or HTML parsing', () => {
    const form = buildPostForm(document, nav);
    expect(form.parentNode).toBe(document.body);
    expect(form.getAttribute('method')).toBe('post');
    expect(form.getAttribute('action')).toBe('https://p.example/acs?x=1');
    expect(form.getAttribute('target')).toBe('_top');
    expect(form.getAttribute('accept-charset')).toBe('utf-8');
    expect(form.acceptCharset).toBe('utf-8');
    expect(form.enctype).toBe('application/x-www-form-urlencoded');
    expect(form.hidden).toBe(true);
    expect(form.hasAttribute('style')).toBe(false);
    expect(document.body.querySelector('[style]')).toBeNull();
    const inputs = Array.from(form.querySelectorAll('input'));
    expect(inputs.every((i) => i.type === 'hidden')).toBe(true);
    expect(submittedFields(form)).toEqual([
      ['a', '1'],
      ['b', 'two'],
    ]);
  });

  it('does not parse field names or values as HTML', () => {
    const form = buildPostForm(document, {
      ...nav,
      fields: { '"><img src=x onerror=alert(1)>': '<script>alert(1)</script>' },
    });
    expect(form.querySelector('img, script')).toBeNull();
    expect(submittedFields(form)).toEqual([['"><img src=x onerror=alert(1)>', '<script>alert(1)</script>']]);
  });

  it('falls back to documentElement when there is no body, and fails without either', () => {
    const doc = document.implementation.createHTMLDocument('x');
    doc.body.remove();
    const form = buildPostForm(doc, nav);
    expect(form.parentNode).toBe(doc.documentElement);

    const empty = document.implementation.createDocument(null, null);
    expect(codeOf(() => buildPostForm(empty, nav)).code).toBe('no_document');
  });
});

describe('performRedirect — POST', () => {
  it('submits through the prototype even when fields shadow submit/action/method/target', () => {
    const { calls, snapshots } = spySubmit();
    const names = ['submit', 'action', 'method', 'target', 'appendChild', 'setAttribute', 'hidden'];
    simulateFormNamedProperties(names);
    const body = {
      submit: 'x',
      action: 'https://evil.example/',
      method: 'get',
      target: '_blank',
      appendChild: 'a',
      setAttribute: 's',
      hidden: '0',
      PaReq: 'abc',
    };
    const nav = performRedirect({ url: 'https://acs.example/3ds?x=1', method: 'POST', body }, { document });

    expect(calls).toHaveLength(1);
    const form = calls[0]!;
    expect(form).toBeInstanceOf(HTMLFormElement);
    expect(form.parentNode).toBe(document.body);
    expect(snapshots[0]).toEqual({
      action: 'https://acs.example/3ds?x=1',
      method: 'post',
      target: '_self',
      acceptCharset: 'utf-8',
      connected: 'true',
    });
    // The simulation is active: the named inputs shadow the form's own members, as in browsers.
    for (const name of names)
      expect((form as unknown as Record<string, unknown>)[name]).toBeInstanceOf(HTMLInputElement);
    expect(form.hasAttribute('hidden')).toBe(true);
    expect(submittedFields(form)).toEqual(Object.entries(body));
    expect(nav).toEqual({
      kind: 'post',
      url: 'https://acs.example/3ds?x=1',
      fields: body,
      target: '_self',
    });
  });

  it('the shadowing simulation does break naive code (so the test above means something)', () => {
    simulateFormNamedProperties(['submit', 'appendChild']);
    const form = document.createElement('form');
    const a = document.createElement('input');
    a.name = 'appendChild';
    form.appendChild(a);
    expect(() => form.appendChild(document.createElement('input'))).toThrow(TypeError);
    const s = document.createElement('input');
    s.name = 'submit';
    Node.prototype.appendChild.call(form, s);
    expect(() => form.submit()).toThrow(TypeError);
  });

  it('targets the top window when asked, and uses the global document by default', () => {
    const { calls, snapshots } = spySubmit();
    performRedirect({ url: 'https://acs.example/', method: 'POST', body: {} }, { target: '_top' });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.ownerDocument).toBe(document);
    expect(snapshots[0]!.target).toBe('_top');
    expect(calls[0]!.querySelectorAll('input')).toHaveLength(0);
    expect(calls[0]!.hasAttribute('style')).toBe(false);
  });

  it('preserves unicode and control characters in values', () => {
    const { calls } = spySubmit();
    const body = { name: 'Ñoño 李 🙂 — «ok»', multi: 'line1\nline2', amp: 'a&b=c', n: 7, t: true };
    performRedirect({ url: 'https://acs.example/', method: 'POST', body }, { document });
    const form = calls[0]!;
    expect(submittedFields(form)).toEqual([
      ['name', 'Ñoño 李 🙂 — «ok»'],
      ['multi', 'line1\nline2'],
      ['amp', 'a&b=c'],
      ['n', '7'],
      ['t', '1'],
    ]);
    // What the browser would send, as the form's data set.
    expect([...new FormData(form)]).toEqual([
      ['name', 'Ñoño 李 🙂 — «ok»'],
      ['multi', 'line1\nline2'],
      ['amp', 'a&b=c'],
      ['n', '7'],
      ['t', '1'],
    ]);
  });

  it('builds nothing when the redirect is refused', () => {
    const { calls } = spySubmit();
    expect(() =>
      performRedirect({ url: 'javascript:alert(1)', method: 'POST', body: { a: '1' } }, { document }),
    ).toThrow(RedirectError);
    expect(() =>
      performRedirect({ url: 'https://acs.example/', method: 'POST', body: { a: [1] } }, { document }),
    ).toThrow(/field "a" is an array/);
    expect(calls).toHaveLength(0);
    expect(document.body.querySelector('form')).toBeNull();
  });

  it('uses the prototype of the form itself for a document whose realm has no HTMLFormElement', () => {
    const { calls } = spySubmit();
    const doc = document.implementation.createHTMLDocument('detached'); // defaultView is null
    expect(doc.defaultView).toBeNull();
    const original = globalThis.HTMLFormElement;
    vi.stubGlobal('HTMLFormElement', undefined);
    try {
      performRedirect({ url: 'https://acs.example/', method: 'POST', body: { a: '1' } }, { document: doc });
    } finally {
      vi.stubGlobal('HTMLFormElement', original);
      vi.unstubAllGlobals();
    }
    expect(calls).toHaveLength(1);
    expect(calls[0]!.ownerDocument).toBe(doc);
  });

  it('fails with no_document when there is no document at all (server side)', () => {
    vi.stubGlobal('window', undefined);
    try {
      const err = codeOf(() => performRedirect({ url: 'https://acs.example/', method: 'POST' }));
      expect(err.code).toBe('no_document');
      const get = codeOf(() => performRedirect({ url: 'https://acs.example/', method: 'GET' }));
      expect(get.code).toBe('no_document');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('performRedirect — GET', () => {
  it('assigns the planned URL to the injected location', () => {
    const location = fakeLocation();
    const nav = performRedirect(
      { url: 'https://p.example/pay?tokenid=a&procid=b#f', method: 'GET', body: { x: '1' } },
      { location },
    );
    expect(nav).toEqual({ kind: 'get', url: 'https://p.example/pay?tokenid=a&procid=b&x=1#f' });
    expect(location.assign).toHaveBeenCalledExactlyOnceWith('https://p.example/pay?tokenid=a&procid=b&x=1#f');
  });

  it('navigates the top location for target _top', () => {
    const location = fakeLocation();
    const topLocation = fakeLocation();
    performRedirect({ url: 'https://p.example/', method: 'GET' }, { location, topLocation, target: '_top' });
    expect(topLocation.assign).toHaveBeenCalledExactlyOnceWith('https://p.example/');
    expect(location.assign).not.toHaveBeenCalled();
  });

  it('falls back to this window when the top window refuses', () => {
    const location = fakeLocation();
    const topLocation = {
      assign: vi.fn(() => {
        throw new DOMException('Blocked', 'SecurityError');
      }),
    };
    performRedirect({ url: 'https://p.example/', method: 'GET' }, { location, topLocation, target: '_top' });
    expect(topLocation.assign).toHaveBeenCalledOnce();
    expect(location.assign).toHaveBeenCalledExactlyOnceWith('https://p.example/');
  });

  it('navigates itself for target _top when it already is the top window', () => {
    const location = fakeLocation();
    const win = { top: null, location } as unknown as Window;
    performRedirect({ url: 'https://p.example/', method: 'GET' }, { window: win, target: '_top' });
    expect(location.assign).toHaveBeenCalledExactlyOnceWith('https://p.example/');

    const self = fakeLocation();
    const topIsSelf = { location: self } as { top?: unknown; location: LocationLike };
    topIsSelf.top = topIsSelf;
    performRedirect(
      { url: 'https://p.example/', method: 'GET' },
      { window: topIsSelf as Window, target: '_top' },
    );
    expect(self.assign).toHaveBeenCalledOnce();
  });

  it('reaches window.top.location from a framed window', () => {
    const top = { location: fakeLocation() };
    const self = fakeLocation();
    const win = { top, location: self } as unknown as Window;
    performRedirect({ url: 'https://p.example/', method: 'GET' }, { window: win, target: '_top' });
    expect(top.location.assign).toHaveBeenCalledExactlyOnceWith('https://p.example/');
    expect(self.assign).not.toHaveBeenCalled();
  });

  it('sets href on a cross-origin top whose Location has no usable assign', () => {
    let href = '';
    const top = {
      location: {
        assign() {
          throw new DOMException('Blocked a frame from accessing a cross-origin frame', 'SecurityError');
        },
        set href(v: string) {
          href = v;
        },
      },
    };
    const self = fakeLocation();
    const win = { top, location: self } as unknown as Window;
    performRedirect({ url: 'https://p.example/?a=1', method: 'GET' }, { window: win, target: '_top' });
    expect(href).toBe('https://p.example/?a=1');
    expect(self.assign).not.toHaveBeenCalled();
  });

  it('navigates itself when the top window can neither be assigned nor have its href set', () => {
    const top = {
      location: {
        assign() {
          throw new DOMException('x', 'SecurityError');
        },
        set href(_v: string) {
          throw new DOMException('sandboxed', 'SecurityError');
        },
      },
    };
    const self = fakeLocation();
    performRedirect(
      { url: 'https://p.example/', method: 'GET' },
      { window: { top, location: self } as unknown as Window, target: '_top' },
    );
    expect(self.assign).toHaveBeenCalledExactlyOnceWith('https://p.example/');
  });

  it('navigates itself when reading window.top throws', () => {
    const self = fakeLocation();
    const win = {
      get top(): Window {
        throw new DOMException('x', 'SecurityError');
      },
      location: self,
    } as unknown as Window;
    performRedirect({ url: 'https://p.example/', method: 'GET' }, { window: win, target: '_top' });
    expect(self.assign).toHaveBeenCalledOnce();
  });

  it('defaults to window.location', () => {
    const assign = vi.fn();
    const win = { location: { assign } } as unknown as Window;
    vi.stubGlobal('window', win);
    try {
      performRedirect({ url: 'https://p.example/', method: 'GET', body: { a: 1 } });
    } finally {
      vi.unstubAllGlobals();
    }
    expect(assign).toHaveBeenCalledExactlyOnceWith('https://p.example/?a=1');
  });

  it('refuses bad URLs without navigating', () => {
    const location = fakeLocation();
    for (const url of ['javascript:alert(1)', ' javascript:alert(1)', '//evil.com/x', 'http://evil.com/']) {
      expect(() => performRedirect({ url, method: 'GET' }, { location, policy: DEV })).toThrow(RedirectError);
    }
    expect(location.assign).not.toHaveBeenCalled();
  });
});

describe('isInIframe', () => {
  it('is false in the top window (jsdom default)', () => {
    expect(isInIframe()).toBe(false);
    expect(isInIframe(window)).toBe(false);
  });

  it('is true when self differs from top', () => {
    expect(isInIframe({ self: {}, top: {} } as unknown as Window)).toBe(true);
  });

  it('is true when top cannot be read (cross-origin parent)', () => {
    const win = {
      self: {},
      get top(): Window {
        throw new DOMException('x', 'SecurityError');
      },
    } as unknown as Window;
    expect(isInIframe(win)).toBe(true);
  });

  it('is false without any window (server side)', () => {
    vi.stubGlobal('window', undefined);
    try {
      expect(isInIframe()).toBe(false);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
