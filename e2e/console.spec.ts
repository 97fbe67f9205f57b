/**
 * The merchant console (/console.html): a Payco refund, partial then full, and a Jeton Voucher payout of
 * 1,250.00 EUR shown as three vouchers — each checked against the backend and the sandbox's ledger; a
 * payment found by the customer's e-mail with its history; a bulk payout file with a bad row.
 */
import type { APIRequestContext, Page } from '@playwright/test';
import type { PaymentView } from '../src/core/api.ts';
import { methodCase } from './cases.ts';
import { expect, test, type Steps } from './fixtures.ts';
import { payToOutcome } from './flows.ts';
import { ledgerEntry, Shop } from './shop.ts';
import { backendUrl, demoUrl, type Stack } from './stack.ts';

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
  const status = row.getByRole('cell').nth(6);
  await expect(row.getByRole('cell', { name: 'Payco', exact: true })).toBeVisible();
  await expect(row.getByRole('cell', { name: '₩25,000', exact: true })).toBeVisible();
  await expect(status).toHaveText('Succeeded');
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
  await expectStatus('Partially refunded₩5,000 refunded');
  await steps.wholePage('partially refunded');

  // Full: what is left.
  await row.getByRole('button', { name: 'Refund all' }).click();
  await expectStatus('Refunded₩25,000 refunded');
  await expect(row.getByRole('button', { name: /^Refund/ }), 'nothing left to refund').toHaveCount(0);
  await expect(row.getByRole('cell').nth(7), 'the Actions cell says why').toHaveText('Fully refunded');
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
  await expect(payoutStatus).toHaveText(/^Payout pout_\S+: Succeeded$/);
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

test('finds a payment by the customer’s e-mail and shows its history', async ({
  page,
  steps,
  stack,
  request,
}) => {
  const email = `ops.${Date.now()}@example.com`;
  const order = await request.post(`${demoUrl(stack)}/shop/api/orders`, {
    data: { cart: 'kr-25000', email },
  });
  const { session_id } = (await order.json()) as { session_id: string };
  const pay = await request.post(`${backendUrl(stack)}/api/sessions/${session_id}/payments`, {
    data: { method: 'payco', currency: 'KRW' },
    headers: { 'idempotency-key': `e2e-${Date.now()}` },
  });
  const { id } = (await pay.json()) as PaymentView;
  // The Gate's first callback (the redirect) is in the history before the console opens it.
  await expect(async () => {
    const h = await request.get(`${demoUrl(stack)}/shop/api/payments/${id}/history`);
    const body = (await h.json()) as { events: { kind: string }[] };
    expect(body.events.map((e) => e.kind)).toContain('callback');
  }).toPass({ timeout: 15_000 });
  await openConsole(page, steps);

  const search = page.getByRole('search', { name: 'Payments' });
  await search.getByRole('searchbox', { name: 'Search' }).fill(email.toUpperCase());
  await search.getByRole('button', { name: 'Search' }).click();
  const rows = page.getByRole('table').first().getByRole('row');
  await expect(rows).toHaveCount(2);
  const row = rows.nth(1);
  await expect(row.getByRole('cell', { name: email, exact: true })).toBeVisible();
  await expect(row.getByRole('cell', { name: 'Payco', exact: true })).toBeVisible();
  await row.getByRole('button', { name: id, exact: true }).click();

  const history = page.getByRole('region', { name: `Payment ${id}` });
  await expect(history.getByRole('heading', { name: `Payment ${id}` })).toBeFocused();
  const events = history.getByRole('list', { name: 'History' }).getByRole('listitem');
  await expect(events.first()).toContainText('Purchase request sent to the Gate');
  await expect(events.filter({ hasText: 'Gate callback' }).first()).toBeVisible();
  await expect(events.last()).toContainText('Current status');
  // With a webhook endpoint configured (the demo's own, once it has one) the events are listed with a
  // Resend action; without one the section says there are none.
  await expect(history.getByRole('heading', { name: 'Webhooks' })).toBeVisible();
  await expect(
    history
      .getByRole('list', { name: 'Webhook events' })
      .or(history.getByText('No webhook events for this payment (is an endpoint configured?).')),
  ).toBeVisible();
  await steps.wholePage('history');
});

test('a bulk payout file: the bad row listed by line, the rest sent', async ({ page, steps }) => {
  await openConsole(page, steps);
  const bulk = page.getByRole('region', { name: 'Bulk upload' });
  const tag = Date.now();
  const csv = [
    'method,currency,amount,customer_id,account,name,email,description',
    `grabpay,PHP,150.00,e2e-${tag}-1,09171234567,Juan Dela Cruz,,Prize`,
    `grabpay,PHP,150.00,e2e-${tag}-2,0812345678,Ana Santos,,Prize`,
    `advcash,USD,25.00,e2e-${tag}-3,payee@example.com,,,Cashback`,
  ].join('\n');
  await bulk
    .getByLabel('CSV file')
    .setInputFiles({ name: 'prizes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const check = bulk.getByRole('region', { name: 'File check' });
  await expect(check.getByRole('status')).toHaveText('3 rows: 2 ready, 1 with errors (not run).');
  const errors = check.getByRole('table', { name: 'Rows with errors' }).getByRole('row');
  await expect(errors).toHaveCount(2);
  await expect(errors.nth(1)).toHaveText('3accountA GrabPay account number has 11 digits and starts with 09');
  await steps.wholePage('bulk check');
  await check.getByRole('button', { name: 'Send 2 payouts' }).click();
  const batch = bulk.getByRole('region', { name: /^Batch bat_/ });
  await expect(batch.getByRole('status')).toHaveText('Done: 2 of 2 rows sent; 1 rows with errors not run', {
    timeout: 20_000,
  });
  const results = batch.getByRole('table', { name: 'Batch results' }).getByRole('row');
  await expect(results).toHaveCount(3);
  await expect(results.nth(1).getByRole('cell').first()).toHaveText('2');
  await expect(results.nth(2).getByRole('cell').first()).toHaveText('4');
  await expect(batch.getByRole('link', { name: 'Download results (CSV)' })).toBeVisible();
  await steps.wholePage('bulk sent');
});
