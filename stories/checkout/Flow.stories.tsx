import type { Meta, StoryObj } from '@storybook/react-vite';
import { delay, HttpResponse } from 'msw';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { checkoutMeta, scenario } from '../support/checkout.tsx';
import { paymentOf, redirectAction, RESULT, session, sessionFor, WAIT } from '../support/fixtures.ts';
import { expectFieldError } from '../support/play.ts';

/**
 * The full `<Checkout>` step by step, on the MSW-mocked backend: loading and the session's errors;
 * redirecting (held by `beforeRedirect` returning `false`, so the page never leaves), waiting,
 * clarification, success and submit failures, each play function driving the flow like a shopper and
 * checking what the backend got; and the result step of a payment resumed from this tab's
 * sessionStorage (as after the return trip or a reload).
 */
const meta = {
  title: 'Checkout/Flow',
  ...checkoutMeta,
} satisfies Meta<typeof checkoutMeta.component>;
export default meta;
type Story = StoryObj<typeof meta>;

// ── loading, session errors ────────────────────────────────────────────────────────────────────────
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

const unavailable = scenario({
  session: sessionFor('ses_unavailable_backend', 'grabpayPhp'),
  sessionError: { status: 400, code: 'bad_request', message: 'Malformed session id' },
});

/** Any other failure to load: a generic message and a "Try again" that asks again. */
export const SessionLoadFailed: Story = {
  ...unavailable.story,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByText('Something went wrong. Please try again.');
    const asked = unavailable.backend.seen.sessions;
    await userEvent.click(canvas.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(unavailable.backend.seen.sessions).toBe(asked + 1));
    await canvas.findByText('Something went wrong. Please try again.');
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

const PAGE = () => window.location.href;

// ── redirect ───────────────────────────────────────────────────────────────────────────────────────

const grabpayRedirect = paymentOf('grabpayPhp', {
  id: 'pay_flow_redirect',
  session_id: 'ses_flow_redirect',
  status: 'awaiting_redirect',
  next_action: redirectAction('https://grabpay.example/checkout?tokenid=gp_7Hq2'),
});
const redirect = scenario({
  session: sessionFor('ses_flow_redirect', 'grabpayPhp'),
  script: { [grabpayRedirect.id]: [grabpayRedirect] },
});

/**
 * GrabPay answers with a GET redirect; `beforeRedirect` returns `false`, so the widget holds at
 * "Continue to GrabPay" (the shopper's button) and the page stays where it is.
 */
export const RedirectHeldByBeforeRedirect: Story = {
  ...redirect.story,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const before = PAGE();
    await userEvent.click(await canvas.findByRole('button', { name: 'Pay ₱1,500.00' }));
    await canvas.findByRole('heading', { name: 'Continue to GrabPay' });
    await canvas.findByText('Press the button to continue to GrabPay.');
    await expect(args.beforeRedirect).toHaveBeenCalledOnce();
    await expect(args.beforeRedirect).toHaveBeenCalledWith(
      expect.objectContaining({
        payment: expect.objectContaining({ id: grabpayRedirect.id, status: 'awaiting_redirect' }),
        redirect: { url: 'https://grabpay.example/checkout?tokenid=gp_7Hq2', method: 'GET', body: {} },
      }),
    );
    await expect(args.onRedirect).not.toHaveBeenCalled();
    await expect(redirect.backend.seen.creates).toEqual([
      {
        body: { method: 'grabpay', currency: 'PHP', fields: { email: 'ana.santos@example.com' } },
        key: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    ]);
    // The shopper's button asks `beforeRedirect` again; it still says no, and nothing navigates.
    await userEvent.click(canvas.getByRole('button', { name: 'Continue to GrabPay' }));
    await waitFor(() => expect(args.beforeRedirect).toHaveBeenCalledTimes(2));
    await expect(PAGE()).toBe(before);
    await expect(canvas.getByRole('button', { name: 'Pick another method' })).toBeVisible();
  },
};

const paycoRedirect = paymentOf('payco', {
  id: 'pay_flow_payco',
  session_id: 'ses_flow_payco',
  status: 'awaiting_redirect',
  next_action: redirectAction('https://payco.example/auth', 'POST', {
    orderToken: 'pc_19f3',
    amount: 35000,
    sandbox: true,
  }),
});
const payco = scenario({
  session: sessionFor('ses_flow_payco', 'payco'),
  script: { [paycoRedirect.id]: [paycoRedirect] },
});

/** Payco redirects with POST: the form the widget would submit is never built while held. */
export const PaycoPostRedirectHeld: Story = {
  ...payco.story,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByRole('button', { name: 'Pay ₩35,000' }));
    await canvas.findByText('Press the button to continue to Payco.');
    await expect(args.beforeRedirect).toHaveBeenCalledWith(
      expect.objectContaining({
        redirect: {
          url: 'https://payco.example/auth',
          method: 'POST',
          body: { orderToken: 'pc_19f3', amount: 35000, sandbox: true },
        },
      }),
    );
    await expect(document.querySelector('body > form[action="https://payco.example/auth"]')).toBeNull();
  },
};

