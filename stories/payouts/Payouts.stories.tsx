import type { Meta } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { PayoutForm, VoucherList } from '../../src/react/index.ts';
import { vouchersFor } from '../support/fixtures.ts';
import { expectFieldError, expectNoFieldError, plainSpaces } from '../support/play.ts';
import { componentStories } from '../support/stories.tsx';

/**
 * The merchant console's payout pieces: the payout form (one component, rendered from the method's
 * payout account spec) for GrabPay and ADVCash, and a Jeton payout's voucher list.
 *
 * Payout details: `onSubmit` gets the validated account; the merchant's
 * server creates the payout (never the browser: it needs the API key).
 */
const meta = { title: 'Payouts' } satisfies Meta;
export default meta;

// ── PayoutForm: GrabPay ──────────────────────────────────────────────────────────────────────────────

const grabPayPayout = componentStories(PayoutForm, {
  args: {
    method: 'grabpay',
    amount: 100_000,
    currency: 'PHP',
    onSubmit: fn(),
  },
});

export const GrabPay = grabPayPayout({
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('heading', { name: 'GrabPay payout' })).toBeVisible();
    await expect(canvas.getByRole('textbox', { name: 'GrabPay account number' })).toHaveAccessibleDescription(
      '11 digits, starting with 09',
    );
    await expect(canvas.getByRole('button', { name: 'Request payout ₱1,000.00' })).toBeVisible();
  },
});

export const GrabPayRequired = grabPayPayout({
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: /^Request payout/ }));
    await expectFieldError(
      canvas.getByRole('textbox', { name: 'GrabPay account number' }),
      'This field is required',
    );
    await expectFieldError(
      canvas.getByRole('textbox', { name: 'Account holder’s full name' }),
      'This field is required',
    );
    await expect(args.onSubmit).not.toHaveBeenCalled();
  },
});

export const GrabPayInvalid = grabPayPayout({
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const number = canvas.getByRole('textbox', { name: 'GrabPay account number' });
    const name = canvas.getByRole('textbox', { name: 'Account holder’s full name' });
    await userEvent.type(number, '08171234567');
    await userEvent.type(name, 'Maria');
    await userEvent.click(canvas.getByRole('button', { name: /^Request payout/ }));
    await expectFieldError(number, 'A GrabPay account number has 11 digits and starts with 09');
    await expectFieldError(name, 'Enter the account holder’s full name (first and last)');
    // Corrected as typed: the messages go away.
    await userEvent.clear(number);
    await userEvent.type(number, '09171234567');
    await userEvent.type(name, ' dela Cruz');
    await expectNoFieldError(number);
    await expectNoFieldError(name);
    await expect(args.onSubmit).not.toHaveBeenCalled();
  },
});

export const GrabPaySubmitted = grabPayPayout({
  args: { onSubmit: fn(async () => undefined) },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.type(canvas.getByRole('textbox', { name: 'GrabPay account number' }), '09171234567');
    await userEvent.type(
      canvas.getByRole('textbox', { name: 'Account holder’s full name' }),
      'Maria dela Cruz',
    );
    await userEvent.click(canvas.getByRole('button', { name: /^Request payout/ }));
    await expect(await canvas.findByText('Payout requested.')).toBeVisible();
    await expect(args.onSubmit).toHaveBeenCalledWith({
      number: '09171234567',
      customer_name: 'Maria dela Cruz',
    });
  },
});

/** The merchant's server refused: its message under the form, the values kept. */
export const GrabPayRefused = grabPayPayout({
  args: {
    onSubmit: fn(async () => {
      throw new Error('GrabPay payouts are limited to ₱50,000.00 a day.');
    }),
    defaultValues: { number: '09171234567', customer_name: 'Maria dela Cruz' },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: /^Request payout/ }));
    await expect(await canvas.findByText('GrabPay payouts are limited to ₱50,000.00 a day.')).toBeVisible();
    await expect(canvas.getByRole('textbox', { name: 'GrabPay account number' })).toHaveValue('09171234567');
  },
});

/** While `onSubmit` runs: busy, and a second press does nothing. */
export const GrabPayBusy = grabPayPayout({
  args: {
    onSubmit: fn(() => new Promise<void>(() => {})),
    defaultValues: { number: '09171234567', customer_name: 'Maria dela Cruz' },
  },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: /^Request payout/ }));
    const busy = await canvas.findByRole('button', { name: 'Processing…' });
    await userEvent.click(busy);
    await expect(args.onSubmit).toHaveBeenCalledOnce();
  },
});

// ── PayoutForm: ADVCash ──────────────────────────────────────────────────────────────────────────────

const advCashPayout = componentStories(PayoutForm, {
  args: {
    method: 'advcash',
    amount: 5_000,
    currency: 'USD',
    onSubmit: fn(),
  },
});

export const AdvCash = advCashPayout({
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('heading', { name: 'ADVCash payout' })).toBeVisible();
    await expect(canvas.getByRole('textbox', { name: 'ADVCash wallet e-mail' })).toHaveAccessibleDescription(
      'The e-mail your wallet is registered with',
    );
    await expect(canvas.getByRole('button', { name: 'Request payout $50.00' })).toBeVisible();
  },
});

