import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { PayButton } from '../../src/react/index.ts';

const meta = {
  title: 'Components/PayButton',
  component: PayButton,
  args: { amount: 150_000, currency: 'PHP', type: 'button', onClick: fn() },
} satisfies Meta<typeof PayButton>;
export default meta;
type Story = StoryObj<typeof meta>;

export const WithAmount: Story = {
  play: async ({ canvasElement, args }) => {
    const button = within(canvasElement).getByRole('button', { name: 'Pay ₱1,500.00' });
    await userEvent.click(button);
    await expect(args.onClick).toHaveBeenCalledOnce();
  },
};

export const WholeWon: Story = {
  args: { amount: 35_000, currency: 'KRW' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('button', { name: 'Pay ₩35,000' })).toBeVisible();
  },
};

/** Busy: still focusable (`aria-disabled`, not `disabled`), says so, and ignores presses. */
export const Busy: Story = {
  args: { busy: true },
  play: async ({ canvasElement, args }) => {
    const button = within(canvasElement).getByRole('button', { name: 'Processing…' });
    await expect(button).toHaveAttribute('aria-disabled', 'true');
    await expect(button).toBeEnabled();
    await userEvent.click(button);
    await expect(args.onClick).not.toHaveBeenCalled();
  },
};

export const CustomLabel: Story = {
  args: { label: 'Request payout', amount: undefined, currency: undefined },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('button', { name: 'Request payout' })).toBeVisible();
  },
};
