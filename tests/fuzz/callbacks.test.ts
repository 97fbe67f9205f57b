/**
 * Property-based fuzzing of callback ingestion (POST /api/callbacks/ecommpay) and of callback parsing:
 * forged and altered callbacks, correctly signed callbacks of any shape (dangerous keys, arrays where objects
 * belong, nasty strings and numbers, lossless number texts), and signed callbacks for real payments whose
 * fields are odd (unknown statuses, redirects to javascript:/data:/relative URLs, odd clarification fields,
 * vouchers and sums). The backend accepts exactly what verifies, answers 200 or a clear 4xx — never a 5xx —
 * keeps every payment readable, never hands a browser a redirect its policy refuses, and leaves
 * Object.prototype alone.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PaymentView } from '../../src/core/api.ts';
import { validateRedirectUrl } from '../../src/core/redirect.ts';
import { LosslessNumber, sign, verifyCallbackText } from '../../src/core/signature.ts';
import { DEMO_PROJECT_ID, DEMO_SECRET_KEY } from '../../src/server/config.ts';
import { isPaid } from '../../src/core/status.ts';
import { parseGateMessage } from '../../src/server/service/gate-messages.ts';
import { BACKEND_URL, startStack, type Stack } from '../server/helpers.ts';
import {
  expectClear,
  expectNoPollution,
  jsonText,
  mutated,
  nastyJson,
  nastyNumber,
  nastyString,
  own,
  pollution,
  wrongContentType,
  wrongShape,
} from './support.ts';

const RUNS = 150;
let stack: Stack;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);
let logsSeen = 0;

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  stack = await startStack();
}, 60_000);
beforeEach(() => {
  logsSeen = stack.logs.length;
});
afterEach(() => {
  expect(rejections).toEqual([]);
  expectNoPollution();
  expect(stack.logs.slice(logsSeen).filter((l) => l.includes('"http.unhandled"'))).toEqual([]);
});
afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  await stack?.close();
});

async function post(text: string, type: string | undefined = 'application/json'): Promise<Response> {
  return stack.server.app.request(`${BACKEND_URL}/api/callbacks/ecommpay`, {
    method: 'POST',
    headers: type === undefined ? {} : { 'content-type': type },
    body: new TextEncoder().encode(text),
  });
}

async function signed(body: Record<string, unknown>, secret = DEMO_SECRET_KEY): Promise<string> {
  return jsonText({ ...body, signature: await sign(body, secret) });
}

/** A fresh GrabPay payment, waiting for its redirect at the Gate. */
async function freshPayment(): Promise<string> {
  const s = await stack.createSession();
  const r = await stack.pay(s.id, { method: 'grabpay', currency: 'PHP', fields: { email: 'a@example.com' } });
  expect(r.status).toBe(201);
  return r.body.id;
}

function callbackFor(id: string, status = 'awaiting redirect result'): Record<string, unknown> {
  return {
    project_id: DEMO_PROJECT_ID,
    payment: {
      id,
      type: 'purchase',
      status,
      method: 'GrabPay wallet',
      sum: { amount: 10_000, currency: 'PHP' },
    },
    operation: {
      id: 3_120_000_000_001,
      type: 'sale',
      status,
      request_id: 'req-fuzz',
      sum_initial: { amount: 10_000, currency: 'PHP' },
      code: '9999',
      message: 'Awaiting processing',
    },
    redirect_data: { url: 'https://pay.example.com/grabpay?t=1', method: 'GET', body: {} },
  };
}

async function view(id: string): Promise<PaymentView> {
  const res = await stack.server.app.request(`${BACKEND_URL}/api/payments/${id}`);
  return (await expectClear(res, `GET payment ${id}`)) as PaymentView;
}

/** A payment view never offers a redirect the backend's policy refuses. */
function expectSafeNextAction(v: PaymentView): void {
  if (v.next_action.type !== 'redirect') return;
  const { url, method } = v.next_action.redirect;
  expect(() => validateRedirectUrl(url, { devHosts: stack.config.redirectDevHosts })).not.toThrow();
  expect(['GET', 'POST']).toContain(method);
  expect(url).not.toMatch(/^\s*(javascript|data|vbscript|file):/i);
}

