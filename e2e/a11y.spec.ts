/**
 * axe (WCAG 2.0/2.1 A and AA, 2.2 AA) on the pages of the demo that the payment flows do not already
 * check step by step: the shop pages before checkout, the merchant console, and the widget in its dark
 * theme (every flow checks the light theme's steps and the provider pages).
 */
import { methodCase } from './cases.ts';
import { expect, test } from './fixtures.ts';
import { Shop } from './shop.ts';

test('the demo shop (SPA) before checkout', async ({ page, steps }) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Go to checkout' })).toBeVisible();
  await steps.wholePage('shop');
});

test('the script-tag embed page before checkout', async ({ page, steps }) => {
  await page.goto('/embed.html');
  await expect(page.getByRole('button', { name: 'Go to checkout' })).toBeVisible();
  await steps.wholePage('embed page');
});

test('the merchant console', async ({ page, steps }) => {
  await page.goto('/console.html');
  await expect(page.getByRole('heading', { level: 1, name: 'Merchant console' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Payments' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Jeton Voucher payout' })).toBeVisible();
  await steps.wholePage('console');
});

test('the widget in the dark theme, step by step', async ({ page, steps, stack }) => {
  const shop = new Shop(page, 'spa', stack, steps);
  await shop.open('decline-400', { axe: false });
  await page.getByRole('checkbox', { name: 'Dark' }).check();
  await expect(shop.root).toHaveAttribute('data-theme', 'dark');
  await steps.widget('dark: methods');
  await shop.chooseMethod('Jeton Voucher');
  await shop.payButton.click();
  await expect(shop.widget.getByText('This field is required')).toHaveCount(3);
  await steps.widget('dark: errors');
  await methodCase('Jeton Voucher').fill?.(shop);
  await shop.payButton.click();
  await expect(shop.stepHeading('Confirming your payment')).toBeVisible();
  await steps.widget('dark: waiting');
  await shop.expectResult('decline');
  await steps.widget('dark: declined');
});
