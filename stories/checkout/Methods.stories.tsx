import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { checkoutMeta, scenario } from '../support/checkout.tsx';
import { METHODS, session, sessionFor } from '../support/fixtures.ts';

/**
 * The full `<Checkout>` on the method step, one story per method's form. The backend is mocked at the
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
    await canvas.findByRole('button', { name: /^Pay MYR\s45\.00$/ });
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
    await expect(texts).toEqual(['EUR · €25.00', 'USD · $27.00', 'UAH · UAH 1,120.00', 'GBP · £21.50']);
    await userEvent.selectOptions(select, 'UAH');
    await expect(canvas.getByRole('button', { name: /^Pay UAH\s1,120\.00$/ })).toBeVisible();
    await expect(canvasElement.querySelector('output')).toHaveTextContent(/^UAH\s1,120\.00$/);
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
    await canvas.findByText('Not available for this order');
    await expect(canvas.getByText('The ADVCash test project accepts UAH only')).toBeVisible();
    await expect(canvas.getByText('Payco accepts KRW only')).toBeVisible();
    await expect(canvas.getAllByRole('radio')).toHaveLength(2);
  },
};