describe('forged and altered callbacks', () => {
  it('the backend accepts exactly the callbacks that verify; the rest are 400/403 and change nothing', async () => {
    const id = await freshPayment();
    await stack.sandbox.idle(); // the Gate's own redirect callback, first
    const base = callbackFor(id);
    const before = await view(id);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          // Altered after signing (the signature is the original one).
          mutated(base).map((b) => ({ body: b, signature: 'original' as const })),
          // Signed with another key, or carrying a made-up signature.
          fc.constant({ body: base, signature: 'other-key' as const }),
          fc
            .oneof(nastyString, fc.base64String({ minLength: 88, maxLength: 88 }))
            .map((s) => ({ body: base, signature: s })),
          // Signed in the right way but by HMAC-SHA256, or hex instead of Base64.
          fc.constantFrom('sha256', 'hex').map((s) => ({ body: base, signature: s })),
        ),
        async ({ body, signature }) => {
          let sig: unknown;
          if (signature === 'original') sig = await sign(base, DEMO_SECRET_KEY);
          else if (signature === 'other-key') sig = await sign(base, `${DEMO_SECRET_KEY}-other`);
          else if (signature === 'sha256' || signature === 'hex')
            sig = createHmac(signature === 'sha256' ? 'sha256' : 'sha512', DEMO_SECRET_KEY)
              .update(JSON.stringify(base))
              .digest(signature === 'sha256' ? 'base64' : 'hex');
          else sig = signature;
          const text = jsonText(
            body !== null && typeof body === 'object' && !Array.isArray(body)
              ? { ...(body as Record<string, unknown>), signature: sig }
              : body,
          );
          const genuine = (await verifyCallbackText(text, DEMO_SECRET_KEY)).ok;
          const res = await post(text);
          await expectClear(res, `callback ${text.slice(0, 300)}`);
          if (!genuine) {
            expect([400, 403]).toContain(res.status);
            expect((await view(id)).version).toBe(before.version);
          }
        },
      ),
      { numRuns: RUNS },
    );
    const after = await view(id);
    expectSafeNextAction(after);
  });

  it('not JSON, not an object, unsigned, or sent as another content type: 400', async () => {
    await fc.assert(
      fc.asyncProperty(wrongShape, wrongContentType, async (text, type) => {
        const res = await post(text, type);
        await expectClear(res, `callback ${text.slice(0, 100)}`);
        expect(res.status).toBe(400);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('correctly signed callbacks', () => {
  it('of any shape: 200 or a clear 4xx, and the prototype stays clean', async () => {
    const id = await freshPayment();
    const root = fc.oneof(
      nastyJson.filter(
        (v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v),
      ),
      fc.tuple(nastyJson, nastyJson, nastyJson).map(([payment, operation, extra]) =>
        own([
          ['project_id', DEMO_PROJECT_ID],
          ['payment', payment],
          ['operation', operation],
          ['redirect_data', extra],
        ]),
      ),
      fc.tuple(pollution, nastyJson).map(([p, op]) => ({ ...callbackFor(id), ...p, operation: op })),
      mutated(callbackFor(id)).filter(
        (v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v),
      ),
    );
    await fc.assert(
      fc.asyncProperty(root, async (body) => {
        // What the backend would parse it to must not throw either.
        expect(() => parseGateMessage(body)).not.toThrow();
        const text = await signed(body);
        const res = await post(text);
        await expectClear(res, `signed ${text.slice(0, 300)}`);
        expectSafeNextAction(await view(id));
      }),
      { numRuns: RUNS },
    );
  });

  it('for real payments, with odd statuses, redirects, clarification fields, vouchers and sums', async () => {
    const statuses = fc.oneof(
      fc.constantFrom(
        'awaiting redirect result',
        'awaiting customer',
        'awaiting clarification',
        'processing',
        'success',
        'decline',
        'external error',
        'internal error',
        'expired',
        'refunded',
        'partially refunded',
        'SUCCESS',
        ' success ',
        'awaiting_redirect_result',
      ),
      nastyString,
    );
    const url = fc.oneof(
      fc.constantFrom(
        'javascript:alert(document.cookie)',
        'JaVaScRiPt:alert(1)',
        ' javascript:alert(1)',
        'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
        'vbscript:msgbox(1)',
        'file:///etc/passwd',
        '/relative/path',
        '//evil.example.com/x',
        'evil.example.com',
        'http://evil.example.com/plain-http',
        'https://user:pass@evil.example.com/',
        'https://pay.example.com/ok',
        'http://127.0.0.1:8790/providers/grabpay/Pay.aspx',
        '',
      ),
      fc.webUrl(),
      nastyString,
    );
    const redirect = fc.oneof(
      fc.record({
        url,
        method: fc.oneof(fc.constantFrom('GET', 'POST', 'get', 'PUT', 'DELETE', ''), nastyString),
        body: fc.oneof(
          fc.dictionary(
            fc.string({ maxLength: 6 }),
            fc.oneof(nastyString, nastyNumber, fc.constant(null), nastyJson),
          ),
          nastyJson,
        ),
      }),
      nastyJson,
    );
    const sum = fc.oneof(
      // The payment's own sum (so the paid path is taken too), and every other kind.
      fc.constant({ amount: 10_000, currency: 'PHP' }),
      fc.record({
        amount: nastyNumber,
        currency: fc.oneof(fc.constantFrom('PHP', 'KRW', 'XXX'), nastyString),
      }),
      nastyJson,
    );
    const callback = fc.record({
      status: statuses,
      opType: fc.oneof(fc.constantFrom('sale', 'refund', 'payout', 'SALE'), nastyString),
      opStatus: statuses,
      redirect,
      clarification: fc.oneof(
        fc.constant(undefined),
        nastyJson,
        fc.constant({ customer: ['first_name', 'last_name'] }),
      ),
      vouchers: fc.oneof(
        fc.constant(undefined),
        nastyJson,
        fc.array(
          fc.record({
            voucherNumber: nastyString,
            expiration: nastyString,
            securityCode: nastyString,
            amount: nastyNumber,
          }),
          { maxLength: 3 },
        ),
      ),
      sum,
      code: fc.oneof(nastyString, nastyNumber),
      requestId: fc.oneof(nastyString, nastyNumber),
      lossless: fc.constantFrom('10.50', '12345678901234567890', '1e2', '0.000', '-0'),
    });
    const ids = [await freshPayment(), await freshPayment()];
    await fc.assert(
      fc.asyncProperty(callback, fc.boolean(), async (c, fresh) => {
        const id = fresh ? await freshPayment() : (ids[0] as string);
        const paidBefore = isPaid((await view(id)).status);
        const body = {
          project_id: DEMO_PROJECT_ID,
          payment: {
            id,
            type: 'purchase',
            status: c.status,
            method: 'GrabPay wallet',
            sum: c.sum,
            lossless: new LosslessNumber(c.lossless),
          },
          operation: {
            id: 1,
            type: c.opType,
            status: c.opStatus,
            request_id: c.requestId,
            sum_initial: c.sum,
            code: c.code,
            message: 'm',
          },
          redirect_data: c.redirect,
          ...(c.clarification !== undefined ? { clarification_fields: c.clarification } : {}),
          ...(c.vouchers !== undefined ? { provider_extra_fields: { vouchers: c.vouchers } } : {}),
        };
        const text = jsonText({ ...body, signature: await sign(body, DEMO_SECRET_KEY) });
        const res = await post(text);
        await expectClear(res, `odd ${text.slice(0, 400)}`);
        const v = await view(id);
        expectSafeNextAction(v);
        // No sum but the payment's own (10,000 PHP) ever makes a payment paid.
        if (!paidBefore && isPaid(v.status))
          expect(sumIsThePayments(c.sum), `paid by ${text.slice(0, 400)}`).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

/** Whether a fuzzed sum is 10,000 PHP (read leniently: the backend is stricter). */
function sumIsThePayments(sum: unknown): boolean {
  if (typeof sum !== 'object' || sum === null) return false;
  const { amount, currency } = sum as { amount?: unknown; currency?: unknown };
  return Number(String(amount)) === 10_000 && currency === 'PHP';
}
