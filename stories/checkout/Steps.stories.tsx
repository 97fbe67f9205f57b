import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { checkoutMeta, scenario } from '../support/checkout.tsx';
import { paymentOf, RESULT, session, sessionFor } from '../support/fixtures.ts';

/**
 * The `<Checkout>` states around the forms: loading, the session's errors, and the result step (a
 * payment resumed from this tab's sessionStorage, as after the return trip or a reload).
 */
const meta = {
  title: 'Checkout/Steps',
  ...checkoutMeta,
} satisfies Meta<typeof checkoutMeta.component>;
export default meta;
type Story = StoryObj<typeof meta>;

/** The session request has not been answered yet (it never is, here). */
export const Loading: Story = {
  ...scenario({ session: sessionFor('ses_loading', 'grabpayPhp'), sessionPending: true }).story,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const text = await canvas.findByText('Loading checkout…');
    await expect(text.closest('section')).toHaveAttribute('aria-busy', 'true');
    await expect(canvas.queryByRole('button')).toBeNull();
    await expect(args.onReady).not.toHaveBeenCalled();
  },
};

export const SessionNotFound: Story = {
  ...scenario({
    session: sessionFor('ses_missing', 'grabpayPhp'),
    sessionError: { status: 404, code: 'not_found', message: 'Session not found' },
  }).story,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole('heading', { name: 'Checkout unavailable' });
    await expect(canvas.getByText('This checkout link is not valid.')).toBeVisible();
    // Nothing to retry: the link itself is wrong.
    await expect(canvas.queryByRole('button', { name: 'Try again' })).toBeNull();
    await waitFor(() =>
      expect(args.onError).toHaveBeenCalledWith(expect.objectContaining({ status: 404 }), {
        stage: 'session',
      }),
    );
  },
};

export const SessionExpired: Story = {
  ...scenario({ session: sessionFor('ses_expired', 'grabpayPhp', { status: 'expired' }) }).story,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByText('This checkout has expired. Please return to the shop and start again.');
  },
};

export const AlreadyPaid: Story = {
  ...scenario({ session: sessionFor('ses_completed', 'grabpayPhp', { status: 'completed' }) }).story,
  play: async ({ canvasElement }) => {
    await within(canvasElement).findByText('This order has already been paid.');
  },
};

const noMethods = scenario({
  session: session('ses_no_methods', {
    prices: [{ currency: 'USD', amount: 5 }],
    methods: [],
    unavailable: [
      {
        method: 'jeton',
        reason: {
          code: 'below_minimum',
          message: 'Jeton Voucher USD minimum is 10.00',
          currency: 'USD',
          limit: '10.00',
        },
      },
    ],
  }),
});

export const NoMethodCanTakeIt: Story = {
  ...noMethods.story,
  args: { ...noMethods.story.args, showUnavailable: true },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByText('No payment method can take this order.');
    await expect(canvas.queryByRole('radio')).toBeNull();
  },
};

// ── results of a resumed payment ───────────────────────────────────────────────────────────────────

const paid = paymentOf('grabpayPhp', {
  id: 'pay_steps_success',
  session_id: 'ses_steps_success',
  status: 'success',
  code: '0',
  next_action: RESULT,
});

/** Back from GrabPay: the payment is paid. */
export const Success: Story = {
  ...scenario({ session: sessionFor('ses_steps_success', 'grabpayPhp'), resume: paid }).story,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole('heading', { name: 'Payment successful' });
    await expect(canvas.getByText('You paid ₱1,500.00 with GrabPay.')).toBeVisible();
    await waitFor(() => expect(args.onComplete).toHaveBeenCalledOnce());
  },
};

const declined = paymentOf('grabpayPhp', {
  id: 'pay_steps_decline',
  session_id: 'ses_steps_decline',
  status: 'decline',
  code: '20101',
  message: 'Decline due to amount or frequency limit',
  next_action: RESULT,
});
const decline = scenario({ session: sessionFor('ses_steps_decline', 'grabpayPhp'), resume: declined });

/** Back from GrabPay: declined (20101). "Try again" starts a new attempt on the same method. */
export const DeclinedThenTryAgain: Story = {
  ...decline.story,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole('heading', { name: 'Payment declined' });
    await expect(
      canvas.getByText(
        'The payment exceeds an amount or frequency limit. Try a smaller amount or another method.',
      ),
    ).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Try again' }));
    await canvas.findByRole('button', { name: 'Pay ₱1,500.00' });
    await expect(sessionStorage.getItem('ecp:payment:ses_steps_decline')).toBeNull();
  },
};

const expired = paymentOf('payco', {
  id: 'pay_steps_expired',
  session_id: 'ses_steps_expired',
  status: 'expired',
  next_action: RESULT,
});

export const PaymentExpired: Story = {
  ...scenario({ session: sessionFor('ses_steps_expired', 'payco'), resume: expired }).story,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole('heading', { name: 'Payment not completed' });
    await expect(canvas.getByText('The time to pay ran out. No money was taken.')).toBeVisible();
    await expect(canvas.getByRole('button', { name: 'Pick another method' })).toBeVisible();
  },
};

const awaitingRedirect = paymentOf('advcash', {
  id: 'pay_steps_back',
  session_id: 'ses_steps_back',
  status: 'awaiting_redirect',
  next_action: {
    type: 'redirect',
    redirect: { url: 'https://wallet.advcash.example/sci', method: 'GET', body: {} },
  },
});

/** Reloaded before reaching ADVCash: the widget never redirects by itself again; the button does. */
export const ResumedBeforeRedirect: Story = {
  ...scenario({ session: sessionFor('ses_steps_back', 'advcash'), resume: awaitingRedirect }).story,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole('heading', { name: 'Continue to ADVCash' });
    await expect(canvas.getByText('Press the button to continue to ADVCash.')).toBeVisible();
    await expect(args.beforeRedirect).not.toHaveBeenCalled();
  },
};
