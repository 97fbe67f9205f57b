import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Server-rendered pages without scripts, inline styles or external assets, so they work under a strict
 * CSP: plain forms, one small stylesheet served by the sandbox itself.
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** Template tag: interpolated values are escaped unless they are SafeHtml (or arrays of it). */
export function h(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Attributes from a map: `true` → bare attribute, `false`/`undefined` → left out, strings escaped. */
export function attrs(a: Record<string, string | boolean | undefined>): SafeHtml {
  let out = '';
  for (const [k, v] of Object.entries(a)) {
    if (v === true) out += ` ${k}`;
    else if (typeof v === 'string') out += ` ${k}="${escapeHtml(v)}"`;
  }
  return new SafeHtml(out);
}

export const STYLESHEET_PATH = '/assets/sandbox.css';

export const STYLESHEET = `:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { margin: 0; padding: 2rem 1rem; }
main { max-width: 36rem; margin: 0 auto; }
h1 { font-size: 1.5rem; margin-top: 0; }
.sandbox-note { font-size: 0.875rem; border-left: 4px solid #b45309; padding: 0.25rem 0.75rem; }
.amount { font-size: 1.75rem; font-weight: 700; }
.problems, .error { color: #b91c1c; }
label { display: block; font-weight: 600; margin-top: 1rem; }
input[type='text'], input[type='email'] { display: block; width: 100%; max-width: 24rem; padding: 0.5rem; font: inherit; box-sizing: border-box; }
fieldset { border: 1px solid #9ca3af; padding: 0.75rem 1rem; margin: 1rem 0; }
fieldset label { display: inline; font-weight: 400; margin: 0 0 0 0.25rem; }
.actions { display: flex; gap: 0.75rem; margin-top: 1.5rem; flex-wrap: wrap; }
button { font: inherit; padding: 0.6rem 1.25rem; border-radius: 0.375rem; border: 1px solid #374151; cursor: pointer; }
button.success { background: #15803d; color: #fff; border-color: #15803d; }
button.decline { background: #b91c1c; color: #fff; border-color: #b91c1c; }
button:focus-visible, input:focus-visible, a:focus-visible { outline: 3px solid #2563eb; outline-offset: 2px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; word-break: break-all; }
`;

/** Content-Security-Policy of every page: no scripts at all; forms may post anywhere (return URLs). */
export const PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' http: https:; base-uri 'none'; frame-ancestors *";

export function document(title: string, body: SafeHtml): string {
  return h`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        <link rel="stylesheet" href="${STYLESHEET_PATH}" />
      </head>
      <body>
        <main>${body}</main>
      </body>
    </html> `.value;
}

export function sendPage(c: Context, status: ContentfulStatusCode, title: string, body: SafeHtml): Response {
  c.header('Content-Security-Policy', PAGE_CSP);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cache-Control', 'no-store');
  return c.html(document(title, body), status);
}

export function errorPage(
  c: Context,
  status: ContentfulStatusCode,
  title: string,
  message: string,
  details: string[] = [],
  extra?: SafeHtml,
): Response {
  return sendPage(
    c,
    status,
    title,
    h`<h1>${title}</h1>
      <p class="error">${message}</p>
      ${
        details.length > 0
          ? h`<ul class="problems">
              ${details.map((d) => h`<li>${d}</li>`)}
            </ul>`
          : ''
      }
      ${extra ?? ''}`,
  );
}

/** Hidden inputs for a form that resubmits `fields`. */
export function hiddenFields(fields: Record<string, string>): SafeHtml {
  return h`${Object.entries(fields).map(([k, v]) => h`<input type="hidden" name="${k}" value="${v}" />`)}`;
}
