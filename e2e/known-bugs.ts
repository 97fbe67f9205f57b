/**
 * Product bugs these tests found, outside e2e/ (not fixed here). Each test that hits one calls
 * `knownBug(...)` first: it is reported as fixme with the reason below instead of failing the run.
 * `E2E_RUN_FIXME=1` runs those tests anyway — to see them fail, or to confirm a fix (then drop the entry).
 */
import { test } from './fixtures.ts';

export const KNOWN_BUGS = {
  bfcacheStuckRedirect:
    'src/react/Checkout.tsx: on a back/forward-cache restore the pageshow handler (l. 240) only sends ' +
    'PAGE_RESTORED, but redirectUi keeps {state: "redirecting"} set by go() (l. 334) and the redirect step ' +
    'renders it (l. 603): the widget stays on "Taking you to GrabPay…" with a spinner, aria-busy="true" and ' +
    'no "Pick another method" until the shopper presses Continue. Reset redirectUi on PAGE_RESTORED.',
} as const;

export function knownBug(bug: keyof typeof KNOWN_BUGS): void {
  test.fixme(process.env.E2E_RUN_FIXME !== '1', KNOWN_BUGS[bug]);
}
