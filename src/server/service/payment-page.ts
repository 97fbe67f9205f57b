/** The Payment Page: a payment recorded here, and the signed parameters the browser opens the page with. */
import type { PaymentPageResponse } from '../../core/api.ts';
import type { MethodId } from '../../core/methods/index.ts';
import { numberToPlainString, signPaymentPageParams } from '../../core/signature.ts';
import { ApiError } from '../errors.ts';
import { callbackUrl, returnUrlFor } from '../gate.ts';
import { newId, type ServiceContext } from './context.ts';
import { assertOpen, getSession, priceFor } from './purchase.ts';

export async function paymentPage(
  ctx: ServiceContext,
  sessionId: string,
  req: { method?: MethodId | undefined; currency?: string | undefined },
): Promise<PaymentPageResponse> {
  const { store, catalog, config } = ctx.deps;
  const session = await getSession(ctx, sessionId);
  await assertOpen(ctx, session);
  let currency = req.currency;
  if (req.method !== undefined && currency === undefined) {
    // The first of the session's prices this method can take.
    const available = catalog.availability(
      Object.fromEntries(session.prices.map((p) => [p.currency, p.amount])),
      session.methods ?? undefined,
    );
    currency = available.available.find((a) => a.method === req.method)?.options[0]?.currency;
  }
  const price = priceFor(ctx, session, req.method, currency);
  const now = ctx.date();
  const id = newId('pay');
  const inserted = await store.insertPayment({
    id,
    sessionId: session.id,
    channel: 'payment_page',
    type: 'purchase',
    method: req.method ?? null,
    amount: price.amount,
    currency: price.currency,
    status: 'created',
    version: 1,
    idemScope: `payment_page:${session.id}`,
    idempotencyKey: null,
    fingerprint: null,
    customerId: session.customer.id,
    description: session.description,
    gateState: 'payment_page',
    sendAttempts: 0,
    clarificationSent: false,
    refundedAmount: 0,
    createdAt: now,
    updatedAt: now,
  });
  if (!inserted) throw new ApiError(409, 'conflict', 'Could not record the payment; retry');

  const c = session.customer;
  const params: Record<string, string | number> = {
    project_id: config.projectId,
    payment_id: id,
    payment_amount: price.amount,
    payment_currency: price.currency,
    customer_id: c.id,
    merchant_callback_url: callbackUrl(config.publicBaseUrl),
    redirect_success_url: returnUrlFor(session.returnUrl, id, 'success'),
    redirect_fail_url: returnUrlFor(session.returnUrl, id, 'decline'),
    best_before: session.expiresAt.toISOString().replace(/\.\d{3}Z$/, '+00:00'),
  };
  if (c.email) params.customer_email = c.email;
  if (c.first_name) params.customer_first_name = c.first_name;
  if (c.last_name) params.customer_last_name = c.last_name;
  if (session.description) params.payment_description = session.description;
  if (session.locale) params.language_code = session.locale;
  if (req.method !== undefined) params.force_payment_method = catalog.paymentPageCode(req.method);

  // No booleans (signed as 1/0 but sent as true/false); numbers written as signed; frame_mode unsigned.
  const signature = await signPaymentPageParams(params, config.secretKey);
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    query.set(k, typeof v === 'number' ? numberToPlainString(v) : v);
  query.set('signature', signature);
  ctx.log.info('payment_page.signed', { payment_id: id, session_id: session.id, method: req.method });
  return {
    url: `${config.paymentPageUrl}?${query.toString()}`,
    config: { ...params, signature },
    payment_id: id,
  };
}