const refused = paymentOf('grabpayPhp', {
  id: 'pay_flow_refused',
  session_id: 'ses_flow_refused',
  status: 'awaiting_redirect',
  next_action: redirectAction('http://grabpay.example/insecure'),
});
const refusedRedirect = scenario({
  session: sessionFor('ses_flow_refused', 'grabpayPhp'),
  script: { [refused.id]: [refused] },
});

/** A redirect the core refuses (plain http): "could not open", reported to `onError`, no navigation. */
export const RedirectRefused: Story = {
  ...refusedRedirect.story,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByRole('button', { name: 'Pay ₱1,500.00' }));
    await canvas.findByText('We could not open GrabPay. Please pick another method.');
    await waitFor(() => expect(args.onError).toHaveBeenCalledWith(expect.any(Error), { stage: 'redirect' }));
    await expect(canvas.queryByRole('button', { name: 'Continue to GrabPay' })).toBeNull();
    await userEvent.click(canvas.getByRole('button', { name: 'Pick another method' }));
    await canvas.findByRole('heading', { name: 'Choose a payment method' });
  },
};

// ── waiting, success ───────────────────────────────────────────────────────────────────────────────

async function payWithVoucher(canvasElement: HTMLElement) {
  const canvas = within(canvasElement);
  // Pasted, as a shopper copying it from the voucher would.
  await userEvent.click(await canvas.findByRole('textbox', { name: /Voucher number/ }));
  await userEvent.paste('4093176252180000001');
  await userEvent.type(canvas.getByRole('textbox', { name: /Expiry date/ }), '082029');
  await userEvent.type(canvas.getByLabelText(/Security code/), '4817');
  await userEvent.click(canvas.getByRole('button', { name: 'Pay €25.00' }));
  return canvas;
}

const JETON_FIELDS = { number: '4093176252180000001', expiration: '08/2029', security_code: '4817' };

const jetonProcessing = paymentOf('jeton', {
  id: 'pay_flow_wait',
  session_id: 'ses_flow_wait',
  next_action: WAIT,
});
const waiting = scenario({
  session: sessionFor('ses_flow_wait', 'jeton'),
  script: { [jetonProcessing.id]: [jetonProcessing] },
});

/** Jeton has no redirect: after Pay the widget waits for the callback's result, polling the backend. */
export const Waiting: Story = {
  ...waiting.story,
  play: async ({ canvasElement, args }) => {
    const canvas = await payWithVoucher(canvasElement);
    const heading = await canvas.findByRole('heading', { name: 'Confirming your payment' });
    await waitFor(() => expect(heading).toHaveFocus());
    await expect(canvas.getByRole('progressbar', { name: 'Waiting for confirmation' })).toBeVisible();
    await expect(waiting.backend.seen.creates[0]?.body).toEqual({
      method: 'jeton',
      currency: 'EUR',
      fields: JETON_FIELDS,
    });
    await waitFor(() => expect(waiting.backend.seen.gets.length).toBeGreaterThan(0));
    await expect(args.onComplete).not.toHaveBeenCalled();
    await expect(canvas.queryByRole('button', { name: 'Check again' })).toBeNull();
  },
};

