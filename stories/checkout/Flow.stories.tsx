import type { Meta, StoryObj } from '@storybook/react-vite';
import { delay, HttpResponse } from 'msw';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { checkoutMeta, scenario } from '../support/checkout.tsx';
import { paymentOf, redirectAction, RESULT, sessionFor, WAIT } from '../support/fixtures.ts';
import { expectFieldError } from '../support/play.ts';

/**
 * The full `<Checkout>` from Pay to the next step, on the MSW-mocked backend: redirecting (held by
 * `beforeRedirect` returning `false`, so the page never leaves), waiting, clarification, success, and
 * submit failures. Each play function drives the flow like a shopper and checks what the backend got.
 */
const meta = {
  title: 'Checkout/Flow',
  ...checkoutMeta,
} satisfies Meta<typeof checkoutMeta.component>;
export default meta;
type Story = StoryObj<typeof meta>;

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
    await canvas.findByText(
      'This is taking longer than usual. You will not be charged twice.',
      {},
      { timeout: 3_000 },
    );
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
    await userEvent.click(await canvas.findByRole('button', { name: /^Pay MYR\s45\.00$/ }));
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
    await delay(600);
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
