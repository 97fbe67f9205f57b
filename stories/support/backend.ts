/**
 * The checkout backend, faked at the network layer with MSW: the stories' `<Checkout>` makes real
 * `fetch` calls (the real client, schemas and polling loop) and the service worker answers them. The
 * handlers follow docs/architecture.md's routes and validate what the widget sends with the same
 * schemas as the real backend, so a story also fails when the widget sends something the backend would
 * refuse.
 */
import { delay, http, HttpResponse, type HttpHandler } from 'msw';
import * as z from 'zod/mini';
import {
  clarificationRequestSchema,
  createPaymentRequestSchema,
  paymentViewSchema,
  parseMethodFields,
  type CreatePaymentRequest,
  type PaymentView,
  type SessionView,
} from '../../src/core/api.ts';

/** Where the stories' backend "is": same origin, so nothing ever leaves the browser. */
export const API = '/mock-api';

export interface Seen {
  /** `GET /api/sessions/:id` requests. */
  sessions: number;
  creates: { body: CreatePaymentRequest; key: string | null }[];
  gets: string[];
  clarifications: unknown[];
}

type Answer = PaymentView | Response;

export interface BackendOptions {
  session: SessionView;
  /** The session request never gets an answer (the loading state). */
  sessionPending?: boolean;
  /** An error answer for the session instead (404, 500…). */
  sessionError?: { status: number; code: string; message: string };
  /** The answer to `POST …/payments` (after the request passed validation). Default: `script[0]`. */
  create?: (body: CreatePaymentRequest, n: number) => Answer | Promise<Answer>;
  /** `GET /api/payments/:id`, by payment id: each GET takes the next view; the last one repeats. */
  script?: Record<string, PaymentView[]>;
  /** `POST /api/payments/:id/clarification`: the answer, and the views later GETs follow. */
  clarify?: (body: unknown) => { answer: PaymentView; then: PaymentView[] };
}

export interface Backend {
  handlers: HttpHandler[];
  seen: Seen;
  /** Forgets what was seen and rewinds the scripts: call it before each run of the story. */
  reset(): void;
}

function errorBody(status: number, code: string, message: string, field?: string): Response {
  return HttpResponse.json({ error: { code, message, ...(field ? { field } : {}) } }, { status });
}

/** Answers with a view that is valid by the API's schema (a broken fixture fails loudly). */
function viewResponse(view: PaymentView, status = 200): Response {
  return HttpResponse.json(z.parse(paymentViewSchema, view), { status });
}

export function createBackend(opts: BackendOptions): Backend {
  const seen: Seen = { sessions: 0, creates: [], gets: [], clarifications: [] };
  let scripts: Record<string, PaymentView[]> = {};
  let cursor: Record<string, number> = {};
  let version = 0;
  let versions = new Map<PaymentView, number>();
  const reset = () => {
    seen.sessions = 0;
    seen.creates.length = 0;
    seen.gets.length = 0;
    seen.clarifications.length = 0;
    scripts = { ...opts.script };
    cursor = {};
    version = 0;
    versions = new Map();
  };
  reset();

  /**
   * A view gets a higher version the first time it is served; the same view served again keeps it, so
   * the widget's long-poll loop sees "unchanged" and waits instead of spinning.
   */
  const stamp = (view: PaymentView): PaymentView => {
    let v = versions.get(view);
    if (v === undefined) {
      version += 1;
      v = version;
      versions.set(view, v);
    }
    return { ...view, version: v };
  };

  const handlers: HttpHandler[] = [
    http.get(`${API}/api/sessions/:id`, async ({ params }) => {
      seen.sessions += 1;
      if (opts.sessionPending) await delay('infinite');
      if (opts.sessionError) {
        const e = opts.sessionError;
        return errorBody(e.status, e.code, e.message);
      }
      if (params.id !== opts.session.id) return errorBody(404, 'not_found', 'Session not found');
      return HttpResponse.json(opts.session);
    }),

    http.post(`${API}/api/sessions/:id/payments`, async ({ request, params }) => {
      if (params.id !== opts.session.id) return errorBody(404, 'not_found', 'Session not found');
      const parsed = z.safeParse(createPaymentRequestSchema, await request.json());
      if (!parsed.success) return errorBody(400, 'validation_error', 'Invalid payment request');
      const body = parsed.data;
      const fields = parseMethodFields(body.method, body.currency, body.fields ?? {});
      if (!fields.ok) {
        const first = fields.issues[0];
        return errorBody(
          400,
          'validation_error',
          first?.message ?? 'Invalid fields',
          `fields.${first?.field}`,
        );
      }
      seen.creates.push({ body, key: request.headers.get('idempotency-key') });
      const answer = opts.create
        ? await opts.create(body, seen.creates.length)
        : Object.values(scripts)[0]?.[0];
      if (!answer) return errorBody(500, 'internal_error', 'No payment scripted for this story');
      return answer instanceof Response ? answer : viewResponse(stamp(answer), 201);
    }),

    http.get(`${API}/api/payments/:id`, ({ params }) => {
      const id = String(params.id);
      seen.gets.push(id);
      const views = scripts[id];
      if (!views || views.length === 0) return errorBody(404, 'not_found', 'Payment not found');
      const i = Math.min(cursor[id] ?? 0, views.length - 1);
      cursor[id] = i + 1;
      return viewResponse(stamp(views[i] as PaymentView));
    }),

    http.post(`${API}/api/payments/:id/clarification`, async ({ request, params }) => {
      const id = String(params.id);
      const body: unknown = await request.json();
      if (!z.safeParse(clarificationRequestSchema, body).success)
        return errorBody(400, 'validation_error', 'Invalid clarification');
      seen.clarifications.push(body);
      if (!opts.clarify) return errorBody(409, 'conflict', 'No clarification was asked for');
      const { answer, then } = opts.clarify(body);
      scripts[id] = then;
      cursor[id] = 0;
      return viewResponse(stamp(answer));
    }),
  ];

  return { handlers, seen, reset };
}
