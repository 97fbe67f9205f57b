import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { AdvCashPayoutForm, GrabPayPayoutForm } from '../../src/react/index.ts';
import { expectFieldError, expectNoFieldError } from '../support/play.ts';

/**
 * Payout details for the merchant's console. `onSubmit` gets the validated account; the merchant's
 * server creates the payout (never the browser: it needs the API key).
 */
const meta = {
  title: 'Payouts/Payout forms',
  component: GrabPayPayoutForm,
  args: { amount: 100_000, currency: 'PHP', onSubmit: fn() },
} satisfies Meta<typeof GrabPayPayoutForm>;
export default meta;
type Story = StoryObj<typeof meta>;

export const GrabPay: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('heading', { name: 'GrabPay payout' })).toBeVisible();
    await expect(canvas.getByRole('textbox', { name: 'GrabPay account number' })).toHaveAccessibleDescription(
      '11 digits, starting with 09',
    );
    await expect(canvas.getByRole('button', { name: 'Request payout ₱1,000.00' })).toBeVisible();
  },
};

export const GrabPayRequired: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: /^Request payout/ }));
    await expectFieldError(
      canvas.getByRole('textbox', { name: 'GrabPay account number' }),
      'This field is required',
    );
    await expectFieldError(
      canvas.getByRole('textbox', { name: 'Account holder’s full name' }),
      'This field is required',
    );
    await expect(args.onSubmit).not.toHaveBeenCalled();
  },
};

export const GrabPayInvalid: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const number = canvas.getByRole('textbox', { name: 'GrabPay account number' });
    const name = canvas.getByRole('textbox', { name: 'Account holder’s full name' });
    await userEvent.type(number, '08171234567');
    await userEvent.type(name, 'Maria');
    await userEvent.click(canvas.getByRole('button', { name: /^Request payout/ }));
    await expectFieldError(number, 'A GrabPay account number has 11 digits and starts with 09');
    await expectFieldError(name, 'Enter the account holder’s full name (first and last)');
    // Corrected as typed: the messages go away.
    await userEvent.clear(number);
    await userEvent.type(number, '09171234567');
    await userEvent.type(name, ' dela Cruz');
    await expectNoFieldError(number);
    await expectNoFieldError(name);
    await expect(args.onSubmit).not.toHaveBeenCalled();
  },
};

export const GrabPaySubmitted: Story = {
  args: { onSubmit: fn(async () => undefined) },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.type(canvas.getByRole('textbox', { name: 'GrabPay account number' }), '09171234567');
    await userEvent.type(
      canvas.getByRole('textbox', { name: 'Account holder’s full name' }),
      'Maria dela Cruz',
    );
    await userEvent.click(canvas.getByRole('button', { name: /^Request payout/ }));
    await expect(await canvas.findByText('Payout requested.')).toBeVisible();
    await expect(args.onSubmit).toHaveBeenCalledWith({
      number: '09171234567',
      customer_name: 'Maria dela Cruz',
    });
  },
};

/** The merchant's server refused: its message under the form, the values kept. */
export const GrabPayRefused: Story = {
  args: {
    onSubmit: fn(async () => {
      throw new Error('GrabPay payouts are limited to ₱50,000.00 a day.');
    }),
    defaultValues: { number: '09171234567', customer_name: 'Maria dela Cruz' },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: /^Request payout/ }));
    await expect(await canvas.findByText('GrabPay payouts are limited to ₱50,000.00 a day.')).toBeVisible();
    await expect(canvas.getByRole('textbox', { name: 'GrabPay account number' })).toHaveValue('09171234567');
  },
};

/** While `onSubmit` runs: busy, and a second press does nothing. */
export const GrabPayBusy: Story = {
  args: {
    onSubmit: fn(() => new Promise<void>(() => {})),
    defaultValues: { number: '09171234567', customer_name: 'Maria dela Cruz' },
  },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: /^Request payout/ }));
    const busy = await canvas.findByRole('button', { name: 'Processing…' });
    await userEvent.click(busy);
    await expect(args.onSubmit).toHaveBeenCalledOnce();
  },
};

export const AdvCash: Story = {
  render: (args) => <AdvCashPayoutForm amount={5_000} currency="USD" onSubmit={args.onSubmit} />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('heading', { name: 'ADVCash payout' })).toBeVisible();
    await expect(canvas.getByRole('textbox', { name: 'ADVCash wallet e-mail' })).toHaveAccessibleDescription(
      'The e-mail your wallet is registered with',
    );
    await expect(canvas.getByRole('button', { name: 'Request payout $50.00' })).toBeVisible();
  },
};

export const AdvCashInvalidEmail: Story = {
  render: (args) => <AdvCashPayoutForm amount={5_000} currency="USD" onSubmit={args.onSubmit} />,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const email = canvas.getByRole('textbox', { name: 'ADVCash wallet e-mail' });
    await userEvent.click(canvas.getByRole('button', { name: /^Request payout/ }));
    await expectFieldError(email, 'This field is required');
    await userEvent.type(email, 'wallet@@advcash');
    await userEvent.tab();
    await expectFieldError(email, 'Enter a valid e-mail address, like name@example.com');
    await expect(args.onSubmit).not.toHaveBeenCalled();
  },
};

export const AdvCashSubmitted: Story = {
  args: { onSubmit: fn(async () => undefined) },
  render: (args) => <AdvCashPayoutForm amount={5_000} currency="USD" onSubmit={args.onSubmit} />,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.type(
      canvas.getByRole('textbox', { name: 'ADVCash wallet e-mail' }),
      'olena@wallet.example',
    );
    await userEvent.click(canvas.getByRole('button', { name: /^Request payout/ }));
    await waitFor(() => expect(args.onSubmit).toHaveBeenCalledWith({ number: 'olena@wallet.example' }));
    await expect(await canvas.findByText('Payout requested.')).toBeVisible();
  },
};
