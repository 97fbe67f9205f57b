import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { ClarificationForm } from '../../src/react/index.ts';
import { expectFieldError, expectNoFieldError } from '../support/play.ts';

/** The details a clarification asks for (GrabPay MYR without names), each required and validated. */
const meta = {
  title: 'Components/ClarificationForm',
  component: ClarificationForm,
  args: { fields: { customer: ['first_name', 'last_name'] }, onSubmit: fn() },
} satisfies Meta<typeof ClarificationForm>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Names: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getAllByRole('textbox')).toHaveLength(2);
    for (const input of canvas.getAllByRole('textbox')) await expect(input).toBeRequired();
  },
};

export const NamesAndEmail: Story = {
  args: {
    fields: { customer: ['email', 'first_name', 'last_name'] },
    defaultValues: { email: 'nur@example.my' },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('textbox', { name: /E-mail/ })).toHaveValue('nur@example.my');
  },
};

export const RequiredFields: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Continue' }));
    await expectFieldError(canvas.getByRole('textbox', { name: /First name/ }), 'This field is required');
    await expectFieldError(canvas.getByRole('textbox', { name: /Last name/ }), 'This field is required');
    await expect(args.onSubmit).not.toHaveBeenCalled();
  },
};

export const InvalidValues: Story = {
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
};

export const Submitted: Story = {
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
};
