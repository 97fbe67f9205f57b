import { http, HttpResponse, type HttpHandler } from 'msw';
import type { PaymentView, SessionView } from '../../src/core/api.ts';

export const API = 'https://api.shop.example';

export function session(overrides: Partial<SessionView> = {}): SessionView {
  return {
    id: 'ses_1',
    status: 'open',
    prices: [{ currency: 'PHP', amount: 2000 }],
    customer: { email: 'ana@example.com' },
    methods: [
      {
        method: 'grabpay',
        name: 'GrabPay',
        redirect: true,
        options: [{ currency: 'PHP', amount: 2000, required: ['email'], recommended: [] }],
      },
    ],
    unavailable: [],
    return_url: 'https://shop.example/return',
    test_mode: true,
    expires_at: '2030-01-01T00:00:00Z',
    ...overrides,
  };
}

export const METHODS = {
  grabpayPhp: {
    method: 'grabpay' as const,
    name: 'GrabPay',
    redirect: true,
    options: [{ currency: 'PHP' as const, amount: 2000, required: ['email' as const], recommended: [] }],
  },
  grabpayMyr: {
    method: 'grabpay' as const,
    name: 'GrabPay',
    redirect: true,
    options: [
      {
        currency: 'MYR' as const,
        amount: 1500,
        required: [],
        recommended: ['email' as const, 'first_name' as const, 'last_name' as const],
      },
    ],
  },
  advcash: {
    method: 'advcash' as const,
    name: 'ADVCash',
    redirect: true,
    options: [
      { currency: 'EUR' as const, amount: 1500, required: [], recommended: [] },
      { currency: 'UAH' as const, amount: 60000, required: [], recommended: [] },
      { currency: 'USD' as const, amount: 1700, required: [], recommended: [] },
    ],
  },
  payco: {
    method: 'payco' as const,
    name: 'Payco',
    redirect: true,
    options: [{ currency: 'KRW' as const, amount: 15000, required: [], recommended: [] }],
  },
  jeton: {
    method: 'jeton' as const,
    name: 'Jeton Voucher',
    redirect: false,
    options: [{ currency: 'EUR' as const, amount: 2500, required: [], recommended: [] }],
  },
};

let version = 0;
export function payment(overrides: Partial<PaymentView> = {}): PaymentView {
  version += 1;
  return {
    id: 'pay_1',
    session_id: 'ses_1',
    type: 'purchase',
    method: 'grabpay',
    amount: 2000,
    currency: 'PHP',
    status: 'processing',
    next_action: { type: 'wait', retry_after_ms: 20 },
    version,
    created_at: '2026-11-24T10:00:00Z',
    updated_at: '2026-11-24T10:00:00Z',
    ...overrides,
  };
}

export const redirectTo = (
  url = 'https://grabpay.example/pay?tokenid=t1',
  method: 'GET' | 'POST' = 'GET',
  body = {},
) => ({ type: 'redirect', redirect: { url, method, body } }) as const;

export interface Seen {
  creates: { body: unknown; key: string | null; search?: string }[];
  gets: string[];
  clarifications: unknown[];
  pages: unknown[];
}

/**
 * A fake backend at the network layer: the session, the created payment, and scripted answers to
 * `GET /api/payments/:id` (each GET takes the next; the last one repeats).
 */
export function fakeBackend(opts: {
  session: SessionView;
  create?: (body: Record<string, unknown>, n: number) => PaymentView | Response;
  script?: Record<string, PaymentView[]>;
  clarify?: (body: unknown) => PaymentView;
  page?: () => { url: string; config: Record<string, string | number>; payment_id: string };
}): { handlers: HttpHandler[]; seen: Seen; script: (id: string, views: PaymentView[]) => void } {
  const seen: Seen = { creates: [], gets: [], clarifications: [], pages: [] };
  const scripts: Record<string, PaymentView[]> = { ...opts.script };
  const handlers = [
    http.get(`${API}/api/sessions/:id`, ({ params }) =>
      params.id === opts.session.id
        ? HttpResponse.json(opts.session)
        : HttpResponse.json({ error: { code: 'not_found', message: 'No such session' } }, { status: 404 }),
    ),
    http.post(`${API}/api/sessions/:id/payments`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      seen.creates.push({
        body,
        key: request.headers.get('idempotency-key'),
        search: new URL(request.url).search,
      });
      const made = opts.create
        ? opts.create(body, seen.creates.length)
        : payment({ next_action: redirectTo() });
      if (made instanceof Response) return made;
      return HttpResponse.json(made, { status: 201 });
    }),
    http.get(`${API}/api/payments/:id`, ({ request, params }) => {
      seen.gets.push(new URL(request.url).pathname + new URL(request.url).search);
      const queue = scripts[String(params.id)];
      if (!queue || queue.length === 0)
        return HttpResponse.json(
          { error: { code: 'not_found', message: 'No such payment' } },
          { status: 404 },
        );
      const next = queue.length > 1 ? queue.shift()! : queue[0]!;
      return HttpResponse.json(next);
    }),
    http.post(`${API}/api/payments/:id/clarification`, async ({ request }) => {
      const body = await request.json();
      seen.clarifications.push(body);
      return HttpResponse.json(opts.clarify ? opts.clarify(body) : payment({ status: 'processing' }));
    }),
    http.post(`${API}/api/sessions/:id/payment-page`, async ({ request }) => {
      seen.pages.push(await request.json());
      return HttpResponse.json(
        opts.page?.() ?? {
          url: 'https://paymentpage.example/payment?signature=abc',
          config: {},
          payment_id: 'pay_pp',
        },
      );
    }),
  ];
  return { handlers, seen, script: (id, views) => void (scripts[id] = views) };
}
