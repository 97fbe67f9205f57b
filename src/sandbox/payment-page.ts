import type { Context, Hono } from 'hono';
import * as z from 'zod/mini';
import { toFieldIssues } from '../core/api.ts';
import { blankToUndefined, fieldInput, type MethodDefinition, type MethodId } from '../core/methods/index.ts';
import { formatMoney, isCurrency, type Currency } from '../core/money.ts';
import { planRedirect } from '../core/redirect.ts';
import { verify } from '../core/signature.ts';
import { toEcommpayStatus } from '../core/status.ts';
import { CODES } from './codes.ts';
import { DELAYS, type Engine } from './engine.ts';
import { attrs, errorPage, h, hiddenFields, sendPage, type SafeHtml } from './html.ts';
import type { PaymentRecord } from './ledger.ts';
import { providerOf } from './providers/index.ts';
import { hex } from './util.ts';

/**
 * The Payment Page emulator: `GET /payment?…&signature=…` → (method choice) → the method's form (customer
 * fields the page must ask for, Jeton voucher) → the same provider pages as the Gate → the final callback
 * to `merchant_callback_url` → the browser back to `redirect_success_url` / `redirect_fail_url`.
 */

interface PageSession {
  id: string;
  projectId: number;
  params: Record<string, string>;
  amount: number;
  currency: Currency;
  forced?: MethodId;
  createdAt: number;
}

const SESSION_TTL_MS = 24 * 60 * 60 * 1000;
const HTTP_URL = /^https?:\/\/[^\s]+$/i;

const CUSTOMER = ['email', 'first_name', 'last_name'];

