import type { Context, Hono } from 'hono';
import type { MethodId } from '../core/methods/index.ts';
import { formatMoney } from '../core/money.ts';
import { normalizeBody } from '../core/redirect.ts';
import { toEcommpayStatus } from '../core/status.ts';
import type { Engine } from './engine.ts';
import { attrs, errorPage, h, sendPage } from './html.ts';
import type { PaymentRecord } from './ledger.ts';
import { providerPages, type ProviderPage } from './providers/index.ts';

type Received = Record<string, string[]>;

async function formFields(c: Context): Promise<Received> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return {};
  const body = await c.req.parseBody({ all: true });
  const out: Received = {};
  for (const [k, v] of Object.entries(body)) {
    const values = Array.isArray(v) ? v : [v];
    out[k] = values.map((x) => (typeof x === 'string' ? x : `[file ${x.name}]`));
  }
  return out;
}

function describe(value: string): string {
  return JSON.stringify(value.length > 120 ? `${value.slice(0, 117)}…` : value);
}

/** Every expected field must have arrived once, with exactly the value sent. */
function compareFields(expected: Record<string, string>, received: Received, where: string): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(expected)) {
    const got = received[name];
    if (got === undefined || got.length === 0) {
      problems.push(`Missing ${where} field "${name}" (expected ${describe(value)})`);
    } else if (got.some((g) => g !== value)) {
      const shown = got.length === 1 ? describe(got[0] ?? '') : got.map(describe).join(', ');
      problems.push(`Mangled ${where} field "${name}": expected ${describe(value)}, got ${shown}`);
    }
  }
  return problems;
}

function returnLink(engine: Engine, record: PaymentRecord) {
  const result = record.state === 'success' ? 'success' : 'decline';
  const url = engine.returnUrl(record, result);
  return url ? h`<p><a href="${url}">Back to the shop</a></p>` : h``;
}

/** The provider's page: the payment found by its token, every redirect field checked, then the buttons. */
async function providerPage(
  c: Context,
  engine: Engine,
  method: MethodId,
  page: ProviderPage,
): Promise<Response> {
  const { name, tokenField } = page;
  const query: Received = c.req.queries();
  const form = c.req.method === 'POST' ? await formFields(c) : {};
  const token = (form[tokenField] ?? query[tokenField])?.[0];
  const record = token === undefined ? undefined : engine.ledger.byProviderToken(method, token);
  if (!record?.redirect) {
    return errorPage(
      c,
      token === undefined ? 400 : 404,
      `${name}: payment not found`,
      token === undefined
        ? `The request has no "${tokenField}" field, so ${name} cannot tell which payment this is.`
        : `No ${name} payment has ${tokenField} ${describe(token)}.`,
    );
  }
  const redirect = record.redirect;
  if (c.req.method !== redirect.method) {
    return errorPage(
      c,
      400,
      `${name}: wrong HTTP method`,
      `redirect_data.method was ${redirect.method}, but the browser came with ${c.req.method}. ` +
        (redirect.method === 'POST'
          ? 'Submit redirect_data.body as form fields to redirect_data.url.'
          : 'Open redirect_data.url with redirect_data.body added to its query string.'),
    );
  }
  // The URL's own query parameters (GrabPay's tokenid/procid) and the body's fields must all arrive intact.
  const urlParams: Record<string, string> = Object.fromEntries(new URL(redirect.url).searchParams);
  const body = normalizeBody(redirect.body);
  const problems = [
    ...compareFields(urlParams, query, 'URL'),
    ...compareFields(
      body,
      redirect.method === 'GET' ? query : form,
      redirect.method === 'GET' ? 'query' : 'form',
    ),
  ];
  if (problems.length > 0) {
    return errorPage(
      c,
      400,
      `${name}: the payment request did not arrive intact`,
      `Every field of redirect_data must reach ${name} unchanged (${redirect.method === 'GET' ? 'as query parameters' : 'as form fields'}).`,
      problems,
    );
  }
  const amount = formatMoney(record.amount, record.currency, 'en');
  if (record.state !== 'awaiting_redirect') {
    return sendPage(
      c,
      record.state === 'success' || record.state === 'decline' ? 200 : 409,
      `${name}: payment ${toEcommpayStatus(record.state)}`,
      h`<h1>${name}</h1>
        <p>
          This payment of <strong>${amount}</strong> is already
          <strong>${toEcommpayStatus(record.state)}</strong>.
        </p>
        ${returnLink(engine, record)}`,
    );
  }
  const declineFirst = record.testDecline;
  const button = (result: 'success' | 'decline', label: string) =>
    h`<button${attrs({
      type: 'submit',
      name: 'result',
      value: result,
      class: result,
      autofocus: (result === 'decline') === declineFirst,
    })}>${label}</button>`;
  const success = button('success', 'Success');
  const decline = button('decline', 'Decline');
  const returnButton =
    page.returnButton && record.returnUrls.return
      ? h`<button type="submit" name="result" value="return">Return to the shop</button>`
      : '';
  return sendPage(
    c,
    200,
    `${name} (sandbox): pay ${amount}`,
    h`<h1>${name} (sandbox)</h1>
      <p class="sandbox-note">
        An emulated provider page: no money moves. Test rule: the amounts 40000 and 40400 (minor units) are
        declined, so Decline comes first for them.
      </p>
      <p>Pay to: project ${record.projectId}</p>
      <p class="amount" id="amount">${amount}</p>
      <dl>
        <dt>Payment</dt>
        <dd>${record.paymentId}</dd>
        ${
          record.description
            ? h`<dt>Description</dt>
                <dd>${record.description}</dd>`
            : ''
        }
      </dl>
      <form method="post" action="${page.path}/decide" aria-describedby="amount">
        <input type="hidden" name="token" value="${record.providerToken ?? ''}" />
        <div class="actions">${declineFirst ? [decline, success] : [success, decline]}${returnButton}</div>
      </form>`,
  );
}

async function decideHandler(
  c: Context,
  engine: Engine,
  method: MethodId,
  { name }: ProviderPage,
): Promise<Response> {
  const form = await formFields(c);
  const token = form.token?.[0];
  const result = form.result?.[0];
  const record = token === undefined ? undefined : engine.ledger.byProviderToken(method, token);
  if (!record)
    return errorPage(c, 404, `${name}: payment not found`, 'The form names no payment this provider knows.');
  if (result === 'return' && record.returnUrls.return) return c.redirect(record.returnUrls.return, 303);
  if (result !== 'success' && result !== 'decline') {
    return errorPage(
      c,
      400,
      `${name}: choose Success or Decline`,
      'The form did not say which result to report.',
    );
  }
  // A repeated submit (Back button, double click) keeps the first result and sends the browser on.
  if (record.state === 'awaiting_redirect') await engine.decide(record, result);
  const final = record.state === 'success' ? 'success' : record.state === 'decline' ? 'decline' : result;
  const url = engine.returnUrl(record, final);
  if (url) return c.redirect(url, 303);
  return sendPage(
    c,
    200,
    `${name}: payment ${toEcommpayStatus(record.state)}`,
    h`<h1>${name}</h1>
      <p>The payment is <strong>${toEcommpayStatus(record.state)}</strong>. You may close this page.</p>`,
  );
}

export function providerRoutes(app: Hono, engine: Engine): void {
  for (const { method, page } of providerPages()) {
    app.on(['GET', 'POST'], page.path, (c) => providerPage(c, engine, method, page));
    app.post(`${page.path}/decide`, (c) => decideHandler(c, engine, method, page));
    page.routes?.(app);
  }
}