export const AdvCashInvalidEmail = advCashPayout({
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const email = canvas.getByRole('textbox', { name: 'ADVCash wallet e-mail' });
    await userEvent.click(canvas.getByRole('button', { name: /^Request payout/ }));
    await expectFieldError(email, 'This field is required');
    await userEvent.type(email, 'wallet@@advcash');
    await userEvent.tab();
    await expectFieldError(email, 'Enter a valid e-mail address, like name@example.com');
    await expect(args.onSubmit).not.toHaveBeenCalled();
  },
});

export const AdvCashSubmitted = advCashPayout({
  args: { onSubmit: fn(async () => undefined) },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.type(
      canvas.getByRole('textbox', { name: 'ADVCash wallet e-mail' }),
      'olena@wallet.example',
    );
    await userEvent.click(canvas.getByRole('button', { name: /^Request payout/ }));
    await waitFor(() => expect(args.onSubmit).toHaveBeenCalledWith({ number: 'olena@wallet.example' }));
    await expect(await canvas.findByText('Payout requested.')).toBeVisible();
  },
});

// ── VoucherList ────────────────────────────────────────────────────────────────────────────────────

/** A Jeton payout's vouchers, each with copy buttons: 1,250.00 EUR, split by the core into 500 + 500 + 250. */
const voucherList = componentStories(VoucherList, { args: { vouchers: vouchersFor(125_000, 'EUR') } });

/** Replaces the clipboard for one story (headless browsers refuse the real one), restored afterwards. */
function stubClipboard(writeText: (text: string) => Promise<void>) {
  // An own property shadows Navigator.prototype's getter; deleting it brings the real one back.
  Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
  return () => {
    delete (navigator as { clipboard?: unknown }).clipboard;
  };
}

/** The list's own live region (the provider around it has another). */
function listStatus(canvasElement: HTMLElement): HTMLElement {
  const section = canvasElement.querySelector<HTMLElement>('.ecp-vouchers');
  if (!section) throw new Error('No voucher list');
  return within(section).getByRole('status');
}

const writeText = fn(async (_text: string) => undefined);

export const JetonVouchersFrom1250EUR = voucherList({
  beforeEach: () => {
    writeText.mockClear();
    return stubClipboard(writeText);
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('heading', { name: 'Your Jeton vouchers', level: 2 })).toBeVisible();
    const items = canvas.getAllByRole('listitem');
    await expect(items).toHaveLength(3);
    await expect(items.map((li) => within(li).getByRole('heading', { level: 3 }).textContent)).toEqual([
      'Voucher 1 of 3',
      'Voucher 2 of 3',
      'Voucher 3 of 3',
    ]);
    const values = items.map((li) =>
      plainSpaces(li.querySelector('dd:not(.ecp-mono):not(:has(button))')?.textContent),
    );
    await expect(values).toEqual(['€500.00', '€500.00', '€250.00']);
    await expect(items[0]).toHaveTextContent('4093 1762 5218 0000 001');

    const copy = within(items[1] as HTMLElement).getByRole('button', { name: 'Copy number' });
    await expect(copy).toHaveAccessibleDescription('Voucher 2 of 3');
    await userEvent.click(copy);
    await expect(writeText).toHaveBeenCalledWith(vouchersFor(125_000, 'EUR')[1]?.number);
    await waitFor(() => expect(copy).toHaveTextContent('Copied'));
    await expect(listStatus(canvasElement)).toHaveTextContent('Copied');
    await userEvent.click(
      within(items[2] as HTMLElement).getByRole('button', { name: 'Copy security code' }),
    );
    await expect(writeText).toHaveBeenLastCalledWith(vouchersFor(125_000, 'EUR')[2]?.security_code);
  },
});

/** The browser refuses to copy: the shopper is told to copy by hand. */
export const JetonVoucherCopyRefused = voucherList({
  beforeEach: () =>
    stubClipboard(async () => {
      throw new DOMException('Write permission denied.', 'NotAllowedError');
    }),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    // The fallback (execCommand) is refused too when nothing is selectable for it.
    const execCommand = document.execCommand;
    document.execCommand = () => false;
    try {
      const [first] = canvas.getAllByRole('button', { name: 'Copy number' });
      await userEvent.click(first as HTMLElement);
      await waitFor(() =>
        expect(listStatus(canvasElement)).toHaveTextContent('Could not copy. Select the text and copy it.'),
      );
      await expect(first).toHaveTextContent('Copy number');
    } finally {
      document.execCommand = execCommand;
    }
  },
});

export const JetonSingleVoucher = voucherList({
  args: { vouchers: vouchersFor(4_000, 'USD'), heading: 'Your refund voucher' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('heading', { name: 'Your refund voucher' })).toBeVisible();
    await expect(canvas.getByRole('heading', { name: 'Voucher 1 of 1' })).toBeVisible();
    await expect(canvasElement).toHaveTextContent('$40.00');
  },
});
