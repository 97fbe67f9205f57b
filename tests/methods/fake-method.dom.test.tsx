/**
 * The widget's side of the fifth method (see fake-method.test.ts): `METHOD_FORMS` has a form for a
 * registered method, rendered from its form spec with its own texts, in English and in Russian.
 */
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerMethod, unregisterMethod, type MethodId } from '../../src/core/methods/index.ts';
import { I18nProvider, METHOD_FORMS } from '../../src/react/index.ts';
import { fakePay } from './fake-method.ts';

beforeAll(() => registerMethod(fakePay));
afterAll(() => unregisterMethod('fakepay'));
afterEach(cleanup);

const options = [{ currency: 'EUR' as const, amount: 2500 }];

describe('the form of a registered method', () => {
  it('renders its field spec: label, hint, type, autocomplete, inputmode, note; validates with its rule', async () => {
    const Form = METHOD_FORMS['fakepay' as MethodId];
    expect(Form).toBeDefined();
    const onSubmit = vi.fn();
    const user = userEvent.setup();
    render(<Form options={options} onSubmit={onSubmit} />);
    const phone = screen.getByLabelText('Phone number of your FakePay wallet');
    expect(phone).toHaveAttribute('type', 'tel');
    expect(phone).toHaveAttribute('autocomplete', 'tel');
    expect(phone).toHaveAttribute('inputmode', 'tel');
    expect(phone).toHaveAttribute('aria-required', 'true');
    expect(phone).toHaveAccessibleDescription('With the country code, e.g. +63 917 123 4567');
    expect(screen.getByText('You will confirm the payment in the FakePay app.')).toBeInTheDocument();
    await user.type(phone, '12');
    await user.click(screen.getByRole('button', { name: 'Pay €25.00' }));
    expect(
      await screen.findByText('Enter the phone number with its country code, like +639171234567'),
    ).toBeInTheDocument();
    expect(phone).toHaveAttribute('aria-invalid', 'true');
    expect(onSubmit).not.toHaveBeenCalled();
    await user.clear(phone);
    await user.type(phone, '+63 917 123 4567');
    await user.click(screen.getByRole('button', { name: 'Pay €25.00' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledOnce());
    expect(onSubmit).toHaveBeenCalledWith({ currency: 'EUR', fields: { phone: '+639171234567' } });
  });

  it('shows its texts in the shopper’s language', async () => {
    const Form = METHOD_FORMS['fakepay' as MethodId];
    render(
      <I18nProvider locale="ru">
        <Form options={options} onSubmit={() => {}} />
      </I18nProvider>,
    );
    expect(await screen.findByLabelText('Номер телефона кошелька FakePay')).toBeInTheDocument();
  });
});
