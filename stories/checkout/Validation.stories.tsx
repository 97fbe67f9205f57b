import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { checkoutMeta, scenario } from '../support/checkout.tsx';
import { sessionFor } from '../support/fixtures.ts';
import { expectFieldError, expectNoFieldError } from '../support/play.ts';

/**
 * Every inline validation message of the method forms, in the full `<Checkout>`: the play functions type
 * bad input or submit empty fields, check the message, `aria-invalid`, the description and the focus,
 * and check that no payment was created.
 */
const meta = {
  title: 'Checkout/Validation',
  ...checkoutMeta,
} satisfies Meta<typeof checkoutMeta.component>;
export default meta;
type Story = StoryObj<typeof meta>;

const php = scenario({ session: sessionFor('ses_val_php', 'grabpayPhp', { customer: {} }) });

export const GrabPayPHPEmailRequired: Story = {
  ...php.story,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const email = await canvas.findByRole('textbox', { name: /E-mail/ });
    await userEvent.click(canvas.getByRole('button', { name: /^Pay / }));
    await expectFieldError(email, 'This field is required');
    await expect(email).toHaveFocus();
    await expect(args.onSubmit).not.toHaveBeenCalled();
    await expect(php.backend.seen.creates).toHaveLength(0);
  },
};

export const GrabPayPHPEmailInvalid: Story = {
  ...php.story,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const email = await canvas.findByRole('textbox', { name: /E-mail/ });
    await userEvent.type(email, 'ana.santos@');
    await userEvent.tab();
    await expectFieldError(email, 'Enter a valid e-mail address, like name@example.com');
    // Fixing it clears the message as it is typed.
    await userEvent.type(email, 'example.com');
    await expectNoFieldError(email);
    await userEvent.clear(email);
    await userEvent.type(email, 'not-an-email');
    await userEvent.click(canvas.getByRole('button', { name: /^Pay / }));
    await expectFieldError(email, 'Enter a valid e-mail address, like name@example.com');
    await expect(php.backend.seen.creates).toHaveLength(0);
  },
};

const myr = scenario({ session: sessionFor('ses_val_myr', 'grabpayMyr', { customer: {} }) });

export const GrabPayMYRInvalidNames: Story = {
  ...myr.story,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const first = await canvas.findByRole('textbox', { name: /First name/ });
    const last = canvas.getByRole('textbox', { name: /Last name/ });
    const email = canvas.getByRole('textbox', { name: /E-mail/ });
    await userEvent.type(first, 'R2-D2');
    await userEvent.type(last, 'Santos');
    await userEvent.type(email, 'ana@');
    await userEvent.click(canvas.getByRole('button', { name: /^Pay / }));
    await expectFieldError(first, 'Use letters, spaces, apostrophes and hyphens only');
    await expectNoFieldError(last);
    await expectFieldError(email, 'Enter a valid e-mail address, like name@example.com');
    // The first invalid field takes the focus.
    await expect(email).toHaveFocus();
    await expect(myr.backend.seen.creates).toHaveLength(0);
  },
};

/** MYR's fields are optional: an empty form is valid and creates the payment (names may be asked later). */
export const GrabPayMYREmptyIsValid: Story = {
  ...myr.story,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByRole('button', { name: /^Pay / }));
    await waitFor(() =>
      expect(args.onSubmit).toHaveBeenCalledWith({ method: 'grabpay', currency: 'MYR', fields: {} }),
    );
    await expect(canvasElement.querySelector('.ecp-error')).toBeNull();
  },
};

const jeton = scenario({ session: sessionFor('ses_val_jeton', 'jeton') });

async function voucherInputs(canvasElement: HTMLElement) {
  const canvas = within(canvasElement);
  return {
    canvas,
    number: await canvas.findByRole('textbox', { name: /Voucher number/ }),
    expiry: canvas.getByRole('textbox', { name: /Expiry date/ }),
    code: canvas.getByLabelText(/Security code/),
    pay: canvas.getByRole('button', { name: /^Pay / }),
  };
}

export const JetonAllRequired: Story = {
  ...jeton.story,
  play: async ({ canvasElement }) => {
    const { number, expiry, code, pay } = await voucherInputs(canvasElement);
    await userEvent.click(pay);
    await expectFieldError(number, 'This field is required');
    await expectFieldError(expiry, 'This field is required');
    await expectFieldError(code, 'This field is required');
    await expect(number).toHaveFocus();
    await expect(jeton.backend.seen.creates).toHaveLength(0);
  },
};

export const JetonNumberTooShort: Story = {
  ...jeton.story,
  play: async ({ canvasElement }) => {
    const { number, expiry, code, pay } = await voucherInputs(canvasElement);
    await userEvent.type(number, '4093 1762 5218');
    await userEvent.type(expiry, '082029');
    await userEvent.type(code, '4817');
    await userEvent.click(pay);
    await expectFieldError(number, 'The voucher number has 19 digits');
    await expectNoFieldError(expiry);
    await expectNoFieldError(code);
    await expect(jeton.backend.seen.creates).toHaveLength(0);
  },
};

export const JetonExpiryFormat: Story = {
  ...jeton.story,
  play: async ({ canvasElement }) => {
    const { expiry } = await voucherInputs(canvasElement);
    await userEvent.type(expiry, '0829');
    await expect(expiry).toHaveValue('08/29');
    await userEvent.tab();
    await expectFieldError(expiry, 'Enter the expiry as MM/YYYY, e.g. 08/2027');
  },
};

export const JetonExpired: Story = {
  ...jeton.story,
  play: async ({ canvasElement }) => {
    const { expiry } = await voucherInputs(canvasElement);
    await userEvent.type(expiry, '012020');
    await expect(expiry).toHaveValue('01/2020');
    await userEvent.tab();
    await expectFieldError(expiry, 'This voucher has expired');
  },
};

export const JetonSecurityCode: Story = {
  ...jeton.story,
  play: async ({ canvasElement }) => {
    const { code } = await voucherInputs(canvasElement);
    // Letters are dropped as they are typed; two digits are not enough.
    await userEvent.type(code, '4a8');
    await expect(code).toHaveValue('48');
    await userEvent.tab();
    await expectFieldError(code, 'The security code has 4 digits');
  },
};