const slowPayment = paymentOf('jeton', {
  id: 'pay_flow_slow',
  session_id: 'ses_flow_slow',
  next_action: WAIT,
});
const slow = scenario({
  session: sessionFor('ses_flow_slow', 'jeton'),
  script: { [slowPayment.id]: [slowPayment] },
});

/** Past `expectedWaitMs` the shopper is told it takes longer, and can ask for a check. */
export const WaitingTakesLonger: Story = {
  ...slow.story,
  args: { ...slow.story.args, expectedWaitMs: 1_000 },
  play: async ({ canvasElement }) => {
    const canvas = await payWithVoucher(canvasElement);
    // The view's clock ticks once a second.
    await canvas.findByText('This is taking longer than usual. You will not be charged twice.');
    const asked = slow.backend.seen.gets.length;
    await userEvent.click(canvas.getByRole('button', { name: 'Check again' }));
    await waitFor(() => expect(slow.backend.seen.gets.length).toBeGreaterThan(asked));
  },
};

const jetonSuccess = paymentOf('jeton', {
  id: 'pay_flow_success',
  session_id: 'ses_flow_success',
  status: 'success',
  code: '0',
  message: 'Success',
  next_action: RESULT,
});
const success = scenario({
  session: sessionFor('ses_flow_success', 'jeton'),
  script: {
    [jetonSuccess.id]: [
      paymentOf('jeton', {
        id: jetonSuccess.id,
        session_id: 'ses_flow_success',
        next_action: { type: 'wait', retry_after_ms: 100 },
      }),
      jetonSuccess,
    ],
  },
});

/** Waiting, then the callback's success arrives: the result, announced, and `onComplete` once. */
export const PaidWithVoucher: Story = {
  ...success.story,
  play: async ({ canvasElement, args }) => {
    const canvas = await payWithVoucher(canvasElement);
    await canvas.findByRole('heading', { name: 'Payment successful' }, { timeout: 4_000 });
    await expect(canvas.getByText('You paid €25.00 with Jeton Voucher.')).toBeVisible();
    await expect(canvas.getByText('Reference: pay_flow_success')).toBeVisible();
    await waitFor(() => expect(args.onComplete).toHaveBeenCalledOnce());
    await expect(args.onComplete).toHaveBeenCalledWith(
      expect.objectContaining({ id: jetonSuccess.id, status: 'success' }),
    );
    await waitFor(() =>
      expect(canvasElement.querySelector('[data-ecp-live]')).toHaveTextContent(
        'Payment successful. You paid €25.00 with Jeton Voucher.',
      ),
    );
    await expect(canvas.queryByRole('button', { name: 'Try again' })).toBeNull();
  },
};

// ── clarification ──────────────────────────────────────────────────────────────────────────────────

const clarifying = paymentOf('grabpayMyr', {
  id: 'pay_flow_clarify',
  session_id: 'ses_flow_clarify',
  status: 'awaiting_clarification',
  next_action: { type: 'clarification', fields: { customer: ['first_name', 'last_name'] } },
});
const clarifiedSuccess = paymentOf('grabpayMyr', {
  id: clarifying.id,
  session_id: 'ses_flow_clarify',
  status: 'success',
  code: '0',
  next_action: RESULT,
});
const clarification = scenario({
  session: sessionFor('ses_flow_clarify', 'grabpayMyr', { customer: {} }),
  script: { [clarifying.id]: [clarifying] },
  clarify: () => ({
    answer: { ...clarifying, status: 'processing', next_action: WAIT },
    then: [clarifiedSuccess],
  }),
});

/**
 * GrabPay MYR without names: the Gate asks for them (clarification). The form validates, sends them,
 * and the payment goes on to success.
 */
