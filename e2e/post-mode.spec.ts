/**
 * POST-mode redirects (project `post`: the stack whose sandbox runs with
 * SANDBOX_REDIRECT_POST=grabpay,advcash,payco). The widget must submit `redirect_data.body` as a form to
 * the provider page — on the embed page too, under its `form-action` CSP. The sandbox's page refuses a
 * request whose fields did not arrive intact or came with the wrong HTTP method, so reaching its Success
 * button proves the form was right.
 */
import { methodCase } from './cases.ts';
import { expect, test } from './fixtures.ts';
import { payToOutcome } from './flows.ts';
import { Shop, SURFACES, SURFACE_NAME } from './shop.ts';

/** The field each provider page finds its payment by, carried in the form body in POST mode. */
const TOKEN_FIELD = { 'GrabPay PHP': 'tokenid', ADVCash: 'operation_id', Payco: 'Moid' } as const;

for (const surface of SURFACES) {
  test.describe(SURFACE_NAME[surface], () => {
    for (const name of ['GrabPay PHP', 'ADVCash', 'Payco'] as const) {
      const c = methodCase(name);
      for (const outcome of ['success', 'decline'] as const) {
        test(`${name} reaches its provider page by a POST form and pays to ${outcome}`, async ({
          page,
          steps,
          stack,
          request,
        }) => {
          expect(stack.name).toBe('post');
          // The same pages as the GET project's (checked with axe there): here only the POST trip is under test.
          const flow = await payToOutcome(new Shop(page, surface, stack, steps), request, c, outcome, {
            axe: 'none',
          });
          const nav = flow.providerRequest;
          expect(nav, 'the provider page was opened').toBeDefined();
          expect(nav?.method()).toBe('POST');
          expect(nav?.headers()['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
          // Everything travels in the body: the URL has no query (GrabPay's tokenid moved into the form).
          expect(new URL(nav?.url() ?? '').search).toBe('');
          const form = new URLSearchParams(nav?.postData() ?? '');
          expect(form.get(TOKEN_FIELD[name]), `${TOKEN_FIELD[name]} in the form`).toBeTruthy();
          if (name === 'ADVCash') {
            expect(form.get('ac_amount')).toBe(outcome === 'success' ? '25.00' : '400.00');
            expect(form.get('ac_currency')).toBe('EUR');
            expect(form.get('ac_order_id')).toBe(flow.paymentId);
          }
          if (name === 'Payco') expect(form.get('Amt')).toBe('25000');
        });
      }
    }
  });
}
