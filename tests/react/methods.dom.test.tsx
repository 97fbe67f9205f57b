import { StrictMode } from 'react';
import { cleanup, configure, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  Checkout,
  MethodForm,
  UnavailableMethods,
  digitsOnly,
  filterInput,
  formatExpiry,
  groupDigits,
  type CheckoutProps,
} from '../../src/react/index.ts';
import { formatMoney } from '../../src/core/money.ts';
import { createTranslate, I18nProvider, LANGUAGES, loadMessages } from '../../src/react/i18n/index.tsx';
import { API, METHODS, fakeBackend, payment, session } from './helpers.tsx';

configure({ defaultIgnore: 'script, style, [data-ecp-live]' });

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup(); // unmount (stops polling) before the handlers go
  server.resetHandlers();
  sessionStorage.clear();
  window.history.replaceState(null, '', '/');
});
afterAll(() => server.close());

function renderCheckout(props: Partial<CheckoutProps> = {}) {
  return render(
    <StrictMode>
      <Checkout sessionId="ses_1" apiBaseUrl={API} polling={{ intervalMs: 20 }} {...props} />
    </StrictMode>,
  );
}

/** A session with these methods; each create answers "processing", so no redirect happens. */
function backendWith(methods: (typeof METHODS)[keyof typeof METHODS][], customer = {}) {
  const backend = fakeBackend({
    session: session({
      methods,
      prices: methods[0]!.options.map(({ currency, amount }) => ({ currency, amount })),
      customer,
    }),
    create: () => payment({ status: 'processing' }),
  });
  backend.script('pay_1', [payment({ status: 'processing' })]);
  server.use(...backend.handlers);
  return backend;
}

function describedBy(el: HTMLElement): string {
  return (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' | ');
}

