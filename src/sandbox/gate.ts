import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as z from 'zod/mini';
import { httpUrlSchema, minorAmountSchema } from '../core/api.ts';
import { messageText } from '../core/messages.ts';
import { payoutAccountSchema, type MethodId } from '../core/methods/index.ts';
import { isCurrency, type Currency } from '../core/money.ts';
import { parseJsonLossless, toPlainJson, verify } from '../core/signature.ts';
import { CODES } from './codes.ts';
import type { Engine } from './engine.ts';
import type { PaymentRecord } from './ledger.ts';
import { providerOf } from './providers/index.ts';
import { obj, parse, refuse, Refused, type Refusal } from './refusals.ts';
import { definedStrings } from './util.ts';

// ── answers ─────────────────────────────────────────────────────────────────────────────────────────

interface Ids {
  project_id?: number;
  payment_id?: string;
}

function errorAnswer(c: Context, r: Refusal, ids: Ids): Response {
  return c.json(
    {
      status: 'error',
      code: r.code,
      message: r.message,
      ...ids,
      ...(r.field !== undefined ? { field: r.field } : {}),
    },
    r.http,
  );
}

function successAnswer(c: Context, requestId: string, projectId: number, paymentId: string): Response {
  return c.json(
    { status: 'success', request_id: requestId, project_id: projectId, payment_id: paymentId },
    200,
  );
}

// ── validation ──────────────────────────────────────────────────────────────────────────────────────

const text = (max = 255) =>
  z
    .string({ error: 'must be a string' })
    .check(z.minLength(1, 'required'), z.maxLength(max, 'text.too_long'));

const optionalText = () => z.optional(z.string({ error: 'must be a string' }));

const generalSchema = obj({
  project_id: z.int({ error: 'must be an integer' }),
  payment_id: text(),
  signature: z.string({ error: 'must be a string' }),
  merchant_callback_url: z.optional(httpUrlSchema),
});

const currencyCode = z.string({ error: 'currency.invalid' }).check(z.regex(/^[A-Z]{3}$/, 'currency.invalid'));

const paymentSchema = obj({
  amount: minorAmountSchema,
  currency: currencyCode,
  description: z.optional(z.string({ error: 'must be a string' }).check(z.maxLength(255, 'text.too_long'))),
});

const customerSchema = obj({
  id: text(),
  ip_address: z.union([z.ipv4(), z.ipv6()], { error: 'Enter a valid IPv4 or IPv6 address' }),
  email: optionalText(),
  first_name: optionalText(),
  last_name: optionalText(),
});

function returnUrlSchema(keys: readonly string[]) {
  return obj(Object.fromEntries(keys.map((k) => [k, httpUrlSchema])) as Record<string, typeof httpUrlSchema>);
}

// ── reading a signed request ────────────────────────────────────────────────────────────────────────

interface SignedRequest {
  projectId: number;
  data: Record<string, unknown>;
  general: z.infer<typeof generalSchema>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a Gate request: JSON only, a known project, a valid signature; then the `general` object. */
async function readSigned(c: Context, engine: Engine, ids: Ids): Promise<SignedRequest> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type.trim())) {
    refuse(415, CODES.malformed, `Content-Type must be application/json, got "${type || 'none'}"`);
  }
  let parsed: unknown;
  try {
    parsed = parseJsonLossless(await c.req.text());
  } catch (error) {
    refuse(400, CODES.malformed, error instanceof Error ? error.message : 'invalid JSON');
  }
  if (!isObject(parsed)) refuse(400, CODES.malformed, 'the body must be a JSON object');
  const rawGeneral = parsed.general;
  if (!isObject(rawGeneral)) refuse(400, CODES.invalidField, 'general: This field is required', 'general');
  const projectId = toPlainJson(rawGeneral.project_id);
  if (typeof projectId !== 'number' || !Number.isSafeInteger(projectId)) {
    refuse(400, CODES.invalidField, 'general.project_id: must be an integer', 'general.project_id');
  }
  ids.project_id = projectId;
  if (typeof rawGeneral.payment_id === 'string') ids.payment_id = rawGeneral.payment_id;
  const project = engine.projects.get(projectId);
  if (!project) refuse(400, CODES.unknownProject, String(projectId), 'general.project_id');
  if (!(await verify(parsed, project.secret))) {
    const missing = typeof rawGeneral.signature !== 'string' || rawGeneral.signature === '';
    refuse(400, CODES.invalidSignature, missing ? 'general.signature is missing' : '', 'general.signature');
  }
  const data = toPlainJson(parsed) as Record<string, unknown>;
  const general = parse(generalSchema, data.general, 'general');
  return { projectId, data, general };
}

/** The callback URL: the request's, else the project's. */
function callbackUrlOf(engine: Engine, req: SignedRequest): string | undefined {
  return req.general.merchant_callback_url ?? engine.projects.get(req.projectId)?.callbackUrl;
}

