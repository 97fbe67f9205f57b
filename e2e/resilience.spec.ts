/**
 * What shoppers do to a checkout: reload while it is waiting for the result, double-click Pay, try again
 * after a decline. One payment per attempt, at the backend and at the Gate, and the widget must end on
 * the attempt's result.
 */
import type { Page, Request, Route } from '@playwright/test';
import { methodCase } from './cases.ts';
import { expect, test } from './fixtures.ts';
import { fillMethodForm, payToOutcome } from './flows.ts';
import {
  expectSinglePayment,
  ledgerEntries,
  ProviderPage,
  sessionPayments,
  Shop,
  SURFACES,
  SURFACE_NAME,
} from './shop.ts';

const jeton = methodCase('Jeton Voucher');
const grabpay = methodCase('GrabPay PHP');
const payco = methodCase('Payco');

/** Records the widget's "create payment" requests (POST /api/sessions/:id/payments) of a page. */
function recordCreates(page: Page): Request[] {
  const creates: Request[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && /\/api\/sessions\/[^/]+\/payments$/.test(new URL(r.url()).pathname))
      creates.push(r);
  });
  return creates;
}

/** The widget's status requests (GET /api/payments/:id). */
const STATUS_URL = /\/api\/payments\/pay_[A-Za-z0-9_-]+(\?.*)?$/;

for (const surface of SURFACES) {
  test.describe(SURFACE_NAME[surface], () => {
    test('a reload while Jeton is waiting resumes the same payment to its result', async ({
      page,
      steps,
      stack,
      request,
    }) => {
      const shop = new Shop(page, surface, stack, steps);
      const creates = recordCreates(page);
      await fillMethodForm(shop, jeton, jeton.success);
      // The sandbox answers Jeton within seconds (2.5 s here): hold the status answers from before Pay (a
      // slow network), so the reload surely comes while the payment waits, and what the reloaded page shows
      // while it does not know the result yet is seen. (Without this, on a busy machine the first page
      // could get the result before the reload and report it there — once per payment — so the reloaded
      // page rightly did not report it again: issue 15's "onComplete never ran" on the embed page.)
      const held: Route[] = [];
      let holding = true;
      await page.route(STATUS_URL, (route) => (holding ? void held.push(route) : route.continue()));
      await shop.payButton.click();
      await expect(shop.stepHeading('Confirming your payment')).toBeVisible();
      await steps.widget('waiting');

      const before = held.length;
      await page.reload();
      await expect(shop.stepHeading('Confirming your payment')).toBeVisible();
      await expect(shop.widget.getByRole('progressbar', { name: 'Waiting for confirmation' })).toBeVisible();
      await expect(shop.payButton, 'no method form: the payment was resumed').toHaveCount(0);
      await expect
        .poll(() => held.length, { message: 'the reloaded widget asks for the status' })
        .toBeGreaterThan(before);
      await steps.widget('waiting after the reload');

      holding = false;
      // The first page's requests went with it: they may no longer be continued.
      for (const route of held) await route.continue().catch(() => undefined);
      await shop.expectResult('success', { amount: '€25.00', method: 'Jeton Voucher' });
      await steps.widget('result');
      expect(creates, 'one create request in all').toHaveLength(1);
      await expectSinglePayment(request, shop, 'success');
    });

    test('a double click on Pay (Jeton Voucher) creates one payment', async ({
      page,
      steps,
      stack,
      request,
    }) => {
      const shop = new Shop(page, surface, stack, steps);
      const creates = recordCreates(page);
      await fillMethodForm(shop, jeton, jeton.success);
      await shop.payButton.dblclick();
      await expect(shop.stepHeading('Confirming your payment')).toBeVisible();
      await steps.screenshot('waiting');
      await shop.expectResult('success', { amount: '€25.00', method: 'Jeton Voucher' });
      await steps.widget('result');
      expect(creates, 'the second click sent nothing').toHaveLength(1);
      await expectSinglePayment(request, shop, 'success');
    });

    test('a double click on Pay (GrabPay, redirect) creates one payment', async ({
      page,
      steps,
      stack,
      request,
    }) => {
      const shop = new Shop(page, surface, stack, steps);
      const creates = recordCreates(page);
      await fillMethodForm(shop, grabpay, grabpay.success);
      await shop.payButton.dblclick();
      const provider = new ProviderPage(page, stack);
      const id = await provider.expectOpen('GrabPay', '₱1,500.00');
      await steps.screenshot('GrabPay provider page');
      await provider.success.click();
      await shop.expectReturned(id, 'success');
      await shop.expectResult('success', { amount: '₱1,500.00', method: 'GrabPay' });
      await steps.widget('result');
      expect(creates, 'the second click sent nothing').toHaveLength(1);
      await expectSinglePayment(request, shop, 'success');
    });
    test('after a decline, "Try again" pays with a new payment', async ({ page, steps, stack, request }) => {
      const shop = new Shop(page, surface, stack, steps);
      const declined = await payToOutcome(shop, request, payco, 'decline');
      await shop.widget.getByRole('button', { name: 'Try again' }).click();
      await expect(shop.stepHeading('Choose a payment method')).toBeVisible();
      await expect(shop.methodRadio('Payco')).toBeChecked();
      // The return parameters of the declined payment are gone: a reload would start afresh.
      expect(new URL(page.url()).searchParams.has('ecp_payment')).toBe(false);
      await steps.widget('try again');

      await shop.payButton.click();
      const provider = new ProviderPage(page, stack);
      const id = await provider.expectOpen('PAYCO', '₩25,000');
      expect(id, 'a new payment').not.toBe(declined.paymentId);
      await provider.success.click();
      await shop.expectReturned(id, 'success');
      await shop.expectResult('success', { amount: '₩25,000', method: 'Payco' });
      await steps.widget('result');

      const sessionId = await shop.sessionId(request);
      const payments = await sessionPayments(request, stack, sessionId);
      expect(payments.map((p) => [p.id, p.status]).sort()).toEqual(
        [
          [declined.paymentId, 'decline'],
          [id, 'success'],
        ].sort(),
      );
      const entries = await ledgerEntries(request, stack, [declined.paymentId, id]);
      expect(entries.map((e) => [e.payment_id, e.state]).sort()).toEqual(
        [
          [declined.paymentId, 'decline'],
          [id, 'success'],
        ].sort(),
      );
    });
  });
}
