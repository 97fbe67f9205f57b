import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { VoucherList } from '../../src/react/index.ts';
import { vouchersFor } from '../support/fixtures.ts';
import { plainSpaces } from '../support/play.ts';

/** A Jeton payout's vouchers, as the merchant's console shows them: each with copy buttons. */
const meta = {
  title: 'Payouts/VoucherList',
  component: VoucherList,
  // 1,250.00 EUR, split by the core into vouchers of at most 500.00: 500 + 500 + 250.
  args: { vouchers: vouchersFor(125_000, 'EUR') },
} satisfies Meta<typeof VoucherList>;
export default meta;
type Story = StoryObj<typeof meta>;

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

export const ThreeVouchersFrom1250EUR: Story = {
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
};

/** The browser refuses to copy: the shopper is told to copy by hand. */
export const CopyRefused: Story = {
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
};

export const SingleVoucher: Story = {
  args: { vouchers: vouchersFor(4_000, 'USD'), heading: 'Your refund voucher' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('heading', { name: 'Your refund voucher' })).toBeVisible();
    await expect(canvas.getByRole('heading', { name: 'Voucher 1 of 1' })).toBeVisible();
    await expect(canvasElement).toHaveTextContent('$40.00');
  },
};
