import type { Meta } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import type { PaymentView } from '../../src/core/api.ts';
import { en } from '../../src/react/i18n/en.ts';
import {
  ClarificationForm,
  RedirectNotice,
  ResultView,
  resultMessageKey,
  WaitingView,
} from '../../src/react/index.ts';
import { DECLINE_CODES, paymentOf, RESULT, type DeclineCode } from '../support/fixtures.ts';
import { expectFieldError, expectNoFieldError } from '../support/play.ts';
import { componentStories } from '../support/stories.tsx';

/**
 * The views of the checkout's steps on their own, in every state: redirect notice, waiting, the
 * clarification form, and the result (success, each ecommpay decline code the widget explains, an
 * unknown code, and the other final states). `<Checkout>` puts them together (see Checkout/Flow).
 */
const meta = { title: 'Components/Step views' } satisfies Meta;
export default meta;

// ── RedirectNotice ─────────────────────────────────────────────────────────────────────────────────

/**
 * "Continue to …": the step between Pay and the provider's page. The buttons only call back here; the
 * navigation itself is `<Checkout>`'s (see Checkout/Flow for the held redirect).
 */
const redirectNotice = componentStories(RedirectNotice, {
  args: {
    method: 'GrabPay',
    state: 'redirecting',
    onContinue: fn(),
    onPickAnother: fn(),
    headingId: 'redirect-heading',
  },
  argTypes: { state: { control: 'inline-radio', options: ['redirecting', 'paused', 'failed'] } },
});

/** On the way: busy, a spinner, and the manual button in case the browser did not follow. */
export const RedirectNoticeRedirecting = redirectNotice({
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('heading', { name: 'Continue to GrabPay' })).toBeVisible();
    await expect(canvasElement.querySelector('section')).toHaveAttribute('aria-busy', 'true');
    await expect(canvas.getByText('Taking you to GrabPay to confirm the payment…')).toBeVisible();
    // No way back while the browser is leaving.
    await expect(canvas.queryByRole('button', { name: 'Pick another method' })).toBeNull();
    await userEvent.click(canvas.getByRole('button', { name: 'Continue to GrabPay' }));
    await expect(args.onContinue).toHaveBeenCalledOnce();
  },
});

/** Held (`beforeRedirect` returned false, or the page was reloaded): the shopper continues by hand. */
export const RedirectNoticePaused = redirectNotice({
  args: { state: 'paused', method: 'Payco' },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvasElement.querySelector('section')).toHaveAttribute('aria-busy', 'false');
    await expect(canvas.getByText('Press the button to continue to Payco.')).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Continue to Payco' }));
    await expect(args.onContinue).toHaveBeenCalledOnce();
    await userEvent.click(canvas.getByRole('button', { name: 'Pick another method' }));
    await expect(args.onPickAnother).toHaveBeenCalledOnce();
  },
});

/** The redirect was refused (bad URL): no "continue", only another method. */
export const RedirectNoticeFailed = redirectNotice({
  args: { state: 'failed', method: 'ADVCash' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText('We could not open ADVCash. Please pick another method.')).toBeVisible();
    await expect(canvas.queryByRole('button', { name: 'Continue to ADVCash' })).toBeNull();
    await expect(canvas.getByRole('button', { name: 'Pick another method' })).toBeVisible();
  },
});

// ── WaitingView ────────────────────────────────────────────────────────────────────────────────────

/** Waiting for the provider's result: a progress bar bounded by the expected time, then "taking longer". */
const waitingView = componentStories(WaitingView, {
  args: { expectedMs: 60_000, onCheckAgain: fn(), headingId: 'waiting-heading' },
});

export const WaitingViewJustStarted = waitingView({
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('heading', { name: 'Confirming your payment' })).toBeVisible();
    await expect(canvas.getByRole('progressbar', { name: 'Waiting for confirmation' })).toHaveAttribute(
      'value',
      '0',
    );
    await expect(canvasElement.querySelector('section')).toHaveAttribute('aria-busy', 'true');
    await expect(canvas.queryByRole('button', { name: 'Check again' })).toBeNull();
  },
});