export function paymentPageRoutes(app: Hono, engine: Engine): void {
  const sessions = new Map<string, PageSession>();

  const prune = (): void => {
    const cutoff = engine.now() - SESSION_TTL_MS;
    for (const [id, s] of sessions) if (s.createdAt < cutoff) sessions.delete(id);
  };

  const methodByCode = (code: string): MethodDefinition | undefined =>
    engine.catalog.methods.find((m) => m.paymentPageCodes.includes(code));

  /** The inputs for the method's form fields in this currency, each with its field spec. */
  const fieldsFor = (method: MethodDefinition, currency: Currency) => {
    const specs = method.form(currency).fields;
    return (providerOf(method.id).pageFields ?? []).flatMap((f) => {
      const spec = specs.find((x) => x.name === f.field);
      return spec ? [{ ...f, spec }] : [];
    });
  };

  const summary = (s: PageSession): SafeHtml => {
    const description = s.params.payment_description;
    return h`<p class="amount" id="amount">${formatMoney(s.amount, s.currency, 'en')}</p>
      <dl>
        <dt>Merchant project</dt>
        <dd>${s.projectId}</dd>
        <dt>Payment</dt>
        <dd>${s.params.payment_id}</dd>
        ${
          description
            ? h`<dt>Description</dt>
                <dd>${description}</dd>`
            : ''
        }
      </dl>`;
  };

  const renderChoice = (c: Context, s: PageSession): Response => {
    const available = engine.catalog.methods.filter(
      (m) => engine.catalog.check(m.id, s.amount, s.currency) === null,
    );
    if (available.length === 0) {
      return errorPage(
        c,
        400,
        'No payment method available',
        `No method takes ${formatMoney(s.amount, s.currency, 'en')}.`,
      );
    }
    return sendPage(
      c,
      200,
      'Payment Page (sandbox): choose a method',
      h`<h1>Payment Page (sandbox)</h1>
        ${summary(s)}
        <form method="get" action="/payment/method">
          <input type="hidden" name="session" value="${s.id}" />
          <fieldset>
            <legend>Choose a payment method</legend>
            ${available.map(
              (m, i) =>
                h`<div>
                  <input${attrs({ type: 'radio', id: `method-${m.id}`, name: 'method', value: m.id, checked: i === 0 })}>
                  <label for="method-${m.id}">${m.name}</label>
                </div>`,
            )}
          </fieldset>
          <div class="actions"><button type="submit" class="success">Continue</button></div>
        </form>`,
    );
  };

  const renderForm = (
    c: Context,
    s: PageSession,
    method: MethodDefinition,
    values: Record<string, string>,
    errors: Record<string, string>,
  ): Response => {
    const fields = fieldsFor(method, s.currency);
    const errorList = Object.entries(errors);
    const inputs = fields.map((f) => {
      const id = `field-${f.name}`;
      const error = errors[f.name];
      const input = fieldInput(f.spec);
      const { required } = input;
      const described = [f.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
      return h`<label for="${id}">${f.label}${required ? '' : ' (optional)'}</label>
        ${f.hint ? h`<div id="${id}-hint">${f.hint}</div>` : ''}
        ${error ? h`<div id="${id}-error" class="error">${error}</div>` : ''}
        <input${attrs({
          type: f.spec.kind === 'email' ? 'email' : 'text',
          id,
          name: f.name,
          value: values[f.name] ?? '',
          required,
          'aria-invalid': error ? 'true' : undefined,
          'aria-describedby': described || undefined,
          autocomplete: input.autoComplete,
          inputmode: input.inputMode === 'numeric' ? 'numeric' : undefined,
        })}>`;
    });
    return sendPage(
      c,
      errorList.length > 0 ? 400 : 200,
      `Payment Page (sandbox): pay with ${method.name}`,
      h`<h1>Pay with ${method.name} (sandbox)</h1>
        ${summary(s)}
        ${
          errorList.length > 0
            ? h`<div class="problems">
                <h2>There is a problem</h2>
                <ul>
                  ${errorList.map(([name, message]) => h`<li><a href="#field-${name}">${message}</a></li>`)}
                </ul>
              </div>`
            : ''
        }
        <form method="post" action="/payment/pay" novalidate>
          ${hiddenFields({ session: s.id, method: method.id })} ${inputs}
          <div class="actions">
            <button type="submit" class="success">Pay ${formatMoney(s.amount, s.currency, 'en')}</button>
          </div>
        </form>
        ${s.forced ? '' : h`<p><a href="/payment/choose?session=${s.id}">Choose another method</a></p>`}`,
    );
  };

  app.get('/payment', async (c) => {
    prune();
    const url = new URL(c.req.url);
    const params: Record<string, string> = {};
    for (const [k, v] of url.searchParams) {
      if (Object.prototype.hasOwnProperty.call(params, k)) {
        return errorPage(
          c,
          400,
          'Invalid Payment Page request',
          `The parameter "${k}" is given more than once.`,
        );
      }
      params[k] = v;
    }
    const projectId = Number(params.project_id);
    const project = /^\d+$/.test(params.project_id ?? '') ? engine.projects.get(projectId) : undefined;
    if (!project) {
      return errorPage(
        c,
        400,
        'Invalid Payment Page request',
        `${CODES.unknownProject.message}: "${params.project_id ?? ''}".`,
      );
    }
    if (!params.signature || !(await verify(params, project.secret))) {
      return errorPage(
        c,
        400,
        'Invalid signature',
        `Error ${CODES.invalidSignature.code}: ${CODES.invalidSignature.message}. The signature must cover every parameter (decoded) except signature and frame_mode.`,
      );
    }
    const missing = ['payment_id', 'payment_amount', 'payment_currency', 'customer_id'].filter(
      (k) => !params[k],
    );
    const problems = missing.map((k) => `Missing required parameter ${k}`);
    const amountText = params.payment_amount ?? '';
    const amount = Number(amountText);
    if (amountText && (!/^\d+$/.test(amountText) || !Number.isSafeInteger(amount) || amount <= 0)) {
      problems.push(`payment_amount must be a positive whole number of minor units, got "${amountText}"`);
    }
    const currency = params.payment_currency ?? '';
    if (currency && !isCurrency(currency)) problems.push(`payment_currency "${currency}" is not supported`);
    for (const k of ['merchant_callback_url', 'redirect_success_url', 'redirect_fail_url']) {
      const v = params[k];
      if (v !== undefined && !HTTP_URL.test(v)) problems.push(`${k} must be an absolute http(s) URL`);
    }
    const forcedCode = params.force_payment_method;
    const forced = forcedCode ? methodByCode(forcedCode) : undefined;
    if (forcedCode && !forced)
      problems.push(`force_payment_method "${forcedCode}" is not a method this page offers`);
    if (params.best_before) {
      const until = Date.parse(params.best_before);
      if (Number.isNaN(until)) problems.push('best_before must be an ISO-8601 date and time');
      else if (until < engine.now())
        problems.push('The payment link has expired (best_before is in the past)');
    }
    if (problems.length > 0 || !isCurrency(currency)) {
      return errorPage(c, 400, 'Invalid Payment Page request', 'The payment cannot be opened:', problems);
    }
    const paymentId = params.payment_id ?? '';
    if (engine.ledger.has(projectId, paymentId)) {
      return errorPage(
        c,
        400,
        'Payment ID already used',
        `Error ${CODES.duplicatePayment.code}: ${CODES.duplicatePayment.message} (${paymentId}).`,
      );
    }
    if (forced) {
      const reason = engine.catalog.check(forced.id, amount, currency);
      if (reason && (reason.code === 'currency_not_supported' || reason.code === 'test_currency_only')) {
        return errorPage(c, 400, `${forced.name} is not available`, reason.message);
      }
    }
    const session: PageSession = {
      id: hex(16),
      projectId,
      params,
      amount,
      currency,
      ...(forced ? { forced: forced.id } : {}),
      createdAt: engine.now(),
    };
    sessions.set(session.id, session);
    if (!forced) return renderChoice(c, session);
    return renderForm(c, session, forced, prefill(session), {});
  });

  const sessionOf = (id: string | undefined): PageSession | undefined =>
    id === undefined ? undefined : sessions.get(id);
  const noSession = (c: Context): Response =>
    errorPage(
      c,
      400,
      'Payment Page session not found',
      'This page has expired or was already used. Start the payment again from the shop.',
    );

  app.get('/payment/choose', (c) => {
    const s = sessionOf(c.req.query('session'));
    return s ? renderChoice(c, s) : noSession(c);
  });

  app.get('/payment/method', (c) => {
    const s = sessionOf(c.req.query('session'));
    if (!s) return noSession(c);
    const id = c.req.query('method') ?? '';
    const method = engine.catalog.methods.find((m) => m.id === id);
    if (!method || (s.forced && s.forced !== method.id)) return renderChoice(c, s);
    return renderForm(c, s, method, prefill(s), {});
  });

  app.post('/payment/pay', async (c) => {
    const form = await c.req.parseBody();
    const str = (k: string): string | undefined => {
      const v = form[k];
      return typeof v === 'string' ? v : undefined;
    };
    const s = sessionOf(str('session'));
    if (!s) return noSession(c);
    const methodId = s.forced ?? str('method');
    const method = engine.catalog.methods.find((m) => m.id === methodId);
    if (!method) return renderChoice(c, s);
    const paymentId = s.params.payment_id ?? '';
    if (engine.ledger.has(s.projectId, paymentId)) {
      sessions.delete(s.id);
      return errorPage(
        c,
        400,
        'Payment ID already used',
        `Error ${CODES.duplicatePayment.code}: ${CODES.duplicatePayment.message} (${paymentId}).`,
      );
    }
    const reason = engine.catalog.check(method.id, s.amount, s.currency);
    if (reason && (reason.code === 'currency_not_supported' || reason.code === 'test_currency_only')) {
      return errorPage(c, 400, `${method.name} is not available`, reason.message);
    }
    // The method's own schema (the widget's and the backend's rule) checks the fields.
    const fields = fieldsFor(method, s.currency);
    const values: Record<string, string> = {};
    for (const f of fields) values[f.name] = (str(f.name) ?? '').trim();
    const input = blankToUndefined(Object.fromEntries(fields.map((f) => [f.field, values[f.name] ?? ''])));
    const parsed = z.safeParse(method.fieldsSchema(s.currency), input);
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const issue of toFieldIssues(parsed.error)) {
        const f = fields.find((x) => x.field === issue.field);
        if (f && errors[f.name] === undefined) errors[f.name] = `${f.label}: ${issue.message}`;
      }
      return renderForm(c, s, method, values, errors);
    }
    const data = parsed.data as Record<string, string | undefined>;
    sessions.delete(s.id);
    const project = engine.projects.get(s.projectId);
    const resultUrl = `${engine.publicUrl}/payment/result?project_id=${s.projectId}&payment_id=${encodeURIComponent(paymentId)}`;
    const callbackUrl = s.params.merchant_callback_url ?? project?.callbackUrl;
    const customer: Record<string, string> = { id: s.params.customer_id ?? '' };
    // A form that asks for the customer's details (GrabPay) gives them; else the page's parameters do.
    const asked = fields.some((f) => CUSTOMER.includes(f.field));
    for (const k of CUSTOMER) {
      const v = asked ? data[k] : s.params[`customer_${k}`];
      if (v) customer[k] = v;
    }
    const account = method.saleBody?.(data as Record<string, string>).account;
    const record = engine.createPayment({
      projectId: s.projectId,
      paymentId,
      type: 'purchase',
      method: method.id,
      via: 'payment_page',
      amount: s.amount,
      currency: s.currency,
      description: s.params.payment_description ?? '',
      customer,
      ...(account ? { account } : {}),
      returnUrls: {
        success: s.params.redirect_success_url ?? resultUrl,
        decline: s.params.redirect_fail_url ?? resultUrl,
      },
      ...(callbackUrl !== undefined ? { callbackUrl } : {}),
    });
    if (reason) {
      // Outside the method's limits: declined at once, as the Gate would (20101).
      await engine.finalize(record, 'decline', { ...CODES.amountLimit, description: reason.message });
      return c.redirect(engine.returnUrl(record, 'decline') ?? resultUrl, 303);
    }
    if (!method.redirect) {
      const result = record.testDecline ? 'decline' : 'success';
      engine.schedulePendingResult(record, result, DELAYS.jetonResult);
      return c.redirect(engine.returnUrl(record, result) ?? resultUrl, 303);
    }
    const redirect = await engine.toRedirect(record);
    if (!redirect) return errorPage(c, 500, 'Sandbox error', 'The provider redirect could not be prepared.');
    return goToProvider(c, engine, record, redirect);
  });

  app.get('/payment/result', (c) => {
    const projectId = Number(c.req.query('project_id'));
    const record = engine.ledger.get(projectId, c.req.query('payment_id') ?? '');
    if (!record)
      return errorPage(
        c,
        404,
        'Payment not found',
        `Error ${CODES.notFound.code}: ${CODES.notFound.message}.`,
      );
    const status = toEcommpayStatus(record.state);
    return sendPage(
      c,
      200,
      `Payment ${status}`,
      h`<h1>Payment ${status}</h1>
        <p>${formatMoney(record.amount, record.currency, 'en')} — payment ${record.paymentId}.</p>
        ${record.message ? h`<p>${record.code}: ${record.message}</p>` : ''}
        <p>You may close this page.</p>`,
    );
  });
}

function prefill(s: PageSession): Record<string, string> {
  const p = s.params;
  return {
    email: p.customer_email ?? '',
    first_name: p.customer_first_name ?? '',
    last_name: p.customer_last_name ?? '',
  };
}

/** GET: 303 to the provider with the body in the query. POST: a form the shopper submits (no scripts). */
function goToProvider(
  c: Context,
  engine: Engine,
  record: PaymentRecord,
  redirect: NonNullable<PaymentRecord['redirect']>,
): Response {
  const nav = planRedirect(redirect, { policy: { devHosts: [new URL(engine.publicUrl).hostname] } });
  if (nav.kind === 'get') return c.redirect(nav.url, 303);
  const name = engine.catalog.get(record.method).name;
  return sendPage(
    c,
    200,
    `Continue to ${name}`,
    h`<h1>Continue to ${name}</h1>
      <p>You will pay <strong>${formatMoney(record.amount, record.currency, 'en')}</strong> at ${name}.</p>
      <form method="post" action="${nav.url}">
        ${hiddenFields(nav.fields)}
        <div class="actions">
          <button type="submit" class="success" autofocus>Continue to ${name}</button>
        </div>
      </form>`,
  );
}
