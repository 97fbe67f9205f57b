import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, userEvent, within } from 'storybook/test';
import type { MethodId } from '../src/core/methods/index.ts';
import { CheckoutProvider, MethodPicker, type MethodPickerProps } from '../src/react/index.ts';

const methods: MethodPickerProps['methods'] = [
  {
    method: 'grabpay',
    name: 'GrabPay',
    options: [{ currency: 'PHP', amount: 150_000, required: ['email'], recommended: [] }],
  },
  {
    method: 'jeton',
    name: 'Jeton Voucher',
    options: [{ currency: 'EUR', amount: 2_500, required: [], recommended: [] }],
  },
];

function Picker(props: Omit<MethodPickerProps, 'value' | 'onChange'>) {
  const [value, setValue] = useState<MethodId | undefined>(undefined);
  return (
    <CheckoutProvider apiBaseUrl="/">
      <MethodPicker {...props} value={value} onChange={setValue} />
    </CheckoutProvider>
  );
}

const meta = {
  title: 'Checkout/MethodPicker',
  component: Picker,
  args: { methods },
} satisfies Meta<typeof Picker>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {};

export const KeyboardChoice: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const first = canvas.getByRole('radio', { name: /GrabPay/ });
    await userEvent.click(first);
    await expect(first).toBeChecked();
    await userEvent.keyboard('{ArrowDown}');
    await expect(canvas.getByRole('radio', { name: /Jeton Voucher/ })).toBeChecked();
  },
};

export const WithUnavailable: Story = {
  args: {
    showUnavailable: true,
    unavailable: [
      { method: 'payco', reason: { code: 'currency_not_supported', message: 'Payco accepts KRW only' } },
    ],
  },
};
