import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { RedirectNotice } from '../../src/react/index.ts';

/**
 * "Continue to …": the step between Pay and the provider's page. The buttons only call back here; the
 * navigation itself is `<Checkout>`'s (see Checkout/Flow for the held redirect).
 */
const meta = {
  title: 'Components/RedirectNotice',
  component: RedirectNotice,
  args: {
    method: 'GrabPay',
    state: 'redirecting',
    onContinue: fn(),
    onPickAnother: fn(),
    headingId: 'redirect-heading',
  },
  argTypes: { state: { control: 'inline-radio', options: ['redirecting', 'paused', 'failed'] } },
} satisfies Meta<typeof RedirectNotice>;
export default meta;
type Story = StoryObj<typeof meta>;

/** On the way: busy, a spinner, and the manual button in case the browser did not follow. */
export const Redirecting: Story = {
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
};

/** Held (`beforeRedirect` returned false, or the page was reloaded): the shopper continues by hand. */
export const Paused: Story = {
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
};

/** The redirect was refused (bad URL): no "continue", only another method. */
export const Failed: Story = {
  args: { state: 'failed', method: 'ADVCash' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText('We could not open ADVCash. Please pick another method.')).toBeVisible();
    await expect(canvas.queryByRole('button', { name: 'Continue to ADVCash' })).toBeNull();
    await expect(canvas.getByRole('button', { name: 'Pick another method' })).toBeVisible();
  },
};