function checkCurrency(
  engine: Engine,
  method: MethodId,
  type: 'purchase' | 'payout',
  currency: string,
  amount: number,
): Currency {
  const name = engine.catalog.get(method).name;
  if (!isCurrency(currency))
    refuse(400, CODES.currency, `${name} does not take ${currency}`, 'payment.currency');
  const reason =
    type === 'purchase'
      ? engine.catalog.check(method, amount, currency)
      : engine.catalog.checkPayout(method, amount, currency);
  if (reason && reason.code !== 'below_minimum' && reason.code !== 'above_maximum') {
    refuse(400, CODES.currency, reason.message, 'payment.currency');
  }
  return currency;
}

// ── the endpoints ───────────────────────────────────────────────────────────────────────────────────

type Handler = (c: Context, engine: Engine, ids: Ids) => Promise<Response>;

async function sale(c: Context, engine: Engine, ids: Ids, methodId: MethodId): Promise<Response> {
  const req = await readSigned(c, engine, ids);
  const method = engine.catalog.get(methodId);
  const payment = parse(paymentSchema, req.data.payment, 'payment');
  const customer = parse(customerSchema, req.data.customer, 'customer');
  const currency = checkCurrency(engine, methodId, 'purchase', payment.currency, payment.amount);
  const returnUrls =
    method.returnUrlKeys.length > 0
      ? (parse(returnUrlSchema(method.returnUrlKeys), req.data.return_url, 'return_url') as Record<
          string,
          string
        >)
      : {};
  // The method's own checks (its provider's): customer details, account, clarification.
  const given = definedStrings(customer, ['email', 'first_name', 'last_name']);
  const parts = providerOf(methodId).parseSale?.({ method, currency, data: req.data, customer: given }) ?? {
    customer: given,
  };
  const { account, clarificationFields } = parts;
  if (engine.ledger.has(req.projectId, req.general.payment_id))
    refuse(400, CODES.duplicatePayment, req.general.payment_id, 'general.payment_id');
  const record = engine.createPayment({
    projectId: req.projectId,
    paymentId: req.general.payment_id,
    type: 'purchase',
    method: methodId,
    via: 'gate',
    amount: payment.amount,
    currency,
    description: payment.description ?? '',
    customer: { id: customer.id, ip_address: customer.ip_address, ...parts.customer },
    ...(account ? { account } : {}),
    returnUrls,
    ...optionalCallbackUrl(callbackUrlOf(engine, req)),
  });
  if (clarificationFields) record.clarificationFields = clarificationFields;
  engine.accept(record);
  return successAnswer(c, engine.saleOperation(record).requestId, req.projectId, req.general.payment_id);
}

function optionalCallbackUrl(url: string | undefined): { callbackUrl?: string } {
  return url === undefined ? {} : { callbackUrl: url };
}

async function payout(c: Context, engine: Engine, ids: Ids, methodId: MethodId): Promise<Response> {
  const req = await readSigned(c, engine, ids);
  const payment = parse(paymentSchema, req.data.payment, 'payment');
  const customer = parse(customerSchema, req.data.customer, 'customer');
  const currency = checkCurrency(engine, methodId, 'payout', payment.currency, payment.amount);
  const spec = engine.catalog.get(methodId).payout?.account;
  if (!spec) refuse(404, CODES.unknownEndpoint, c.req.path);
  const account = parse(
    payoutAccountSchema(spec) as z.ZodMiniType<Record<string, string> | undefined>,
    req.data.account,
    'account',
  );
  if (engine.ledger.has(req.projectId, req.general.payment_id))
    refuse(400, CODES.duplicatePayment, req.general.payment_id, 'general.payment_id');
  const record = engine.createPayment({
    projectId: req.projectId,
    paymentId: req.general.payment_id,
    type: 'payout',
    method: methodId,
    via: 'gate',
    amount: payment.amount,
    currency,
    description: payment.description ?? '',
    customer: { id: customer.id, ip_address: customer.ip_address },
    ...(account ? { account: definedStrings(account, Object.keys(account)) } : {}),
    returnUrls: {},
    ...optionalCallbackUrl(callbackUrlOf(engine, req)),
  });
  engine.accept(record);
  return successAnswer(c, engine.saleOperation(record).requestId, req.projectId, req.general.payment_id);
}

const refundPaymentSchema = obj({
  description: text(),
  amount: z.optional(minorAmountSchema),
  currency: z.optional(currencyCode),
});

function findRecord(engine: Engine, req: SignedRequest): PaymentRecord {
  const record = engine.ledger.get(req.projectId, req.general.payment_id);
  if (!record) refuse(404, CODES.notFound, req.general.payment_id, 'general.payment_id');
  return record;
}

