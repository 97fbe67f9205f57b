import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { MethodForm } from '../../src/react/index.ts';
import { METHODS, type MethodFixture } from '../support/fixtures.ts';
import { expectFieldError } from '../support/play.ts';

/**
 * Each method's form on its own, as a merchant composing their own checkout would use it: one
 * `<MethodForm method=…>` rendered from the method's core form spec (no backend: `onSubmit` gets
 * `{ currency, fields }`, validated with the core's schema for that currency).
 */

const options = (m: MethodFixture) =>
  METHODS[m].options.map(({ currency, amount }) => ({ currency, amount }));

const meta = {
  title: 'Forms/Method forms',
  component: MethodForm,
  args: { method: 'grabpay', options: options('grabpayPhp'), onSubmit: fn(), onCurrencyChange: fn() },
  argTypes: {
    method: { control: 'select', options: ['grabpay', 'advcash', 'payco', 'jeton'] },
    options: { control: 'object' },
  },
} satisfies Meta<typeof MethodForm>;
export default meta;
type Story = StoryObj<typeof meta>;

export const GrabPayPHP: Story = {
  args: { defaultValues: { email: 'ana.santos@example.com' } },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Pay ₱1,500.00' }));
    await expect(args.onSubmit).toHaveBeenCalledWith({
      currency: 'PHP',
      fields: { email: 'ana.santos@example.com' },
    });
  },
};

export const GrabPayMYR: Story = {
  args: { options: options('grabpayMyr') },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.type(canvas.getByRole('textbox', { name: /First name/ }), '  Nur Aisyah ');
    await userEvent.click(canvas.getByRole('button', { name: /^Pay RM\s45\.00$/ }));
    // Blank optional fields are left out; values are trimmed.
    await expect(args.onSubmit).toHaveBeenCalledWith({
      currency: 'MYR',
      fields: { first_name: 'Nur Aisyah' },
    });
  },
};

/** GrabPay over two prices: switching to PHP makes the e-mail required (the rule follows the currency). */
export const GrabPayCurrencySwitch: Story = {
  args: {
    options: [...options('grabpayMyr'), ...options('grabpayPhp')],
  },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const email = canvas.getByRole('textbox', { name: /E-mail/ });
    await expect(email).not.toBeRequired();
    await userEvent.selectOptions(canvas.getByRole('combobox', { name: 'Currency' }), 'PHP');
    await expect(args.onCurrencyChange).toHaveBeenCalledWith('PHP');
    await expect(email).toBeRequired();
    await expect(canvas.queryByRole('textbox', { name: /First name/ })).toBeNull();
    await userEvent.click(canvas.getByRole('button', { name: 'Pay ₱1,500.00' }));
    await expectFieldError(email, 'This field is required');
    await expect(args.onSubmit).not.toHaveBeenCalled();
  },
};

export const Busy: Story = {
  args: { defaultValues: { email: 'ana.santos@example.com' }, busy: true },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Processing…' }));
    await expect(args.onSubmit).not.toHaveBeenCalled();
  },
};

export const AdvCashCurrencies: Story = {
  args: { method: 'advcash', options: options('advcash') },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.selectOptions(canvas.getByRole('combobox', { name: 'Currency' }), 'GBP');
    await userEvent.click(canvas.getByRole('button', { name: 'Pay £21.50' }));
    await expect(args.onSubmit).toHaveBeenCalledWith({ currency: 'GBP', fields: {} });
  },
};

export const AdvCashSingleCurrency: Story = {
  args: { method: 'advcash', options: options('advcash').slice(0, 1) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.queryByRole('combobox')).toBeNull();
    await expect(canvas.getByRole('button', { name: 'Pay €25.00' })).toBeVisible();
  },
};

export const PaycoWholeWon: Story = {
  args: { method: 'payco', options: [{ currency: 'KRW', amount: 1_250_000 }] },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Pay ₩1,250,000' }));
    await expect(args.onSubmit).toHaveBeenCalledWith({ currency: 'KRW', fields: {} });
  },
};

export const JetonVoucher: Story = {
  args: { method: 'jeton', options: options('jeton') },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const number = canvas.getByRole('textbox', { name: /Voucher number/ });
    const expiry = canvas.getByRole('textbox', { name: /Expiry date/ });
    // The mask: digits in groups of four, the expiry's slash by itself, Backspace through the slash.
    await userEvent.type(number, '4093-1762-5218-0000-0019999');
    await expect(number).toHaveValue('4093 1762 5218 0000 001');
    await userEvent.type(expiry, '8');
    await expect(expiry).toHaveValue('08/');
    await userEvent.type(expiry, '{Backspace}{Backspace}');
    await expect(expiry).toHaveValue('0');
    await userEvent.type(expiry, '82029');
    await expect(expiry).toHaveValue('08/2029');
    await userEvent.type(canvas.getByLabelText(/Security code/), '4817');
    await userEvent.click(canvas.getByRole('button', { name: 'Pay €25.00' }));
    await expect(args.onSubmit).toHaveBeenCalledWith({
      currency: 'EUR',
      fields: { number: '4093176252180000001', expiration: '08/2029', security_code: '4817' },
    });
  },
};
