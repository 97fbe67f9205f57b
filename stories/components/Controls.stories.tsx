import type { Meta } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, fn, userEvent, within } from 'storybook/test';
import type { MethodId } from '../../src/core/methods/index.ts';
import { MethodPicker, PayButton, TextField, type MethodPickerProps } from '../../src/react/index.ts';
import { componentStories } from '../support/stories.tsx';

/** The small pieces the forms are made of: the method picker, the Pay button, the text field. */
const meta = { title: 'Components/Controls' } satisfies Meta;
export default meta;

// ── MethodPicker ───────────────────────────────────────────────────────────────────────────────────

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
  return <MethodPicker {...props} value={value} onChange={setValue} />;
}

const methodPicker = componentStories(Picker, { args: { methods } });

export const MethodPickerDefault = methodPicker();

export const MethodPickerKeyboardChoice = methodPicker({
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const first = canvas.getByRole('radio', { name: /GrabPay/ });
    await userEvent.click(first);
    await expect(first).toBeChecked();
    await userEvent.keyboard('{ArrowDown}');
    await expect(canvas.getByRole('radio', { name: /Jeton Voucher/ })).toBeChecked();
  },
});

export const MethodPickerWithUnavailable = methodPicker({
  args: {
    showUnavailable: true,
    unavailable: [
      { method: 'payco', reason: { code: 'currency_not_supported', message: 'Payco accepts KRW only' } },
    ],
  },
});

// ── PayButton ──────────────────────────────────────────────────────────────────────────────────────

const payButton = componentStories(PayButton, {
  args: { amount: 150_000, currency: 'PHP', type: 'button', onClick: fn() },
});

export const PayButtonWithAmount = payButton({
  play: async ({ canvasElement, args }) => {
    const button = within(canvasElement).getByRole('button', { name: 'Pay ₱1,500.00' });
    await userEvent.click(button);
    await expect(args.onClick).toHaveBeenCalledOnce();
  },
});

export const PayButtonWholeWon = payButton({
  args: { amount: 35_000, currency: 'KRW' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('button', { name: 'Pay ₩35,000' })).toBeVisible();
  },
});

/** Busy: still focusable (`aria-disabled`, not `disabled`), says so, and ignores presses. */
export const PayButtonBusy = payButton({
  args: { busy: true },
  play: async ({ canvasElement, args }) => {
    const button = within(canvasElement).getByRole('button', { name: 'Processing…' });
    await expect(button).toHaveAttribute('aria-disabled', 'true');
    await expect(button).toBeEnabled();
    await userEvent.click(button);
    await expect(args.onClick).not.toHaveBeenCalled();
  },
});

export const PayButtonCustomLabel = payButton({
  args: { label: 'Request payout', amount: undefined, currency: undefined },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('button', { name: 'Request payout' })).toBeVisible();
  },
});

// ── TextField ──────────────────────────────────────────────────────────────────────────────────────

/** A labelled input with hint and error, tied together with `aria-describedby` / `aria-invalid`. */
const textField = componentStories(TextField, {
  args: { id: 'field-email', label: 'E-mail', type: 'email', registration: {}, defaultValue: '' },
  argTypes: { registration: { control: false } },
});

export const TextFieldPlain = textField();

export const TextFieldWithHint = textField({
  args: { hint: 'For your receipt', optional: true },
  play: async ({ canvasElement }) => {
    const input = within(canvasElement).getByRole('textbox', { name: /^E-mail\s*\(optional\)$/ });
    await expect(input).toHaveAccessibleDescription('For your receipt');
  },
});

export const TextFieldRequired = textField({
  args: { required: true, hint: 'GrabPay needs it for payments in PHP' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('textbox', { name: 'E-mail' })).toBeRequired();
  },
});

/** An error is given as a message key and translated; it comes first in the description. */
export const TextFieldWithError = textField({
  args: { required: true, hint: 'For your receipt', error: 'email.invalid', defaultValue: 'ana@' },
  play: async ({ canvasElement }) => {
    const input = within(canvasElement).getByRole('textbox', { name: 'E-mail' });
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(input).toHaveAccessibleDescription(
      'Enter a valid e-mail address, like name@example.com For your receipt',
    );
  },
});