describe('method happy paths', () => {
  it('GrabPay PHP: the prefilled e-mail can be changed', async () => {
    const backend = backendWith([METHODS.grabpayPhp], { email: 'old@example.com' });
    const user = userEvent.setup();
    renderCheckout();
    const email = await screen.findByLabelText(/^E-mail/);
    expect(email).toHaveAttribute('aria-required', 'true');
    expect(describedBy(email)).toContain('GrabPay needs it for payments in PHP');
    await user.clear(email);
    await user.type(email, 'new@example.com');
    await user.click(screen.getByRole('button', { name: 'Pay ₱20.00' }));
    await screen.findByRole('heading', { name: 'Confirming your payment' });
    expect(backend.seen.creates[0]?.body).toEqual({
      method: 'grabpay',
      currency: 'PHP',
      fields: { email: 'new@example.com' },
    });
  });

  it('GrabPay MYR: e-mail, first and last name, all optional', async () => {
    const backend = backendWith([METHODS.grabpayMyr]);
    const user = userEvent.setup();
    renderCheckout();
    await user.type(await screen.findByLabelText(/^E-mail/), 'siti@example.my');
    await user.type(screen.getByLabelText(/^First name/), 'Siti');
    await user.type(screen.getByLabelText(/^Last name/), 'Nur Aminah');
    expect(screen.getByLabelText(/^First name/).closest('.ecp-field')).toHaveTextContent('(optional)');
    await user.click(screen.getByRole('button', { name: /^Pay .*15\.00$/ }));
    await screen.findByRole('heading', { name: 'Confirming your payment' });
    expect(backend.seen.creates[0]?.body).toEqual({
      method: 'grabpay',
      currency: 'MYR',
      fields: { email: 'siti@example.my', first_name: 'Siti', last_name: 'Nur Aminah' },
    });
  });

  it('GrabPay MYR: blank optional fields are left out', async () => {
    const backend = backendWith([METHODS.grabpayMyr]);
    renderCheckout();
    await userEvent.click(await screen.findByRole('button', { name: /^Pay .*15\.00$/ }));
    await screen.findByRole('heading', { name: 'Confirming your payment' });
    expect(backend.seen.creates[0]?.body).toEqual({ method: 'grabpay', currency: 'MYR', fields: {} });
  });

  it('ADVCash: the currency picker updates the amount and the request', async () => {
    const backend = backendWith([METHODS.advcash]);
    const onMethodChange = vi.fn();
    const user = userEvent.setup();
    renderCheckout({ onMethodChange });
    const picker = await screen.findByLabelText('Currency');
    expect(screen.getByRole('button', { name: 'Pay €15.00' })).toBeInTheDocument();
    await user.selectOptions(picker, 'UAH');
    const button = screen.getByRole('button', { name: /^Pay ₴600\.00$/ });
    expect(document.querySelector('output')).toHaveTextContent(/₴600\.00/);
    expect(onMethodChange).toHaveBeenLastCalledWith({ method: 'advcash', currency: 'UAH' });
    await user.selectOptions(picker, 'USD');
    expect(button).toHaveTextContent('Pay $17.00');
    await user.click(button);
    await screen.findByRole('heading', { name: 'Confirming your payment' });
    expect(backend.seen.creates[0]?.body).toEqual({ method: 'advcash', currency: 'USD', fields: {} });
  });

  it('Payco: amounts in whole won', async () => {
    const backend = backendWith([METHODS.payco]);
    renderCheckout();
    const button = await screen.findByRole('button', { name: 'Pay ₩15,000' });
    expect(screen.getByText('Korean won are charged in whole won.', { exact: false })).toBeInTheDocument();
    await userEvent.click(button);
    await screen.findByRole('heading', { name: 'Confirming your payment' });
    expect(backend.seen.creates[0]?.body).toEqual({ method: 'payco', currency: 'KRW', fields: {} });
  });

  it('Jeton: number in groups of 4, expiry with its slash, masked code', async () => {
    const backend = backendWith([METHODS.jeton]);
    const user = userEvent.setup();
    renderCheckout();
    const number = await screen.findByLabelText('Voucher number');
    await user.type(number, '1234x5678-9012345678901');
    expect(number).toHaveValue('1234 5678 9012 3456 789');
    const expiry = screen.getByLabelText('Expiry date');
    await user.type(expiry, '8');
    expect(expiry).toHaveValue('08/');
    await user.type(expiry, '{Backspace}');
    expect(expiry).toHaveValue('08');
    await user.type(expiry, '2099');
    expect(expiry).toHaveValue('08/2099');
    const code = screen.getByLabelText('Security code');
    expect(code).toHaveAttribute('type', 'password');
    expect(code).toHaveAttribute('inputmode', 'numeric');
    await user.type(code, '12a345');
    expect(code).toHaveValue('1234');
    await user.click(screen.getByRole('button', { name: 'Pay €25.00' }));
    await screen.findByRole('heading', { name: 'Confirming your payment' });
    expect(backend.seen.creates[0]?.body).toEqual({
      method: 'jeton',
      currency: 'EUR',
      fields: { number: '1234567890123456789', expiration: '08/2099', security_code: '1234' },
    });
  });

  it('lists the methods that cannot take the order, on request', async () => {
    server.use(
      ...fakeBackend({
        session: session({
          unavailable: [
            {
              method: 'payco',
              reason: { code: 'currency_not_supported', message: 'x', currency: 'PHP', currencies: ['KRW'] },
            },
            {
              method: 'jeton',
              reason: { code: 'below_minimum', message: 'x', currency: 'PHP', limit: '10.00' },
            },
          ],
        }),
      }).handlers,
    );
    renderCheckout({ showUnavailable: true });
    // Collapsed behind a disclosure that names them as a shopper would ask; each reason in plain words.
    const summary = await screen.findByText('Why can’t I pay with Payco or Jeton Voucher?');
    const details = summary.closest('details');
    expect(details).not.toHaveAttribute('open');
    expect(summary.tagName).toBe('SUMMARY');
    expect(screen.getByText('Payco doesn’t take this currency.')).toBeInTheDocument();
    expect(screen.getByText('Jeton Voucher takes payments from ₱10.00.')).toBeInTheDocument();
    expect(details?.textContent).not.toMatch(/KRW|PHP|accepts|only/);
    await userEvent.click(summary);
    expect(details).toHaveAttribute('open');
  });

  it('says why in every language, with amounts as the shopper reads them and no ISO codes', async () => {
    const reasons = [
      { method: 'grabpay' as const, reason: { code: 'not_enabled' as const, message: 'x' } },
      {
        method: 'payco' as const,
        reason: {
          code: 'currency_not_supported' as const,
          message: 'x',
          currency: 'EUR' as const,
          currencies: ['KRW' as const],
        },
      },
      {
        method: 'jeton' as const,
        reason: { code: 'above_maximum' as const, message: 'x', currency: 'EUR' as const, limit: '500.00' },
      },
    ];
    for (const language of LANGUAGES) {
      const { unmount } = render(
        <I18nProvider locale={language}>
          <UnavailableMethods unavailable={reasons} />
        </I18nProvider>,
      );
      const t = createTranslate(await loadMessages(language));
      const methods = new Intl.ListFormat(language, { type: 'disjunction' }).format([
        'GrabPay',
        'Payco',
        'Jeton Voucher',
      ]);
      await screen.findByText(t('methods.unavailable.why', { methods }));
      const text = document.querySelector('details')?.textContent ?? '';
      expect(text, language).not.toMatch(/[{}]|KRW|EUR/);
      expect(text, language).toContain(formatMoney(50_000, 'EUR', language));
      unmount();
    }
  });
});

