/**
 * Back on the provider page with the back/forward cache on, as in a real browser (Playwright turns it
 * off by default with --disable-back-forward-cache). The shop page comes back as it was left, on
 * "Taking you to GrabPay…": the widget must leave that state, check the status and offer to continue.
 */
import { expect, test } from './fixtures.ts';
import { backAfterRedirect } from './flows.ts';
import { SURFACES, SURFACE_NAME } from './shop.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './stack.ts';

test.use({
  launchOptions: {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
  },
});

for (const surface of SURFACES) {
  test(`${SURFACE_NAME[surface]}: Back on the provider page resumes the widget`, async ({
    page,
    steps,
    stack,
    request,
  }) => {
    await page.addInitScript(() => {
      window.addEventListener('pageshow', (e) => {
        (window as unknown as { restoredFromBfcache: boolean }).restoredFromBfcache = e.persisted;
      });
    });
    const restored = await backAfterRedirect(page, surface, steps, stack, request);
    expect(restored, 'the shop page came back from the back/forward cache').toBe(true);
  });
}
