import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { WaitingView } from '../../src/react/index.ts';

/** Waiting for the provider's result: a progress bar bounded by the expected time, then "taking longer". */
const meta = {
  title: 'Components/WaitingView',
  component: WaitingView,
  args: { expectedMs: 60_000, onCheckAgain: fn(), headingId: 'waiting-heading' },
} satisfies Meta<typeof WaitingView>;
export default meta;
type Story = StoryObj<typeof meta>;

export const JustStarted: Story = {
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
};

/** Half of the expected time has gone (the view started 30 s ago). */
export const HalfWay: Story = {
  render: (args) => <WaitingView {...args} startedAt={Date.now() - 30_000} />,
  play: async ({ canvasElement }) => {
    const bar = within(canvasElement).getByRole('progressbar');
    // The view counts from `startedAt` from its first clock tick (see the report: the first second shows 0).
    await waitFor(() => expect(Number(bar.getAttribute('value'))).toBeGreaterThanOrEqual(50), {
      timeout: 2_000,
    });
    await expect(Number(bar.getAttribute('value'))).toBeLessThan(60);
  },
};

/** Past the expected time: the shopper is reassured and can ask for a status check. */
export const TakingLonger: Story = {
  render: (args) => <WaitingView {...args} startedAt={Date.now() - 90_000} />,
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await canvas.findByText(
      'This is taking longer than usual. You will not be charged twice.',
      {},
      { timeout: 2_000 },
    );
    await expect(canvas.getByRole('progressbar')).toHaveAttribute('value', '100');
    await expect(canvasElement.querySelector('section')).toHaveAttribute('aria-busy', 'false');
    await userEvent.click(canvas.getByRole('button', { name: 'Check again' }));
    await expect(args.onCheckAgain).toHaveBeenCalledOnce();
  },
};

/** Polling hit its time limit: the check is offered at once. */
export const PollingStopped: Story = {
  args: { stopped: true },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('button', { name: 'Check again' })).toBeVisible();
  },
};

export const CustomTexts: Story = {
  args: { heading: 'Waiting for Jeton', message: 'Your voucher is being checked.' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('heading', { name: 'Waiting for Jeton' })).toBeVisible();
    await expect(canvas.getByText('Your voucher is being checked.')).toBeVisible();
  },
};
