/**
 * The merchant console (/console.html): a Payco refund, partial then full, and a Jeton Voucher payout of
 * 1,250.00 EUR shown as three vouchers — each checked against the backend and the sandbox's ledger.
 */
import type { APIRequestContext, Page } from '@playwright/test';
import type { PaymentView } from '../src/core/api.ts';
import { methodCase } from './cases.ts';
import { expect, test, type Steps } from './fixtures.ts';
import { payToOutcome } from './flows.ts';
import { ledgerEntry, Shop } from './shop.ts';
import { demoUrl, type Stack } from './stack.ts';

const payco = methodCase('Payco');

async function openConsole(page: Page, steps: Steps): Promise<void> {
  await page.goto('/console.html');
  await expect(page.getByRole('heading', { level: 1, name: 'Merchant console' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Payments' })).toBeVisible();
  await steps.wholePage('console');
}

async function paycoRefunds(page: Page, steps: Steps, stack: Stack, request: APIRequestContext) {
  // A paid Payco order first, through the shop.
  const { paymentId } = await payToOutcome(new Shop(page, 'spa', stack, steps), request, payco, 'success');
  await openConsole(page, steps);

  const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: paymentId, exact: true }) });
  const status = row.getByRole('cell').nth(4);
  await expect(row.getByRole('cell', { name: 'payco', exact: true })).toBeVisible();
  await expect(row.getByRole('cell', { name: '₩25,000', exact: true })).toBeVisible();
  await expect(status).toHaveText('success');
  const refresh = page.getByRole('button', { name: 'Refresh' });
  /** Refreshes the list until the payment's status cell says `text` (refunds settle by callback). */
  const expectStatus = (text: string) =>
    expect(async () => {
      await refresh.click();
      await expect(status).toHaveText(text, { timeout: 1_000 });
    }).toPass({ timeout: 60_000 });

  // Partial: 5,000 of 25,000 won.
  await row.getByRole('textbox', { name: `Partial refund amount for ${paymentId}` }).fill('5000');
  await row.getByRole('button', { name: 'Refund part' }).click();
  await expect(row.getByRole('status')).toHaveText('Refund requested');
  await expectStatus('partially_refunded (refunded ₩5,000)');
  await steps.wholePage('partially refunded');

  // Full: what is left.
  await row.getByRole('button', { name: 'Refund all' }).click();
  await expectStatus('refunded (refunded ₩25,000)');
  await expect(row.getByRole('button', { name: /^Refund/ }), 'nothing left to refund').toHaveCount(0);
  await steps.wholePage('refunded');

  const entry = await ledgerEntry(request, stack, paymentId);
  expect({ state: entry.state, refunded: entry.refunded_amount }).toEqual({
    state: 'refunded',
    refunded: 25_000,
  });
  expect(entry.operations.map((o) => [o.type, o.amount, o.status])).toEqual([
    ['sale', 25_000, 'success'],
    ['refund', 5_000, 'success'],
    ['refund', 20_000, 'success'],
  ]);
  const r = await request.get(`${demoUrl(stack)}/shop/api/payments/${paymentId}`);
  const detail = (await r.json()) as PaymentView & { refunds: { amount: number; status: string }[] };
  expect({ status: detail.status, refunded: detail.refunded_amount }).toEqual({
    status: 'refunded',
    refunded: 25_000,
  });
  expect(detail.refunds.map((x) => x.amount).sort((a, b) => a - b)).toEqual([5_000, 20_000]);
}

async function jetonPayout(page: Page, steps: Steps, stack: Stack, request: APIRequestContext) {
  await openConsole(page, steps);
  const form = page.getByRole('form', { name: 'Jeton Voucher payout' });
  await form.getByRole('textbox', { name: 'Amount' }).fill('1250.00');
  await form.getByRole('combobox', { name: 'Currency' }).selectOption('EUR');
  await form.getByRole('button', { name: 'Issue vouchers' }).click();

  const list = form.getByRole('region', { name: 'Your Jeton vouchers' });
  await expect(list).toBeVisible();
  const vouchers = list.getByRole('listitem');
  await expect(vouchers).toHaveCount(3);
  const payoutStatus = page
    .getByRole('region', { name: 'Payouts' })
    .getByRole('status')
    .filter({ hasText: /^Payout / });
  await expect(payoutStatus).toHaveText(/^Payout pout_\S+: success/);
  const payoutId = /Payout (\S+):/.exec((await payoutStatus.textContent()) ?? '')?.[1] as string;
  await steps.wholePage('vouchers');

  const entry = await ledgerEntry(request, stack, payoutId);
  expect({
    type: entry.type,
    method: entry.method,
    amount: entry.amount,
    currency: entry.currency,
    state: entry.state,
  }).toEqual({ type: 'payout', method: 'jeton', amount: 125_000, currency: 'EUR', state: 'success' });
  const issued = entry.vouchers ?? [];
  expect(issued.map((v) => v.amount)).toEqual([50_000, 50_000, 25_000]);

  // Each voucher as the sandbox issued it: number in groups of four, security code, value.
  for (const [i, v] of issued.entries()) {
    const item = vouchers.nth(i);
    await expect(item).toHaveAccessibleName(`Voucher ${i + 1} of 3`);
    await expect(
      item.getByText(v.voucherNumber.replace(/(\d{4})(?=\d)/g, '$1 '), { exact: true }),
    ).toBeVisible();
    await expect(item.getByText(v.securityCode, { exact: true })).toBeVisible();
    await expect(item.getByText(i < 2 ? '€500.00' : '€250.00', { exact: true })).toBeVisible();
    await expect(item.getByRole('button', { name: 'Copy number' })).toBeVisible();
    await expect(item.getByRole('button', { name: 'Copy security code' })).toBeVisible();
  }
}

test('Payco refund, partial then full', async ({ page, steps, stack, request }) => {
  await paycoRefunds(page, steps, stack, request);
});

test('Jeton Voucher payout of 1,250.00 EUR shows three vouchers', async ({ page, steps, stack, request }) => {
  await jetonPayout(page, steps, stack, request);
});