describe('no method can take the order', () => {
  const unavailable = [
    {
      method: 'grabpay' as const,
      reason: {
        code: 'currency_not_supported' as const,
        message: 'x',
        currency: 'USD' as const,
        currencies: ['PHP' as const, 'MYR' as const],
      },
    },
    {
      method: 'jeton' as const,
      reason: { code: 'above_maximum' as const, message: 'x', currency: 'USD' as const, limit: '500.00' },
    },
  ];

  it('still says why, on request', async () => {
    server.use(...fakeBackend({ session: session({ methods: [], unavailable }) }).handlers);
    renderCheckout({ showUnavailable: true });
    expect(await screen.findByText('No payment method can take this order.')).toBeInTheDocument();
    expect(screen.getByText('Why can’t I pay with GrabPay or Jeton Voucher?')).toBeInTheDocument();
    expect(screen.getByText('GrabPay doesn’t take this currency.')).toBeInTheDocument();
    expect(screen.getByText('Jeton Voucher takes payments up to $500.00.')).toBeInTheDocument();
    expect(screen.queryByRole('radiogroup')).not.toBeInTheDocument();
    expect(screen.queryByRole('radio')).not.toBeInTheDocument();
  });

  it('lists no reasons unless asked to', async () => {
    server.use(...fakeBackend({ session: session({ methods: [], unavailable }) }).handlers);
    renderCheckout();
    expect(await screen.findByText('No payment method can take this order.')).toBeInTheDocument();
    expect(screen.queryByText(/^Why can’t I pay/)).not.toBeInTheDocument();
  });

  it('UnavailableMethods is a piece of its own, and shows nothing for an empty list', () => {
    const { container, rerender } = render(<UnavailableMethods unavailable={unavailable} />);
    expect(screen.getByText('GrabPay doesn’t take this currency.')).toBeInTheDocument();
    rerender(<UnavailableMethods unavailable={[]} />);
    expect(container).toBeEmptyDOMElement();
  });
});

