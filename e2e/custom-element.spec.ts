/**
 * `<ecommpay-checkout>` on a plain HTML page (public/static/element.html, under the demo's strict CSP):
 * added and removed twice, then a Jeton payment through it; its DOM events reach the page.
 */
import { methodCase } from './cases.ts';
import { expect, test } from './fixtures.ts';
import { Shop } from './shop.ts';

const jeton = methodCase('Jeton Voucher');

test('the <ecommpay-checkout> element: added and removed twice, then a payment with its events', async ({
  page,
  steps,
  stack,
}) => {
  // Its page objects fit: the same widget, with the embed page's onComplete mark (`data-payment-status`).
  const shop = new Shop(page, 'embed', stack, steps);
  const events = () =>
    page.evaluate(() =>
      (window as unknown as { checkoutEvents: { type: string }[] }).checkoutEvents.map((e) => e.type),
    );
  const creates: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && /\/api\/sessions\/[^/]+\/payments$/.test(new URL(r.url()).pathname))
      creates.push(r.url());
  });
  await page.goto('/element.html');
  await expect(shop.stepHeading('Choose a payment method')).toBeVisible();
  await expect.poll(events).toEqual(['ready']);
  await steps.widget('the element');

  for (let round = 1; round <= 2; round++) {
    await page.getByRole('button', { name: 'Remove the checkout' }).click();
    await expect(page.locator('ecommpay-checkout')).toHaveCount(0);
    await expect(page.locator('.ecp-root')).toHaveCount(0);
    await page.getByRole('button', { name: 'Add the checkout' }).click();
    await expect(shop.stepHeading('Choose a payment method')).toBeVisible();
    await expect(page.locator('.ecp-root'), 'one widget, not one per round').toHaveCount(1);
    await expect.poll(events).toEqual(Array(round + 1).fill('ready'));
  }

  await shop.chooseMethod(jeton.label);
  await jeton.fill?.(shop);
  await shop.payButton.click();
  await shop.expectResult('success', { amount: '€25.00', method: 'Jeton Voucher' });
  await steps.widget('result');
  expect(await events()).toEqual(['ready', 'ready', 'ready', 'method-change', 'submit', 'complete']);
  await expect(page.getByRole('listitem').filter({ hasText: 'complete: success' })).toHaveCount(1);
  expect(creates, 'one payment').toHaveLength(1);
});
