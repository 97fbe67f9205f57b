/**
 * Picking a payment method the moment the methods appear. The widget selects its default method in an
 * effect after the first render with the session; a choice made before that effect runs must not be
 * overwritten by the default.
 */
import { expect, test } from './fixtures.ts';
import { Shop, SURFACES, SURFACE_NAME } from './shop.ts';

for (const surface of SURFACES) {
  test(`${SURFACE_NAME[surface]}: a method picked as soon as the methods appear stays picked`, async ({
    page,
    steps,
    stack,
  }) => {
    // Clicks Jeton Voucher in the same task as its radio is inserted: deterministic, and as early as a
    // quick shopper (or a slow device, where the gap to the effect is longer) can be.
    await page.addInitScript(() => {
      const observer = new MutationObserver(() => {
        const radio = document.querySelector<HTMLInputElement>('input[type="radio"][value="jeton"]');
        if (!radio) return;
        observer.disconnect();
        radio.click();
      });
      document.addEventListener('DOMContentLoaded', () =>
        observer.observe(document.body, { childList: true, subtree: true }),
      );
    });
    const shop = new Shop(page, surface, stack, steps);
    await page.goto(shop.path);
    await page.getByRole('radio', { name: /^Europe & CIS/ }).check();
    await page.getByRole('button', { name: 'Go to checkout' }).click();
    await expect(shop.payButton).toBeVisible();
    await expect(shop.methodRadio('Jeton Voucher')).toBeChecked();
    await expect(shop.widget.getByRole('textbox', { name: 'Voucher number' })).toBeVisible();
    await steps.widget('Jeton Voucher picked');
  });
}