describe('validation messages', () => {
  const php = [{ currency: 'PHP' as const, amount: 2000 }];
  const myr = [{ currency: 'MYR' as const, amount: 1500 }];
  const eur = [{ currency: 'EUR' as const, amount: 2500 }];

  it('e-mail: required on blur, format as you type, tied with aria', async () => {
    const user = userEvent.setup();
    render(<MethodForm method="grabpay" options={php} onSubmit={() => {}} />);
    const email = screen.getByLabelText(/^E-mail/);
    await user.click(email);
    await user.tab();
    expect(await screen.findByText('This field is required')).toBeInTheDocument();
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(describedBy(email)).toContain('This field is required');
    await user.type(email, 'ana@');
    expect(
      await screen.findByText('Enter a valid e-mail address, like name@example.com'),
    ).toBeInTheDocument();
    await user.type(email, 'example.com');
    await waitFor(() => expect(email).not.toHaveAttribute('aria-invalid'));
    expect(screen.queryByText(/Enter a valid e-mail/)).not.toBeInTheDocument();
  });

  it('names: letters only, not too long; e-mail format for MYR', async () => {
    const user = userEvent.setup();
    render(<MethodForm method="grabpay" options={myr} onSubmit={() => {}} />);
    const first = screen.getByLabelText(/^First name/);
    await user.type(first, 'J0hn');
    await user.tab();
    expect(await screen.findByText('Use letters, spaces, apostrophes and hyphens only')).toBeInTheDocument();
    await user.clear(first);
    await user.type(first, 'A'.repeat(101));
    expect(await screen.findByText('This name is too long')).toBeInTheDocument();
    const email = screen.getByLabelText(/^E-mail/);
    await user.type(email, 'nope');
    await user.tab();
    expect(
      await screen.findByText('Enter a valid e-mail address, like name@example.com'),
    ).toBeInTheDocument();
  });

  it('Jeton: every rule, on blur and as you type', async () => {
    const user = userEvent.setup();
    render(<MethodForm method="jeton" options={eur} onSubmit={() => {}} />);
    const number = screen.getByLabelText('Voucher number');
    await user.type(number, '1234');
    await user.tab();
    expect(await screen.findByText('The voucher number has 19 digits')).toBeInTheDocument();
    const expiry = screen.getByLabelText('Expiry date');
    await user.type(expiry, '13');
    await user.tab();
    expect(await screen.findByText('Enter the expiry as MM/YYYY, e.g. 08/2027')).toBeInTheDocument();
    await user.clear(expiry);
    await user.type(expiry, '012020');
    expect(await screen.findByText('This voucher has expired')).toBeInTheDocument();
    const code = screen.getByLabelText('Security code');
    await user.type(code, '12');
    await user.tab();
    expect(await screen.findByText('The security code has 4 digits')).toBeInTheDocument();
    expect(describedBy(code)).toContain('The security code has 4 digits');
    expect(describedBy(code)).toContain('4 digits');
  });

  it('on submit, shows every message and moves focus to the first invalid field', async () => {
    const onSubmit = vi.fn();
    const user = userEvent.setup();
    render(<MethodForm method="jeton" options={eur} onSubmit={onSubmit} />);
    await user.type(screen.getByLabelText('Expiry date'), '122099');
    await user.click(screen.getByRole('button', { name: 'Pay €25.00' }));
    expect(await screen.findAllByText('This field is required')).toHaveLength(2);
    expect(screen.getByLabelText('Voucher number')).toHaveFocus();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('GrabPay PHP submit without e-mail focuses it', async () => {
    const user = userEvent.setup();
    render(<MethodForm method="grabpay" options={php} onSubmit={() => {}} />);
    await user.click(screen.getByRole('button', { name: 'Pay ₱20.00' }));
    expect(await screen.findByText('This field is required')).toBeInTheDocument();
    expect(screen.getByLabelText(/^E-mail/)).toHaveFocus();
  });
});

describe("masked inputs (the same in React and in the embed's Preact)", () => {
  it('filterInput writes the masked value into the input itself, with no re-render to count on', () => {
    const input = document.createElement('input');
    document.body.append(input);
    input.focus();
    // A letter typed after digits: the masked value is the one the form already holds, so a runtime
    // that re-renders only on change (Preact) would leave "12a" on screen.
    input.value = '12a';
    input.setSelectionRange(3, 3);
    expect(filterInput(input, (v) => digitsOnly(v, 4))).toBe('12');
    expect(input.value).toBe('12');
    expect(input.selectionStart).toBe(2);
    // A letter typed in the middle of a grouped number: the caret stays after the same digits.
    input.value = '12x34 5678';
    input.setSelectionRange(3, 3);
    expect(filterInput(input, (v) => groupDigits(v))).toBe('1234 5678');
    expect(input.value).toBe('1234 5678');
    expect(input.selectionStart).toBe(2);
    // A digit typed in the middle regroups, the caret after it.
    input.value = '12934 5678';
    input.setSelectionRange(3, 3);
    expect(filterInput(input, (v) => groupDigits(v))).toBe('1293 4567 8');
    expect(input.selectionStart).toBe(3);
    // Nothing to mask: the input is left alone.
    input.value = '1234';
    input.setSelectionRange(1, 1);
    expect(filterInput(input, (v) => groupDigits(v))).toBe('1234');
    expect(input.selectionStart).toBe(1);
    input.remove();
  });

  it('Jeton: letters typed after digits do not stay on screen, in any field', async () => {
    const user = userEvent.setup();
    render(<MethodForm method="jeton" options={[{ currency: 'EUR', amount: 2500 }]} onSubmit={() => {}} />);
    const number = screen.getByLabelText('Voucher number');
    const expiry = screen.getByLabelText('Expiry date');
    const code = screen.getByLabelText('Security code');
    await user.type(number, '46191x');
    expect(number).toHaveValue('4619 1');
    await user.type(expiry, '12b');
    expect(expiry).toHaveValue('12/');
    await user.type(code, '12c');
    expect(code).toHaveValue('12');
  });

  it('Jeton: a letter typed in the middle of the number is dropped and the caret stays put', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn();
    render(<MethodForm method="jeton" options={[{ currency: 'EUR', amount: 2500 }]} onSubmit={onSubmit} />);
    const number = screen.getByLabelText<HTMLInputElement>('Voucher number');
    await user.type(number, '12345678');
    expect(number).toHaveValue('1234 5678');
    await user.type(number, 'x', { initialSelectionStart: 2, initialSelectionEnd: 2 });
    expect(number).toHaveValue('1234 5678');
    expect(number.selectionStart).toBe(2);
    await user.keyboard('9');
    expect(number).toHaveValue('1293 4567 8');
    expect(number.selectionStart).toBe(3);
    await user.type(number, '{End}90123456789');
    expect(number).toHaveValue('1293 4567 8901 2345 678');
    await user.type(screen.getByLabelText('Expiry date'), '122099');
    await user.type(screen.getByLabelText('Security code'), '1234');
    await user.click(screen.getByRole('button', { name: 'Pay €25.00' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledOnce());
    expect(onSubmit.mock.calls[0]![0].fields).toMatchObject({ number: '1293456789012345678' });
  });
});

describe('input masks', () => {
  it('groups digits and formats the expiry', () => {
    expect(groupDigits('12345678901234567890123')).toBe('1234 5678 9012 3456 789');
    expect(groupDigits('12 34-56')).toBe('1234 56');
    expect(formatExpiry('1')).toBe('1');
    expect(formatExpiry('3')).toBe('03/');
    expect(formatExpiry('12')).toBe('12/');
    expect(formatExpiry('12', '12/')).toBe('12');
    expect(formatExpiry('12/20991')).toBe('12/2099');
  });
});