export const Clarification: Story = {
  ...clarification.story,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByRole('button', { name: /^Pay RM\s45\.00$/ }));
    await canvas.findByRole('heading', { name: 'A few more details' });
    await expect(canvas.getByText('GrabPay needs these details to finish the payment.')).toBeVisible();
    const first = canvas.getByRole('textbox', { name: /First name/ });
    const last = canvas.getByRole('textbox', { name: /Last name/ });
    await userEvent.click(canvas.getByRole('button', { name: 'Continue' }));
    await expectFieldError(first, 'This field is required');
    await expectFieldError(last, 'This field is required');
    await expect(clarification.backend.seen.clarifications).toHaveLength(0);
    await userEvent.type(first, 'Nur Aisyah');
    await userEvent.type(last, 'binti Ahmad');
    await userEvent.click(canvas.getByRole('button', { name: 'Continue' }));
    await canvas.findByRole('heading', { name: 'Payment successful' }, { timeout: 4_000 });
    await expect(clarification.backend.seen.clarifications).toEqual([
      { customer: { first_name: 'Nur Aisyah', last_name: 'binti Ahmad' } },
    ]);
    await expect(args.onComplete).toHaveBeenCalledOnce();
  },
};

/** The clarification step as the shopper lands on it (resumed after a reload), before typing. */
export const ClarificationStep: Story = {
  ...scenario({
    session: sessionFor('ses_flow_clarify_view', 'grabpayMyr', { customer: {} }),
    resume: { ...clarifying, session_id: 'ses_flow_clarify_view' },
  }).story,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole('heading', { name: 'A few more details' });
    await expect(canvas.getAllByRole('textbox')).toHaveLength(2);
  },
};

// ── failures and double submits ────────────────────────────────────────────────────────────────────

const serverError = scenario({
  session: sessionFor('ses_flow_500', 'grabpayPhp'),
  create: () =>
    HttpResponse.json({ error: { code: 'internal_error', message: 'Gate unavailable' } }, { status: 500 }),
});

/** The backend fails to create the payment: an alert over the form, which stays filled in. */
export const SubmitServerError: Story = {
  ...serverError.story,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByRole('button', { name: 'Pay ₱1,500.00' }));
    await expect(await canvas.findByRole('alert')).toHaveTextContent(
      'Something went wrong. Please try again.',
    );
    await expect(args.onError).toHaveBeenCalledWith(expect.objectContaining({ status: 500 }), {
      stage: 'submit',
    });
    await expect(canvas.getByRole('textbox', { name: /E-mail/ })).toHaveValue('ana.santos@example.com');
  },
};

const offline = scenario({
  session: sessionFor('ses_flow_offline', 'grabpayPhp'),
  create: () => HttpResponse.error(),
});

export const SubmitNetworkError: Story = {
  ...offline.story,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByRole('button', { name: 'Pay ₱1,500.00' }));
    await expect(await canvas.findByRole('alert')).toHaveTextContent(
      'We could not reach the payment service. Check your connection and try again.',
    );
  },
};

const slowCreate = paymentOf('grabpayPhp', {
  id: 'pay_flow_double',
  session_id: 'ses_flow_double',
  next_action: WAIT,
});
const doubleClick = scenario({
  session: sessionFor('ses_flow_double', 'grabpayPhp'),
  script: { [slowCreate.id]: [slowCreate] },
  create: async () => {
    await delay(300);
    return slowCreate;
  },
});

/** A double click and a third click while busy: one payment only; the button says it is working. */
export const DoubleClickPaysOnce: Story = {
  ...doubleClick.story,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const pay = await canvas.findByRole('button', { name: 'Pay ₱1,500.00' });
    await userEvent.dblClick(pay);
    await waitFor(() => expect(pay).toHaveAttribute('aria-disabled', 'true'));
    await expect(pay).toHaveTextContent('Processing…');
    await userEvent.click(pay);
    await canvas.findByRole('heading', { name: 'Confirming your payment' });
    await expect(doubleClick.backend.seen.creates).toHaveLength(1);
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
