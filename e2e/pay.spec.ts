/**
 * Every method, on the SPA and on the script-tag embed page, paid to success and to decline through the
 * sandbox's provider pages (Jeton Voucher: voucher form → waiting → result, no redirect).
 */
import { METHOD_CASES } from './cases.ts';
import { test } from './fixtures.ts';
import { payToOutcome } from './flows.ts';
import { Shop, SURFACES, SURFACE_NAME } from './shop.ts';

for (const surface of SURFACES) {
  test.describe(SURFACE_NAME[surface], () => {
    for (const c of METHOD_CASES) {
      for (const outcome of ['success', 'decline'] as const) {
        const how =
          outcome === 'success'
            ? c.provider
              ? 'Success on the provider page'
              : 'a valid voucher'
            : c.decline.by === 'test-amount'
              ? 'the 400.00 test amount'
              : 'Decline on the provider page';
        test(`${c.name} pays to ${outcome} (${how})`, async ({ page, steps, stack, request }) => {
          await payToOutcome(new Shop(page, surface, stack, steps), request, c, outcome);
        });
      }
    }
  });
}
