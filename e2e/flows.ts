/** The payment flow shared by the specs: cart → method → form → provider page (or waiting) → result. */
import type { APIRequestContext, Page, Request } from '@playwright/test';
import { methodCase, type MethodCase, type Order } from './cases.ts';
import { expect, test, type Steps } from './fixtures.ts';
import { expectSinglePayment, ProviderPage, Shop, type Surface } from './shop.ts';
import type { Stack } from './stack.ts';

/** Opens the cart, picks the method and fills its form (screenshots; axe of both steps if `axe`). */
export async function fillMethodForm(
  shop: Shop,
  c: MethodCase,
  order: Order,
  opts: { axe?: boolean } = {},
): Promise<void> {
  await shop.open(order.cart, opts);
  await shop.chooseMethod(c.label);
  await c.fill?.(shop);
  // Multi-currency carts: the first currency offered is the one paid; the button says which.
  await expect(shop.payButton).toHaveText(`Pay ${order.amount}`);
  await shop.steps.widget(`${c.name} form`, { axe: opts.axe === true });
}

export interface PaidFlow {
  paymentId: string;
  /** The navigation request that opened the provider page (redirect methods). */
  providerRequest?: Request;
}

/**
 * Pays `order` with method `c` to `outcome`: on the provider page for redirect methods (checking the
 * return trip), through the waiting step for Jeton. Checks the result step, the embed's onComplete, the
 * backend and the sandbox ledger (exactly one payment, in the final state, with the right amount).
 */
export async function payToOutcome(
  shop: Shop,
  request: APIRequestContext,
  c: MethodCase,
  outcome: 'success' | 'decline',
  opts: { axe?: 'all' | 'result' | 'none' } = {},
): Promise<PaidFlow> {
  // axe costs 1–2 s a step (injected again in every document): the form and the provider page are the same
  // for both outcomes, so by default they are checked on the way to success, and the result step always.
  const axe = opts.axe ?? (outcome === 'success' ? 'all' : 'result');
  const order = outcome === 'success' ? c.success : c.decline;
  await fillMethodForm(shop, c, order, { axe: axe === 'all' });
  const flow: Partial<PaidFlow> = {};

  if (c.provider) {
    const providerNav = shop.page.waitForRequest(
      (r) => r.isNavigationRequest() && /\/providers\//.test(r.url()),
    );
    await shop.payButton.click();
    flow.providerRequest = await providerNav;
    const provider = new ProviderPage(shop.page, shop.stack);
    const id = await provider.expectOpen(c.provider, order.amount);
    // The test rule: for 400.00 Decline comes first and has the focus; otherwise Success does.
    const declineFirst = outcome === 'decline' && c.decline.by === 'test-amount';
    await expect(declineFirst ? provider.decline : provider.success).toBeFocused();
    if (axe === 'all') await shop.steps.wholePage(`${c.provider} provider page`);
    else await shop.steps.screenshot(`${c.provider} provider page`);
    await (outcome === 'success' ? provider.success : provider.decline).click();
    await shop.expectReturned(id, outcome === 'success' ? 'success' : c.declineReturn);
    flow.paymentId = id;
  } else {
    await shop.payButton.click();
    await expect(shop.stepHeading('Confirming your payment')).toBeVisible();
    await expect(shop.widget.getByRole('progressbar', { name: 'Waiting for confirmation' })).toBeVisible();
    await shop.steps.widget('waiting', { axe: axe === 'all' });
  }

  const shown = await shop.expectResult(outcome, { amount: order.amount, method: c.label });
  if (flow.paymentId) expect(shown).toBe(flow.paymentId);
  flow.paymentId = shown;
  await shop.steps.widget(`result ${outcome}`, { axe: axe !== 'none' });

  const { payment, entry } = await expectSinglePayment(request, shop, outcome);
  expect(payment.id).toBe(shown);
  expect({
    method: entry.method,
    type: entry.type,
    via: entry.via,
    amount: entry.amount,
    currency: entry.currency,
  }).toEqual({
    method: c.method,
    type: 'purchase',
    via: 'gate',
    amount: order.minor,
    currency: order.currency,
  });
  expect({ amount: payment.amount, currency: payment.currency }).toEqual({
    amount: order.minor,
    currency: order.currency,
  });
  if (outcome === 'success') expect(entry.code).toBe('0');
  else expect(entry.code).not.toBe('0');
  return flow as PaidFlow;
}

/** The redirect step after coming back without a result: paused, with buttons, and no spinner left. */
export async function expectResumedRedirect(shop: Shop, method: string): Promise<void> {
  await expect(shop.stepHeading(`Continue to ${method}`)).toBeVisible();
  const region = shop.widget.getByRole('region', { name: `Continue to ${method}` });
  await expect(region).toHaveAttribute('aria-busy', 'false');
  await expect(region.getByText(`Press the button to continue to ${method}.`)).toBeVisible();
  await expect(shop.widget.locator('.ecp-spinner')).toHaveCount(0);
  await expect(shop.widget.getByRole('button', { name: `Continue to ${method}` })).toBeEnabled();
  await expect(shop.widget.getByRole('button', { name: 'Pick another method' })).toBeEnabled();
}

/**
 * GrabPay PHP to its provider page, Back: the widget must come back checking the status (not spinning
 * on "redirecting"), offer to continue, and then pay the same payment. Returns whether the page came
 * back from the back/forward cache.
 */
export async function backAfterRedirect(
  page: Page,
  surface: Surface,
  steps: Steps,
  stack: Stack,
  request: APIRequestContext,
): Promise<boolean> {
  const grabpay = methodCase('GrabPay PHP');
  const shop = new Shop(page, surface, stack, steps);
  await fillMethodForm(shop, grabpay, grabpay.success);
  await shop.payButton.click();
  const provider = new ProviderPage(page, stack);
  const id = await provider.expectOpen('GrabPay', '₱1,500.00');
  await steps.screenshot('GrabPay provider page');

  // With the back/forward cache the page is restored without a load event: wait for the commit only.
  await page.goBack({ waitUntil: 'commit' });
  await expect(page).toHaveURL(shop.orderUrlPattern);
  await expect(shop.stepHeading('Continue to GrabPay')).toBeVisible();
  const restored = await page.evaluate(
    () => (window as unknown as { restoredFromBfcache?: boolean }).restoredFromBfcache === true,
  );
  test.info().annotations.push({
    type: 'back',
    description: restored ? 'the shop page came back from the bfcache' : 'the shop page was loaded again',
  });
  await expectResumedRedirect(shop, 'GrabPay');
  await steps.widget('back from the provider page');

  await shop.widget.getByRole('button', { name: 'Continue to GrabPay' }).click();
  expect(await provider.expectOpen('GrabPay', '₱1,500.00'), 'the same payment again').toBe(id);
  await provider.success.click();
  await shop.expectReturned(id, 'success');
  await shop.expectResult('success', { amount: '₱1,500.00', method: 'GrabPay' });
  await steps.widget('result');
  await expectSinglePayment(request, shop, 'success');
  return restored;
}