/** Half of the expected time has gone (the view started 30 s ago); the bar shows it from the first tick. */
export const WaitingViewHalfWay = waitingView({
  render: (args) => <WaitingView {...args} startedAt={Date.now() - 30_000} />,
});

/** Past the expected time: the shopper is reassured and can ask for a status check. */
export const WaitingViewTakingLonger = waitingView({
  render: (args) => <WaitingView {...args} startedAt={Date.now() - 90_000} />,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    // The view's clock ticks once a second.
    await canvas.findByText('This is taking longer than usual. You will not be charged twice.');
    await expect(canvas.getByRole('progressbar')).toHaveAttribute('value', '100');
    await expect(canvasElement.querySelector('section')).toHaveAttribute('aria-busy', 'false');
    await userEvent.click(canvas.getByRole('button', { name: 'Check again' }));
    await expect(args.onCheckAgain).toHaveBeenCalledOnce();
  },
});

/** Polling hit its time limit: the check is offered at once. */
export const WaitingViewPollingStopped = waitingView({
  args: { stopped: true },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('button', { name: 'Check again' })).toBeVisible();
  },
});

export const WaitingViewCustomTexts = waitingView({
  args: { heading: 'Waiting for Jeton', message: 'Your voucher is being checked.' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('heading', { name: 'Waiting for Jeton' })).toBeVisible();
    await expect(canvas.getByText('Your voucher is being checked.')).toBeVisible();
  },
});

// ── ClarificationForm ──────────────────────────────────────────────────────────────────────────────

/** The details a clarification asks for (GrabPay MYR without names), each required and validated. */
const clarificationForm = componentStories(ClarificationForm, {
  args: { fields: { customer: ['first_name', 'last_name'] }, onSubmit: fn() },
});

export const ClarificationFormNames = clarificationForm({
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getAllByRole('textbox')).toHaveLength(2);
    for (const input of canvas.getAllByRole('textbox')) await expect(input).toBeRequired();
  },
});

export const ClarificationFormNamesAndEmail = clarificationForm({
  args: {
    fields: { customer: ['email', 'first_name', 'last_name'] },
    defaultValues: { email: 'nur@example.my' },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('textbox', { name: /E-mail/ })).toHaveValue('nur@example.my');
  },
});

export const ClarificationFormRequiredFields = clarificationForm({
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Continue' }));
    await expectFieldError(canvas.getByRole('textbox', { name: /First name/ }), 'This field is required');
    await expectFieldError(canvas.getByRole('textbox', { name: /Last name/ }), 'This field is required');
    await expect(args.onSubmit).not.toHaveBeenCalled();
  },
});

export const ClarificationFormInvalidValues = clarificationForm({
  args: { fields: { customer: ['email', 'first_name', 'last_name'] } },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const email = canvas.getByRole('textbox', { name: /E-mail/ });
    const first = canvas.getByRole('textbox', { name: /First name/ });
    const last = canvas.getByRole('textbox', { name: /Last name/ });
    await userEvent.type(email, 'nur@example');
    await userEvent.type(first, 'Nur_1');
    await userEvent.type(last, 'A'.repeat(101));
    await userEvent.click(canvas.getByRole('button', { name: 'Continue' }));
    await expectFieldError(email, 'Enter a valid e-mail address, like name@example.com');
    await expectFieldError(first, 'Use letters, spaces, apostrophes and hyphens only');
    await expectFieldError(last, 'This name is too long');
    await expect(args.onSubmit).not.toHaveBeenCalled();
  },
});

