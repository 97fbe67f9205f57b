import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import type { PaymentView } from '../../src/core/api.ts';
import { ResultView, resultMessageKey } from '../../src/react/index.ts';
import { en } from '../../src/react/i18n/en.ts';
import { DECLINE_CODES, paymentOf, RESULT, type DeclineCode } from '../support/fixtures.ts';

/**
 * The result step: success, or the reason in the shopper's words — one story per ecommpay decline code
 * the widget explains, an unknown code (the generic text), and the other final states.
 */
const meta = {
  title: 'Components/ResultView',
  component: ResultView,
  args: {
    payment: paymentOf('grabpayPhp', { id: 'pay_8Rk2Zq', status: 'success', code: '0', next_action: RESULT }),
    onTryAgain: fn(),
    onPickAnother: fn(),
    headingId: 'result-heading',
  },
} satisfies Meta<typeof ResultView>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Success: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('heading', { name: 'Payment successful' })).toBeVisible();
    await expect(canvas.getByText('You paid ₱1,500.00 with GrabPay.')).toBeVisible();
    await expect(canvas.getByText('Reference: pay_8Rk2Zq')).toBeVisible();
    // Nothing to retry after a success.
    await expect(canvas.queryByRole('button')).toBeNull();
  },
};

function declined(code: DeclineCode): PaymentView {
  return paymentOf('grabpayPhp', {
    id: `pay_decline_${code}`,
    status: 'decline',
    code,
    message: DECLINE_CODES[code],
    next_action: RESULT,
  });
}

/** A decline story: the heading, the code's own text, and both ways forward. */
function declineStory(code: DeclineCode, text: string): Story {
  return {
    args: { payment: declined(code) },
    play: async ({ canvasElement, args }) => {
      const canvas = within(canvasElement);
      await expect(canvas.getByRole('heading', { name: 'Payment declined' })).toBeVisible();
      await expect(canvas.getByText(text)).toBeVisible();
      await expect(resultMessageKey(args.payment)).toBe(
        code === '99999' ? 'result.decline.generic' : `result.code.${code}`,
      );
      await userEvent.click(canvas.getByRole('button', { name: 'Try again' }));
      await expect(args.onTryAgain).toHaveBeenCalledOnce();
      await userEvent.click(canvas.getByRole('button', { name: 'Pick another method' }));
      await expect(args.onPickAnother).toHaveBeenCalledOnce();
    },
  };
}

/** 20101: over an amount or frequency limit. */
export const Decline20101 = declineStory('20101', en['result.code.20101']);
/** 20000: a general decline. */
export const Decline20000 = declineStory('20000', en['result.code.20000']);
/** 20602: the provider timed out. */
export const Decline20602 = declineStory('20602', en['result.code.20602']);
/** 100: a plain decline. */
export const Decline100 = declineStory('100', en['result.code.100']);
/** 3028: the merchant's project cannot take payments right now. */
export const Decline3028 = declineStory('3028', en['result.code.3028']);
/** A code the widget has no text for: the generic decline. */
export const DeclineUnknownCode = declineStory('99999', en['result.decline.generic']);

export const Expired: Story = {
  args: { payment: paymentOf('payco', { id: 'pay_expired', status: 'expired', next_action: RESULT }) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('heading', { name: 'Payment not completed' })).toBeVisible();
    await expect(canvas.getByText('The time to pay ran out. No money was taken.')).toBeVisible();
  },
};

export const Cancelled: Story = {
  args: { payment: paymentOf('advcash', { id: 'pay_cancelled', status: 'cancelled', next_action: RESULT }) },
  play: async ({ canvasElement }) => {
    await expect(
      within(canvasElement).getByText('The payment was cancelled. No money was taken.'),
    ).toBeVisible();
  },
};

export const ProcessingError: Story = {
  args: { payment: paymentOf('jeton', { id: 'pay_error', status: 'error', next_action: RESULT }) },
  play: async ({ canvasElement }) => {
    await expect(
      within(canvasElement).getByText(
        'Something went wrong while processing the payment. No money was taken.',
      ),
    ).toBeVisible();
  },
};

export const Refunded: Story = {
  args: {
    payment: paymentOf('payco', { id: 'pay_refunded', status: 'refunded', code: '0', next_action: RESULT }),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText('This payment was refunded.')).toBeVisible();
  },
};

/** Without callbacks (e.g. a receipt page): no buttons. */
export const DeclineWithoutActions: Story = {
  args: { payment: declined('20000'), onTryAgain: undefined, onPickAnother: undefined },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).queryByRole('button')).toBeNull();
  },
};
