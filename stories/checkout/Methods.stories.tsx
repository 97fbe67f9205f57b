import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { checkoutMeta, scenario } from '../support/checkout.tsx';
import { METHODS, session, sessionFor } from '../support/fixtures.ts';
import { expectFieldError, expectNoFieldError } from '../support/play.ts';

/**
 * The full `<Checkout>` on the method step: one story per method's form, then every inline validation
 * message (the play functions type bad input or submit empty fields, check the message, `aria-invalid`,
 * the description and the focus, and that no payment was created). The backend is mocked at the
 * network layer (MSW): the widget fetches the session like it would from the real backend.
 */
const meta = {
  title: 'Checkout/Methods',
  ...checkoutMeta,
} satisfies Meta<typeof checkoutMeta.component>;
export default meta;
type Story = StoryObj<typeof meta>;

const grabpayPhp = scenario({ session: sessionFor('ses_grabpay_php', 'grabpayPhp') });
export const GrabPayPHP: Story = {
  ...grabpayPhp.story,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const email = await canvas.findByRole('textbox', { name: /E-mail/ });
    await expect(email).toHaveValue('ana.santos@example.com');
    await expect(email).toBeRequired();
    await expect(email).toHaveAccessibleDescription('GrabPay needs it for payments in PHP');
    await expect(canvas.getByRole('button', { name: 'Pay ₱1,500.00' })).toBeVisible();
    await expect(args.onReady).toHaveBeenCalledOnce();
  },
};

const grabpayMyr = scenario({
  session: sessionFor('ses_grabpay_myr', 'grabpayMyr', { customer: {} }),
});
export const GrabPayMYR: Story = {
  ...grabpayMyr.story,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole('button', { name: /^Pay RM\s45\.00$/ });
    for (const name of [/E-mail/, /First name/, /Last name/]) {
      const input = canvas.getByRole('textbox', { name });
      await expect(input).not.toBeRequired();
      await expect(input).toHaveAccessibleName(expect.stringContaining('optional'));
    }
  },
};

const advcash = scenario({ session: sessionFor('ses_advcash', 'advcash') });
/** ADVCash: a currency picker over the session's prices; the total and the Pay button follow it. */
export const AdvCashCurrencyPicker: Story = {
  ...advcash.story,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const select = await canvas.findByRole('combobox', { name: 'Currency' });
    const texts = within(select)
      .getAllByRole('option')
      .map((o) => o.textContent?.replace(/\s/g, ' '));
    await expect(texts).toEqual(['EUR · €25.00', 'USD · $27.00', 'UAH · ₴1,120.00', 'GBP · £21.50']);
    await userEvent.selectOptions(select, 'UAH');
    await expect(canvas.getByRole('button', { name: /^Pay ₴1,120\.00$/ })).toBeVisible();
    await expect(canvasElement.querySelector('output')).toHaveTextContent(/^₴1,120\.00$/);
    await expect(args.onMethodChange).toHaveBeenLastCalledWith({ method: 'advcash', currency: 'UAH' });
  },
};

const payco = scenario({ session: sessionFor('ses_payco', 'payco') });
/** Payco charges whole won: ₩35,000, never ₩35,000.00 or ₩350.00. */
export const PaycoWholeWon: Story = {
  ...payco.story,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole('button', { name: 'Pay ₩35,000' });
    await expect(canvas.getByText('Korean won are charged in whole won.', { exact: false })).toBeVisible();
    await expect(canvasElement).not.toHaveTextContent(/₩[\d,]+\.\d/);
  },
};

const jeton = scenario({ session: sessionFor('ses_jeton', 'jeton') });
export const JetonVoucher: Story = {
  ...jeton.story,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const number = await canvas.findByRole('textbox', { name: /Voucher number/ });
    await userEvent.type(number, '4093176252180000001');
    await expect(number).toHaveValue('4093 1762 5218 0000 001');
    const expiry = canvas.getByRole('textbox', { name: /Expiry date/ });
    await userEvent.type(expiry, '082029');
    await expect(expiry).toHaveValue('08/2029');
    const code = canvas.getByLabelText(/Security code/);
    await expect(code).toHaveAttribute('type', 'password');
    await expect(canvas.getByRole('button', { name: 'Pay €25.00' })).toBeVisible();
  },
};