async function refund(c: Context, engine: Engine, ids: Ids, methodId: MethodId): Promise<Response> {
  const req = await readSigned(c, engine, ids);
  const payment = parse(refundPaymentSchema, req.data.payment, 'payment');
  // Seed 003: amount and currency together make a partial refund; neither makes a full one.
  if ((payment.amount === undefined) !== (payment.currency === undefined)) {
    const field = payment.amount === undefined ? 'payment.amount' : 'payment.currency';
    refuse(400, CODES.invalidField, `${field}: a partial refund needs both amount and currency`, field);
  }
  const record = findRecord(engine, req);
  if (record.method !== methodId || record.type !== 'purchase') {
    refuse(
      400,
      CODES.notAllowed,
      `payment ${record.paymentId} is a ${engine.catalog.get(record.method).name} ${record.type}`,
    );
  }
  if (record.state !== 'success' && record.state !== 'partially_refunded') {
    refuse(400, CODES.notAllowed, `payment ${record.paymentId} is ${record.state}, not paid`);
  }
  if (payment.currency !== undefined && payment.currency !== record.currency) {
    refuse(400, CODES.currency, `the payment is in ${record.currency}`, 'payment.currency');
  }
  const amount = payment.amount ?? record.amount - record.refunded;
  const op = engine.refund(record, amount, record.currency);
  return successAnswer(c, op.requestId, req.projectId, record.paymentId);
}

const statusHandler: Handler = async (c, engine, ids) => {
  const req = await readSigned(c, engine, ids);
  const record = findRecord(engine, req);
  return c.json(await engine.statusBody(record), 200);
};

const clarificationHandler: Handler = async (c, engine, ids) => {
  const req = await readSigned(c, engine, ids);
  const record = findRecord(engine, req);
  const requested = record.clarificationFields;
  if (record.state !== 'awaiting_clarification' || !requested) {
    refuse(
      400,
      CODES.notAllowed,
      `payment ${record.paymentId} is ${record.state}, not awaiting clarification`,
    );
  }
  const additional = parse(
    obj({ customer: z.looseObject({}, { error: 'must be an object' }) }),
    req.data.additional_data,
    'additional_data',
  );
  const given = definedStrings(additional.customer as Record<string, unknown>, [
    'email',
    'first_name',
    'last_name',
  ]);
  const customer = definedStrings(
    parse(
      engine.catalog.get(record.method).fieldsSchema(record.currency),
      given,
      'additional_data.customer',
    ) as Record<string, unknown>,
    ['email', 'first_name', 'last_name'],
  );
  const wanted = requested.customer ?? [];
  for (const field of wanted) {
    if (customer[field] === undefined) {
      refuse(
        400,
        CODES.invalidField,
        `additional_data.customer.${field}: ${messageText('required')}`,
        `additional_data.customer.${field}`,
      );
    }
  }
  engine.clarify(record, definedStrings(customer, wanted));
  return successAnswer(c, engine.nextRequestId(), req.projectId, record.paymentId);
};

// ── routing ─────────────────────────────────────────────────────────────────────────────────────────

/** Sales, payouts and refunds meet the `saleError` / `saleTimeout` faults. */
function operation(engine: Engine, handler: Handler): (c: Context) => Promise<Response> {
  return async (c) => {
    const fault = engine.faults.takeOperationFault();
    const afterAccept = engine.faults.get().faultAfterAccept;
    if (fault && afterAccept) await answer(c, engine, handler);
    if (fault?.kind === 'error') {
      return c.json(
        { status: 'error', code: String(fault.status), message: 'Internal server error (sandbox fault)' },
        fault.status as ContentfulStatusCode,
      );
    }
    if (fault?.kind === 'timeout') {
      // Hang until the client gives up; bounded, and ended by close().
      await engine.scheduler.sleep(fault.ms, undefined);
      return c.json({ status: 'error', code: '504', message: 'Gateway timeout (sandbox fault)' }, 504);
    }
    return answer(c, engine, handler);
  };
}

async function answer(c: Context, engine: Engine, handler: Handler): Promise<Response> {
  const ids: Ids = {};
  try {
    return await handler(c, engine, ids);
  } catch (error) {
    if (error instanceof Refused) return errorAnswer(c, error.refusal, ids);
    throw error;
  }
}

export function gateRoutes(app: Hono, engine: Engine): void {
  app.use(
    '/v2/*',
    bodyLimit({
      maxSize: 1024 * 1024,
      onError: (c) => c.json({ status: 'error', ...CODES.malformed, message: 'Request body too large' }, 413),
    }),
  );
  const { catalog } = engine;
  for (const m of catalog.methods) {
    app.post(
      m.gate.sale,
      operation(engine, (c, e, ids) => sale(c, e, ids, m.id)),
    );
    const payoutPath = m.gate.payout;
    if (payoutPath && m.payout) {
      app.post(
        payoutPath,
        operation(engine, (c, e, ids) => payout(c, e, ids, m.id)),
      );
    }
    if (m.gate.refund)
      app.post(
        m.gate.refund,
        operation(engine, (c, e, ids) => refund(c, e, ids, m.id)),
      );
  }
  app.post('/v2/payment/status', (c) => answer(c, engine, statusHandler));
  app.post('/v2/payment/clarification', (c) => answer(c, engine, clarificationHandler));
  app.all('/v2/*', (c) =>
    c.json(
      {
        status: 'error',
        ...CODES.unknownEndpoint,
        message: `${CODES.unknownEndpoint.message}: ${c.req.method} ${c.req.path}`,
      },
      404,
    ),
  );
}
