/**
 * The method forms' own behaviour: GrabPay MYR's clarification, Jeton Voucher's validation messages and
 * focus, and ADVCash's currency switch (the amount on Pay and on the provider page follow it).
 */
import { methodCase } from './cases.ts';
import { expect, test } from './fixtures.ts';
import { fillMethodForm } from './flows.ts';
import {
  expectSinglePayment,
  ledgerEntry,
  ProviderPage,
  sessionPayments,
  Shop,
  SURFACES,
  SURFACE_NAME,
} from './shop.ts';

const advcash = methodCase('ADVCash');

for (const surface of SURFACES) {
  test.describe(SURFACE_NAME[surface], () => {
    test('GrabPay MYR without names asks for them (clarification), then pays to success', async ({
      page,
      steps,
      stack,
      request,
    }) => {
      const shop = new Shop(page, surface, stack, steps);
      await shop.open('my-50');
      await shop.chooseMethod('GrabPay');
      await expect(shop.payButton).toHaveText('Pay RM 50.00');
      // Nothing filled in: the names (and the e-mail) are optional in the form…
      await shop.payButton.click();

      // …but GrabPay wants them for MYR: the Gate asks for them in a clarification.
      await expect(shop.stepHeading('A few more details')).toBeVisible();
      await expect(shop.widget.getByText('GrabPay needs these details to finish the payment.')).toBeVisible();
      const form = shop.widget.getByRole('form', { name: 'A few more details' });
      const fields = {
        email: form.getByRole('textbox', { name: 'E-mail' }),
        first: form.getByRole('textbox', { name: 'First name' }),
        last: form.getByRole('textbox', { name: 'Last name' }),
      };
      for (const f of Object.values(fields)) await expect(f).toHaveAttribute('aria-required', 'true');
      await steps.widget('clarification');

      const proceed = form.getByRole('button', { name: 'Continue' });
      await proceed.click();
      await expect(form.getByText('This field is required')).toHaveCount(3);
      for (const f of Object.values(fields)) await expect(f).toHaveAttribute('aria-invalid', 'true');
      await expect(fields.email, 'focus on the first field to correct').toBeFocused();
      await steps.widget('clarification errors');

      await fields.email.fill('siti@example.com');
      await fields.first.fill('Siti');
      await fields.last.fill('Aminah');
      await proceed.click();

      const provider = new ProviderPage(page, stack);
      const id = await provider.expectOpen('GrabPay', 'RM 50.00');
      await steps.wholePage('GrabPay provider page');
      await provider.success.click();
      await shop.expectReturned(id, 'success');
      await shop.expectResult('success', { amount: 'RM 50.00', method: 'GrabPay' });
      await steps.widget('result');
      const { entry } = await expectSinglePayment(request, shop, 'success');
      expect({ amount: entry.amount, currency: entry.currency }).toEqual({ amount: 5_000, currency: 'MYR' });
    });

    if (surface === 'spa') {
      test('GrabPay MYR with the e-mail from the order asks only for the names, then pays', async ({
        page,
        steps,
        stack,
        request,
      }) => {
        const shop = new Shop(page, surface, stack, steps);
        await shop.open('my-50', { email: 'siti@example.com' });
        await shop.chooseMethod('GrabPay');
        await expect(shop.widget.getByRole('textbox', { name: /^E-mail/ })).toHaveValue('siti@example.com');
        await shop.payButton.click();

        await expect(shop.stepHeading('A few more details')).toBeVisible();
        const form = shop.widget.getByRole('form', { name: 'A few more details' });
        await expect(form.getByRole('textbox')).toHaveCount(2);
        await expect(form.getByRole('textbox', { name: 'E-mail' })).toHaveCount(0);
        await steps.widget('clarification: names only');
        await form.getByRole('textbox', { name: 'First name' }).fill('Siti');
        await form.getByRole('textbox', { name: 'Last name' }).fill('Aminah');
        await form.getByRole('button', { name: 'Continue' }).click();

        const provider = new ProviderPage(page, stack);
        const id = await provider.expectOpen('GrabPay', 'RM 50.00');
        await provider.success.click();
        await shop.expectReturned(id, 'success');
        await shop.expectResult('success', { amount: 'RM 50.00', method: 'GrabPay' });
        await steps.widget('result');
        await expectSinglePayment(request, shop, 'success');
      });
    }

    test('Jeton Voucher: inline messages, focus on the first invalid field, nothing sent until valid', async ({
      page,
      steps,
      stack,
      request,
    }) => {
      const shop = new Shop(page, surface, stack, steps);
      await shop.open('eu-25');
      await shop.chooseMethod('Jeton Voucher');
      const number = shop.widget.getByRole('textbox', { name: 'Voucher number' });
      const expiry = shop.widget.getByRole('textbox', { name: 'Expiry date' });
      const code = shop.widget.getByRole('textbox', { name: 'Security code' });
      const error = (text: string) => shop.widget.getByText(text);
      /** The field is invalid and its message is what describes it (after the hint). */
      const expectInvalid = async (field: typeof number, message: string) => {
        await expect(field).toHaveAttribute('aria-invalid', 'true');
        await expect(field).toHaveAccessibleDescription(new RegExp(`^${message}`));
      };

      // Empty: every field is required; the focus goes to the first one.
      await shop.payButton.click();
      await expect(error('This field is required')).toHaveCount(3);
      await expect(number).toBeFocused();
      await steps.widget('required');

      // A short number, a past expiry, a short code.
      await number.fill('4619 1234');
      await expiry.fill('012020');
      await expect(expiry).toHaveValue('01/2020');
      await code.fill('12');
      await shop.payButton.click();
      await expectInvalid(number, 'The voucher number has 19 digits');
      await expectInvalid(expiry, 'This voucher has expired');
      await expectInvalid(code, 'The security code has 4 digits');
      await expect(number).toBeFocused();
      await steps.widget('invalid number, expiry and code');

      // Only the number fixed: the focus moves on to the expiry, the first field still wrong.
      await number.fill('4619123456789012345');
      await expect(number).not.toHaveAttribute('aria-invalid', 'true');
      await code.focus();
      await shop.payButton.click();
      await expect(expiry).toBeFocused();
      await expectInvalid(expiry, 'This voucher has expired');
      await expectInvalid(code, 'The security code has 4 digits');

      // Nothing has been sent so far.
      const sessionId = await shop.sessionId(request);
      expect(await sessionPayments(request, stack, sessionId)).toEqual([]);

      await shop.fillVoucher();
      await expect(shop.widget.locator('[aria-invalid="true"]')).toHaveCount(0);
      await shop.payButton.click();
      await expect(shop.stepHeading('Confirming your payment')).toBeVisible();
      await shop.expectResult('success', { amount: '€25.00', method: 'Jeton Voucher' });
      await steps.widget('result');
      await expectSinglePayment(request, shop, 'success');
    });

    test('Jeton Voucher: the digit-only fields drop letters as they are typed', async ({
      page,
      steps,
      stack,
    }) => {
      const shop = new Shop(page, surface, stack, steps);
      await shop.open('eu-25', { axe: false });
      await shop.chooseMethod('Jeton Voucher');
      const number = shop.widget.getByRole('textbox', { name: 'Voucher number' });
      const expiry = shop.widget.getByRole('textbox', { name: 'Expiry date' });
      const code = shop.widget.getByRole('textbox', { name: 'Security code' });
      // A letter typed last, after digits, must not stay on screen.
      await number.pressSequentially('46191x');
      await expect(number).toHaveValue('4619 1');
      await expiry.pressSequentially('12b');
      await expect(expiry).toHaveValue('12/');
      await code.pressSequentially('12c');
      await expect(code).toHaveValue('12');
      await steps.widget('letters dropped');
    });

    test('ADVCash currency switch: the Pay button and the provider page follow the currency', async ({
      page,
      steps,
      stack,
      request,
    }) => {
      const shop = new Shop(page, surface, stack, steps);
      await fillMethodForm(shop, advcash, advcash.success);
      const currency = shop.widget.getByRole('combobox', { name: 'Currency' });
      const total = shop.widget.getByRole('status').filter({ hasText: /\d/ });
      await expect(currency).toHaveValue('EUR');
      await expect(total).toHaveText('€25.00');

      for (const [code, amount] of [
        ['GBP', '£22.00'],
        ['UAH', '₴1,100.00'],
        ['USD', '$27.00'],
      ] as const) {
        await currency.selectOption(code);
        await expect(shop.payButton).toHaveText(`Pay ${amount}`);
        await expect(total).toHaveText(amount);
      }
      await steps.widget('USD chosen');

      await shop.payButton.click();
      const provider = new ProviderPage(page, stack);
      const id = await provider.expectOpen('ADVCash', '$27.00');
      const query = new URL(page.url()).searchParams;
      expect({ amount: query.get('ac_amount'), currency: query.get('ac_currency') }).toEqual({
        amount: '27.00',
        currency: 'USD',
      });
      await steps.wholePage('ADVCash provider page in USD');
      await provider.success.click();
      await shop.expectReturned(id, 'success');
      await shop.expectResult('success', { amount: '$27.00', method: 'ADVCash' });
      await steps.widget('result');

      const { payment } = await expectSinglePayment(request, shop, 'success');
      expect({ amount: payment.amount, currency: payment.currency }).toEqual({
        amount: 2_700,
        currency: 'USD',
      });
      const entry = await ledgerEntry(request, stack, id);
      expect({ amount: entry.amount, currency: entry.currency }).toEqual({ amount: 2_700, currency: 'USD' });
    });
  });
}