export const ClarificationFormSubmitted = clarificationForm({
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const first = canvas.getByRole('textbox', { name: /First name/ });
    await userEvent.type(first, 'Nur Aisyah');
    await userEvent.type(canvas.getByRole('textbox', { name: /Last name/ }), 'binti Ahmad');
    await userEvent.click(canvas.getByRole('button', { name: 'Continue' }));
    await expect(args.onSubmit).toHaveBeenCalledWith({
      customer: { first_name: 'Nur Aisyah', last_name: 'binti Ahmad' },
    });
    await expectNoFieldError(first);
  },
});

// ── ResultView ─────────────────────────────────────────────────────────────────────────────────────

/**
 * The result step: success, or the reason in the shopper's words — one story per ecommpay decline code
 * the widget explains, an unknown code (the generic text), and the other final states.
 */
const resultView = componentStories(ResultView, {
  args: {
    payment: paymentOf('grabpayPhp', { id: 'pay_8Rk2Zq', status: 'success', code: '0', next_action: RESULT }),
    onTryAgain: fn(),
    onPickAnother: fn(),
    headingId: 'result-heading',
  },
});

export const ResultSuccess = resultView({
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('heading', { name: 'Payment successful' })).toBeVisible();
    await expect(canvas.getByText('You paid ₱1,500.00 with GrabPay.')).toBeVisible();
    await expect(canvas.getByText('Reference: pay_8Rk2Zq')).toBeVisible();
    // The heading takes the focus (for screen readers) without a focus ring: it is not a control.
    const heading = canvas.getByRole('heading', { name: 'Payment successful' });
    heading.focus();
    await expect(heading).toHaveFocus();
    await expect(getComputedStyle(heading).outlineStyle).toBe('none');
    // Nothing to retry after a success.
    await expect(canvas.queryByRole('button')).toBeNull();
  },
});

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
function declineStory(code: DeclineCode, text: string) {
  return resultView({
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
  });
}

/** 20101: over an amount or frequency limit. */
export const ResultDecline20101 = declineStory('20101', en['result.code.20101']);
/** 20000: a general decline. */
export const ResultDecline20000 = declineStory('20000', en['result.code.20000']);
/** 20602: the provider timed out. */
export const ResultDecline20602 = declineStory('20602', en['result.code.20602']);
/** 100: a plain decline. */
export const ResultDecline100 = declineStory('100', en['result.code.100']);
/** 3028: the merchant's project cannot take payments right now. */
export const ResultDecline3028 = declineStory('3028', en['result.code.3028']);
/** A code the widget has no text for: the generic decline. */
export const ResultDeclineUnknownCode = declineStory('99999', en['result.decline.generic']);

export const ResultExpired = resultView({
  args: { payment: paymentOf('payco', { id: 'pay_expired', status: 'expired', next_action: RESULT }) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('heading', { name: 'Payment not completed' })).toBeVisible();
    await expect(canvas.getByText('The time to pay ran out. No money was taken.')).toBeVisible();
  },
});

export const ResultCancelled = resultView({
  args: { payment: paymentOf('advcash', { id: 'pay_cancelled', status: 'cancelled', next_action: RESULT }) },
  play: async ({ canvasElement }) => {
    await expect(
      within(canvasElement).getByText('The payment was cancelled. No money was taken.'),
    ).toBeVisible();
  },
});

export const ResultProcessingError = resultView({
  args: { payment: paymentOf('jeton', { id: 'pay_error', status: 'error', next_action: RESULT }) },
  play: async ({ canvasElement }) => {
    await expect(
      within(canvasElement).getByText(
        'Something went wrong while processing the payment. No money was taken.',
      ),
    ).toBeVisible();
  },
});

export const ResultRefunded = resultView({
  args: {
    payment: paymentOf('payco', { id: 'pay_refunded', status: 'refunded', code: '0', next_action: RESULT }),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText('This payment was refunded.')).toBeVisible();
  },
});

/** Without callbacks (e.g. a receipt page): no buttons. */
export const ResultDeclineWithoutActions = resultView({
  args: { payment: declined('20000'), onTryAgain: undefined, onPickAnother: undefined },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).queryByRole('button')).toBeNull();
  },
});