const all = scenario({
  session: session('ses_all_methods', {
    methods: [METHODS.grabpayPhp, METHODS.advcash, METHODS.payco, METHODS.jeton],
  }),
});
/** Several methods: picking one swaps the form below (and tells `onMethodChange`). */
export const AllMethods: Story = {
  ...all.story,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const group = await canvas.findByRole('group', { name: 'Payment method' });
    await expect(within(group).getAllByRole('radio')).toHaveLength(4);
    await expect(within(group).getByRole('radio', { name: /GrabPay/ })).toBeChecked();
    await userEvent.click(within(group).getByRole('radio', { name: /Jeton Voucher/ }));
    await canvas.findByRole('textbox', { name: /Voucher number/ });
    await waitFor(() =>
      expect(args.onMethodChange).toHaveBeenLastCalledWith({ method: 'jeton', currency: 'EUR' }),
    );
    await userEvent.click(within(group).getByRole('radio', { name: /Payco/ }));
    await canvas.findByRole('button', { name: 'Pay ₩35,000' });
  },
};

const unavailable = scenario({
  session: session('ses_unavailable', {
    prices: [
      { currency: 'PHP', amount: 150_000 },
      { currency: 'EUR', amount: 2_500 },
    ],
    methods: [METHODS.grabpayPhp, METHODS.jeton],
    unavailable: [
      {
        method: 'advcash',
        reason: {
          code: 'test_currency_only',
          message: 'The ADVCash test project accepts UAH only',
          currencies: ['UAH'],
        },
      },
      {
        method: 'payco',
        reason: { code: 'currency_not_supported', message: 'Payco accepts KRW only', currencies: ['KRW'] },
      },
    ],
  }),
});
/** `showUnavailable`: the methods that cannot take this order are listed, with the reason. */
export const WithUnavailableMethods: Story = {
  ...unavailable.story,
  args: { ...unavailable.story.args, showUnavailable: true },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    // Collapsed behind "Why can't I pay with …?"; opened, one plain sentence per method.
    const why = await canvas.findByText('Why can’t I pay with ADVCash or Payco?');
    await expect(canvas.getByText('Payco doesn’t take this currency.')).not.toBeVisible();
    await userEvent.click(why);
    await expect(canvas.getByText('In test mode, ADVCash takes UAH only.')).toBeVisible();
    await expect(canvas.getByText('Payco doesn’t take this currency.')).toBeVisible();
    await expect(canvas.getAllByRole('radio')).toHaveLength(2);
  },
};

// ── validation ─────────────────────────────────────────────────────────────────────────────────────

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

const jetonForm = scenario({ session: sessionFor('ses_val_jeton', 'jeton') });

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
  ...jetonForm.story,
  play: async ({ canvasElement }) => {
    const { number, expiry, code, pay } = await voucherInputs(canvasElement);
    await userEvent.click(pay);
    await expectFieldError(number, 'This field is required');
    await expectFieldError(expiry, 'This field is required');
    await expectFieldError(code, 'This field is required');
    await expect(number).toHaveFocus();
    await expect(jetonForm.backend.seen.creates).toHaveLength(0);
  },
};

export const JetonNumberTooShort: Story = {
  ...jetonForm.story,
  play: async ({ canvasElement }) => {
    const { number, expiry, code, pay } = await voucherInputs(canvasElement);
    await userEvent.type(number, '4093 1762 5218');
    await userEvent.type(expiry, '082029');
    await userEvent.type(code, '4817');
    await userEvent.click(pay);
    await expectFieldError(number, 'The voucher number has 19 digits');
    await expectNoFieldError(expiry);
    await expectNoFieldError(code);
    await expect(jetonForm.backend.seen.creates).toHaveLength(0);
  },
};

export const JetonExpiryFormat: Story = {
  ...jetonForm.story,
  play: async ({ canvasElement }) => {
    const { expiry } = await voucherInputs(canvasElement);
    await userEvent.type(expiry, '0829');
    await expect(expiry).toHaveValue('08/29');
    await userEvent.tab();
    await expectFieldError(expiry, 'Enter the expiry as MM/YYYY, e.g. 08/2027');
  },
};

export const JetonExpired: Story = {
  ...jetonForm.story,
  play: async ({ canvasElement }) => {
    const { expiry } = await voucherInputs(canvasElement);
    await userEvent.type(expiry, '012020');
    await expect(expiry).toHaveValue('01/2020');
    await userEvent.tab();
    await expectFieldError(expiry, 'This voucher has expired');
  },
};

export const JetonSecurityCode: Story = {
  ...jetonForm.story,
  play: async ({ canvasElement }) => {
    const { code } = await voucherInputs(canvasElement);
    // Letters are dropped as they are typed; two digits are not enough.
    await userEvent.type(code, '4a8');
    await expect(code).toHaveValue('48');
    await userEvent.tab();
    await expectFieldError(code, 'The security code has 4 digits');
  },
};
