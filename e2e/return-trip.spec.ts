/**
 * The way back from the provider: the return URL alone (a new tab, nothing stored), a forged
 * `ecp_result`, a reload after the return, Payco's "Return to the shop", and the browser's Back button
 * on the provider page (with the back/forward cache: back-forward-cache.spec.ts).
 */
import type { Route } from '@playwright/test';
import { methodCase } from './cases.ts';
import { expect, test } from './fixtures.ts';
import { backAfterRedirect, expectResumedRedirect, fillMethodForm, payToOutcome } from './flows.ts';
import { expectSinglePayment, ProviderPage, Shop, SURFACES, SURFACE_NAME } from './shop.ts';

const advcash = methodCase('ADVCash');
const payco = methodCase('Payco');

for (const surface of SURFACES) {
  test.describe(SURFACE_NAME[surface], () => {
    test('the return URL alone shows the result, in a new tab and after a reload', async ({
      page,
      context,
      steps,
      stack,
      request,
    }) => {
      const shop = new Shop(page, surface, stack, steps);
      const { paymentId } = await payToOutcome(shop, request, advcash, 'success');
      const returnUrl = page.url();

      await page.reload();
      // onComplete fires once per payment: not again after the reload.
      await shop.expectResult('success', { amount: '€25.00', method: 'ADVCash' }, { onComplete: false });
      await expect(shop.payButton).toHaveCount(0);
      await steps.widget('result after reload');

      // A new tab has no sessionStorage: only ?ecp_payment= tells the widget which payment to show.
      const tab = await context.newPage();
      await tab.goto(returnUrl);
      const again = new Shop(tab, surface, stack, steps);
      steps.switchTo(tab);
      expect(await again.expectResult('success', { amount: '€25.00', method: 'ADVCash' })).toBe(paymentId);
      await steps.widget('result in a new tab');

      await expectSinglePayment(request, shop, 'success');
    });

    test('a forged ecp_result=success on a declined payment still shows the decline', async ({
      page,
      context,
      steps,
      stack,
      request,
    }) => {
      const shop = new Shop(page, surface, stack, steps);
      const { paymentId } = await payToOutcome(shop, request, payco, 'decline');
      const forged = new URL(page.url());
      forged.searchParams.set('ecp_result', 'success');

      const tab = await context.newPage();
      await tab.goto(forged.href);
      const again = new Shop(tab, surface, stack, steps);
      steps.switchTo(tab);
      expect(await again.expectResult('decline')).toBe(paymentId);
      await expect(again.stepHeading('Payment successful')).toHaveCount(0);
      await steps.widget('forged success shows the decline');
      await expectSinglePayment(request, shop, 'decline');
    });

    test('Payco "Return to the shop" comes back to a paused redirect that can continue', async ({
      page,
      steps,
      stack,
      request,
    }) => {
      const shop = new Shop(page, surface, stack, steps);
      await fillMethodForm(shop, payco, payco.success);
      await shop.payButton.click();
      const provider = new ProviderPage(page, stack);
      const id = await provider.expectOpen('PAYCO', '₩25,000');
      await steps.screenshot('PAYCO provider page');
      await provider.returnToShop.click();

      await shop.expectReturned(id, 'return');
      await expectResumedRedirect(shop, 'Payco');
      await steps.widget('returned without paying');

      await shop.widget.getByRole('button', { name: 'Continue to Payco' }).click();
      expect(await provider.expectOpen('PAYCO', '₩25,000'), 'the same payment again').toBe(id);
      await provider.success.click();
      await shop.expectReturned(id, 'success');
      await shop.expectResult('success', { amount: '₩25,000', method: 'Payco' });
      await steps.widget('result');
      await expectSinglePayment(request, shop, 'success');
    });

    test('Back on the provider page resumes the widget with a status check, no stuck spinner', async ({
      page,
      steps,
      stack,
      request,
    }) => {
      await backAfterRedirect(page, surface, steps, stack, request);
    });
  });
}

test('SPA: after Back, the live region does not still announce "Confirming your payment"', async ({
  page,
  steps,
  stack,
}) => {
  const shop = new Shop(page, 'spa', stack, steps);
  await fillMethodForm(shop, payco, payco.success);
  await shop.payButton.click();
  await new ProviderPage(page, stack).expectOpen('PAYCO', '₩25,000');
  // Hold the status answers for a moment after Back, so the widget surely shows (and announces) its
  // "waiting" step while it does not know the status yet, as on a slow network.
  const held: Route[] = [];
  let holding = true;
  await page.route(/\/api\/payments\/pay_/, (route) => (holding ? void held.push(route) : route.continue()));
  await page.goBack();
  await expect(shop.stepHeading('Confirming your payment')).toBeVisible();
  await expect.poll(() => held.length).toBeGreaterThan(0);
  holding = false;
  for (const route of held) await route.continue();
  await expectResumedRedirect(shop, 'Payco');
  // What screen readers were last told must match the step on screen (WCAG 4.1.3, status messages).
  await expect(shop.root.locator('[data-ecp-live]')).not.toHaveText(/Confirming your payment/);
});
