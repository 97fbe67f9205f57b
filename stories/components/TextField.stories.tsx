import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { TextField } from '../../src/react/index.ts';

/** A labelled input with hint and error, tied together with `aria-describedby` / `aria-invalid`. */
const meta = {
  title: 'Components/TextField',
  component: TextField,
  args: { id: 'field-email', label: 'E-mail', type: 'email', registration: {}, defaultValue: '' },
  argTypes: { registration: { control: false } },
} satisfies Meta<typeof TextField>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Plain: Story = {};

export const WithHint: Story = {
  args: { hint: 'For your receipt', optional: true },
  play: async ({ canvasElement }) => {
    const input = within(canvasElement).getByRole('textbox', { name: /^E-mail\s*\(optional\)$/ });
    await expect(input).toHaveAccessibleDescription('For your receipt');
  },
};

export const Required: Story = {
  args: { required: true, hint: 'GrabPay needs it for payments in PHP' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('textbox', { name: 'E-mail' })).toBeRequired();
  },
};

/** An error is given as a message key and translated; it comes first in the description. */
export const WithError: Story = {
  args: { required: true, hint: 'For your receipt', error: 'email.invalid', defaultValue: 'ana@' },
  play: async ({ canvasElement }) => {
    const input = within(canvasElement).getByRole('textbox', { name: 'E-mail' });
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(input).toHaveAccessibleDescription(
      'Enter a valid e-mail address, like name@example.com For your receipt',
    );
  },
};
