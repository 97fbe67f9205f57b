import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PayoutForm, VoucherList } from '../../src/react/index.ts';
import type { Voucher } from '../../src/core/api.ts';

afterEach(() => {
  vi.restoreAllMocks();
  Reflect.deleteProperty(navigator, 'clipboard');
});

describe('PayoutForm: GrabPay', () => {
  it('validates the account number and the full name', async () => {
    const onSubmit = vi.fn();
    const user = userEvent.setup();
    render(<PayoutForm method="grabpay" onSubmit={onSubmit} amount={100000} currency="PHP" />);
    expect(screen.getByRole('heading', { name: 'GrabPay payout' })).toBeInTheDocument();
    const button = screen.getByRole('button', { name: 'Request payout ₱1,000.00' });
    await user.click(button);
    expect(await screen.findAllByText('This field is required')).toHaveLength(2);
    const number = screen.getByLabelText('GrabPay account number');
    expect(number).toHaveFocus();
    await user.type(number, '0812345678');
    await user.tab();
    expect(
      await screen.findByText('A GrabPay account number has 11 digits and starts with 09'),
    ).toBeInTheDocument();
    await user.clear(number);
    await user.type(number, '09171234567');
    const name = screen.getByLabelText('Account holder’s full name');
    await user.type(name, 'Ana');
    await user.tab();
    expect(
      await screen.findByText('Enter the account holder’s full name (first and last)'),
    ).toBeInTheDocument();
    await user.type(name, ' dela Cruz');
    await user.click(button);
    await waitFor(() =>
      expect(onSubmit).toHaveBeenCalledWith({ number: '09171234567', customer_name: 'Ana dela Cruz' }),
    );
    expect(await screen.findByText('Payout requested.')).toBeInTheDocument();
  });

  it('shows the error of a failed onSubmit and blocks a second submit while busy', async () => {
    let reject!: (e: Error) => void;
    const onSubmit = vi.fn(() => new Promise<void>((_, r) => (reject = r)));
    const user = userEvent.setup();
    render(
      <PayoutForm
        method="grabpay"
        onSubmit={onSubmit}
        defaultValues={{ number: '09171234567', customer_name: 'Ana Cruz' }}
      />,
    );
    const button = screen.getByRole('button', { name: 'Request payout' });
    await user.click(button);
    await waitFor(() => expect(button).toHaveAttribute('aria-disabled', 'true'));
    await user.click(button);
    expect(onSubmit).toHaveBeenCalledTimes(1);
    reject(new Error('Insufficient balance'));
    expect(await screen.findByText('Insufficient balance')).toBeInTheDocument();
  });
});

describe('PayoutForm: ADVCash', () => {
  it('takes the wallet e-mail', async () => {
    const onSubmit = vi.fn();
    const user = userEvent.setup();
    render(<PayoutForm method="advcash" onSubmit={onSubmit} />);
    const email = screen.getByLabelText('ADVCash wallet e-mail');
    await user.type(email, 'wallet@');
    await user.tab();
    expect(
      await screen.findByText('Enter a valid e-mail address, like name@example.com'),
    ).toBeInTheDocument();
    expect(email).toHaveAttribute('aria-invalid', 'true');
    await user.type(email, 'example.com');
    await user.click(screen.getByRole('button', { name: 'Request payout' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith({ number: 'wallet@example.com' }));
  });
});

describe('VoucherList', () => {
  const vouchers: Voucher[] = [
    {
      number: '1234567890123456789',
      security_code: '4321',
      expiration: '08/2027',
      amount: 50000,
      currency: 'EUR',
    },
    {
      number: '9876543210987654321',
      security_code: '1111',
      expiration: '09/2027',
      created_at: '2026-11-24T10:00:00Z',
    },
  ];

  it('shows each voucher, grouped, and copies with the Clipboard API', async () => {
    const user = userEvent.setup(); // (installs its own clipboard stub: ours goes on top)
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    render(<VoucherList vouchers={vouchers} />);
    expect(screen.getByRole('heading', { name: 'Your Jeton vouchers' })).toBeInTheDocument();
    expect(screen.getByText('1234 5678 9012 3456 789')).toBeInTheDocument();
    expect(screen.getByText('Voucher 1 of 2')).toBeInTheDocument();
    expect(screen.getByText('4321')).toBeInTheDocument();
    expect(screen.getByText('08/2027')).toBeInTheDocument();
    expect(screen.getByText('€500.00')).toBeInTheDocument();
    expect(screen.getByText('Issued Nov 24, 2026')).toBeInTheDocument();
    const [copyNumber] = screen.getAllByRole('button', { name: 'Copy number' });
    await user.click(copyNumber!);
    expect(writeText).toHaveBeenCalledWith('1234567890123456789');
    expect(screen.getByRole('status')).toHaveTextContent('Copied');
    expect(copyNumber).toHaveTextContent('Copied');
    await user.click(screen.getAllByRole('button', { name: 'Copy security code' })[1]!);
    expect(writeText).toHaveBeenLastCalledWith('1111');
  });

  it('shows an ISO expiry (as the Gate sends it for payouts) as a date in the locale, MM/YYYY as it is', () => {
    render(
      <VoucherList
        vouchers={[
          { number: '1234567890123456789', security_code: '4321', expiration: '2027-11-24T11:48:14+00:00' },
          { number: '9876543210987654321', security_code: '1111', expiration: '09/2027' },
        ]}
      />,
    );
    expect(screen.getByText('Nov 24, 2027')).toBeInTheDocument();
    expect(screen.getByText('09/2027')).toBeInTheDocument();
    expect(screen.queryByText('2027-11-24T11:48:14+00:00')).toBeNull();
  });

  it('falls back to execCommand without the Clipboard API, and says when copying failed', async () => {
    const user = userEvent.setup();
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    const exec = vi.fn().mockReturnValue(true);
    Object.defineProperty(document, 'execCommand', { value: exec, configurable: true });
    render(<VoucherList vouchers={vouchers} />);
    await user.click(screen.getAllByRole('button', { name: 'Copy number' })[0]!);
    expect(exec).toHaveBeenCalledWith('copy');
    expect(screen.getByRole('status')).toHaveTextContent('Copied');
    expect(document.querySelector('textarea')).toBeNull();
    exec.mockReturnValue(false);
    await user.click(screen.getAllByRole('button', { name: 'Copy security code' })[0]!);
    expect(screen.getByRole('status')).toHaveTextContent('Could not copy. Select the text and copy it.');
    Reflect.deleteProperty(document, 'execCommand');
  });
});
