/**
 * Page objects: the two demo shop pages (the React SPA at `/` and the script-tag embed at `/embed.html`,
 * the same widget either way), the sandbox's provider pages, and what the sandbox and the backend say
 * about a payment (the ledger, the session's payments).
 */
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import type { PaymentView } from '../src/core/api.ts';
import { DEMO_CARTS, type CartId } from '../src/demo/merchant-server.ts';
import type { LedgerEntry } from '../src/sandbox/types.ts';
import { expect, type Steps } from './fixtures.ts';
import { demoUrl, sandboxUrl, type Stack } from './stack.ts';

export type Surface = 'spa' | 'embed';
export const SURFACES: readonly Surface[] = ['spa', 'embed'];
export const SURFACE_NAME: Record<Surface, string> = { spa: 'SPA', embed: 'embed page' };

export type MethodLabel = 'GrabPay' | 'ADVCash' | 'Payco' | 'Jeton Voucher';
export type ProviderName = 'GrabPay' | 'ADVCash' | 'PAYCO';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Shop {
  /** The widget's root (`.ecp-root`, with the live region). */
  readonly root: Locator;
  /** The widget's steps (`role=group` "Checkout"): what the shopper sees, without the live region's copy. */
  readonly widget: Locator;

  constructor(
    readonly page: Page,
    readonly surface: Surface,
    readonly stack: Stack,
    readonly steps: Steps,
  ) {
    this.root = page.locator('.ecp-root');
    this.widget = this.root.getByRole('group', { name: 'Checkout' });
  }

  get path(): string {
    return this.surface === 'spa' ? '/' : '/embed.html';
  }

  get url(): string {
    return `${demoUrl(this.stack)}${this.path}`;
  }

  /** This shop page with an order in the address bar (and maybe the return parameters). */
  get orderUrlPattern(): RegExp {
    return new RegExp(`^${escape(this.url)}\\?order=ord_`);
  }

  /** The heading of the widget's current step ("Choose a payment method", "Payment successful", …). */
  stepHeading(name: string | RegExp): Locator {
    return this.widget.getByRole('heading', { level: 2, name });
  }

  get payButton(): Locator {
    return this.widget.getByRole('button', { name: /^Pay / });
  }

  methodRadio(label: MethodLabel): Locator {
    return this.widget.getByRole('radio', { name: new RegExp(`^${escape(label)} `) });
  }

  /**
   * Picks the cart on the shop page and goes to the checkout; resolves when the method form is shown.
   * Screenshots the method step, with axe if `axe` (pay.spec.ts checks every cart's; a11y.spec.ts the
   * dark theme's).
   */
  async open(cart: CartId, opts: { axe?: boolean; email?: string } = {}): Promise<void> {
    await this.page.goto(this.path);
    const c = DEMO_CARTS[cart];
    await this.page.getByRole('radio', { name: `${c.label} — ${c.description}`, exact: true }).check();
    // The SPA's order form takes the shopper's e-mail (it becomes the session's customer e-mail).
    if (opts.email) await this.page.getByRole('textbox', { name: /^E-mail/ }).fill(opts.email);
    await this.page.getByRole('button', { name: 'Go to checkout' }).click();
    await expect(this.page).toHaveURL(/[?&]order=ord_/);
    await expect(this.stepHeading('Choose a payment method')).toBeVisible();
    // The form comes once the widget has selected its default method (method-choice.spec.ts checks a
    // method picked before that).
    await expect(this.payButton).toBeVisible();
    await this.steps.widget('methods', { axe: opts.axe === true });
  }

  async chooseMethod(label: MethodLabel): Promise<void> {
    const radio = this.methodRadio(label);
    await radio.check();
    await expect(radio).toBeChecked();
    await expect(this.payButton).toBeVisible();
  }

  async fillGrabPayEmail(email = 'ana.santos@example.com'): Promise<void> {
    await this.widget.getByRole('textbox', { name: 'E-mail' }).fill(email);
  }

  async fillGrabPayNames(first = 'Siti', last = 'Aminah'): Promise<void> {
    await this.widget.getByRole('textbox', { name: /^First name/ }).fill(first);
    await this.widget.getByRole('textbox', { name: /^Last name/ }).fill(last);
  }

  /** A valid Jeton voucher; the number is shown in groups of four and the expiry gets its slash. */
  async fillVoucher(v: { number?: string; expiry?: string; code?: string } = {}): Promise<void> {
    const year = new Date().getUTCFullYear() + 3;
    const number = v.number ?? '4619123456789012345';
    const expiry = v.expiry ?? `12${year}`;
    await this.widget.getByRole('textbox', { name: 'Voucher number' }).fill(number);
    await this.widget.getByRole('textbox', { name: 'Expiry date' }).fill(expiry);
    await this.widget.getByRole('textbox', { name: 'Security code' }).fill(v.code ?? '1234');
    if (v.number === undefined) {
      await expect(this.widget.getByRole('textbox', { name: 'Voucher number' })).toHaveValue(
        '4619 1234 5678 9012 345',
      );
      await expect(this.widget.getByRole('textbox', { name: 'Expiry date' })).toHaveValue(`12/${year}`);
    }
  }

  /** The payment id the result step shows ("Reference: pay_…"). */
  async referenceId(): Promise<string> {
    const text = await this.widget.getByText(/^Reference: /).textContent();
    const id = /Reference: (\S+)/.exec(text ?? '')?.[1];
    expect(id, 'the result shows the payment reference').toMatch(/^pay_/);
    return id as string;
  }

  orderId(): string {
    const id = new URL(this.page.url()).searchParams.get('order');
    expect(id, 'the order id is in the address bar').toBeTruthy();
    return id as string;
  }

  async sessionId(request: APIRequestContext): Promise<string> {
    const r = await request.get(`${demoUrl(this.stack)}/shop/api/orders/${this.orderId()}`);
    expect(r.status()).toBe(200);
    return ((await r.json()) as { session_id: string }).session_id;
  }

  /** The result step: heading, message, and the payment id it shows. */
  async expectResult(
    outcome: 'success' | 'decline',
    text: { amount?: string; method?: string } = {},
    opts: { onComplete?: boolean } = {},
  ): Promise<string> {
    if (outcome === 'success') {
      await expect(this.stepHeading('Payment successful')).toBeVisible();
      await expect(this.widget.getByText(`You paid ${text.amount} with ${text.method}.`)).toBeVisible();
    } else {
      await expect(this.stepHeading('Payment declined')).toBeVisible();
      await expect(this.widget.getByText('The payment was declined. No money was taken.')).toBeVisible();
      await expect(this.widget.getByRole('button', { name: 'Try again' })).toBeVisible();
      await expect(this.widget.getByRole('button', { name: 'Pick another method' })).toBeVisible();
    }
    const id = await this.referenceId();
    if (this.surface === 'embed') {
      // The embed page's onComplete handler marks the document: the event reached the merchant's code
      // (or, with `onComplete: false`, did not fire a second time for the same payment).
      const html = this.page.locator('html');
      if (opts.onComplete === false) await expect(html).not.toHaveAttribute('data-payment-status');
      else await expect(html).toHaveAttribute('data-payment-status', outcome);
    }
    return id;
  }

  /** After a provider page: back on this shop page with the return parameters. */
  async expectReturned(paymentId: string, result: 'success' | 'decline' | 'return'): Promise<void> {
    await expect(this.page).toHaveURL(this.orderUrlPattern);
    const url = new URL(this.page.url());
    expect(url.searchParams.get('ecp_payment')).toBe(paymentId);
    expect(url.searchParams.get('ecp_result')).toBe(result);
  }
}

export class ProviderPage {
  constructor(
    readonly page: Page,
    readonly stack: Stack,
  ) {}

  /** On the sandbox's page of `provider`, showing `amount`. Returns the payment id the page names. */
  async expectOpen(provider: ProviderName, amount: string): Promise<string> {
    await expect(this.page).toHaveURL((u) => u.origin === sandboxUrl(this.stack));
    await expect(this.page).toHaveURL(/\/providers\//);
    await expect(this.page.getByRole('heading', { level: 1, name: `${provider} (sandbox)` })).toBeVisible();
    await expect(this.page.locator('#amount')).toHaveText(amount);
    const id = await this.page.locator('dt:text-is("Payment") + dd').textContent();
    expect(id).toMatch(/^pay_/);
    return id as string;
  }

  get success(): Locator {
    return this.page.getByRole('button', { name: 'Success', exact: true });
  }

  get decline(): Locator {
    return this.page.getByRole('button', { name: 'Decline', exact: true });
  }

  get returnToShop(): Locator {
    return this.page.getByRole('button', { name: 'Return to the shop' });
  }
}

/** What the sandbox decided about a payment (`GET /_sandbox/ledger?payment_id=`). */
export async function ledgerEntry(
  request: APIRequestContext,
  stack: Stack,
  paymentId: string,
): Promise<LedgerEntry> {
  const r = await request.get(`${sandboxUrl(stack)}/_sandbox/ledger`, { params: { payment_id: paymentId } });
  expect(r.status()).toBe(200);
  const entries = (await r.json()) as LedgerEntry[];
  expect(entries, `one ledger entry for ${paymentId}`).toHaveLength(1);
  return entries[0] as LedgerEntry;
}

/** Every ledger entry of the given payment ids. */
export async function ledgerEntries(
  request: APIRequestContext,
  stack: Stack,
  paymentIds: readonly string[],
): Promise<LedgerEntry[]> {
  const r = await request.get(`${sandboxUrl(stack)}/_sandbox/ledger`);
  expect(r.status()).toBe(200);
  const all = (await r.json()) as LedgerEntry[];
  return all.filter((e) => paymentIds.includes(e.payment_id));
}

/** The backend's payments of a checkout session, through the demo merchant server's console API. */
export async function sessionPayments(
  request: APIRequestContext,
  stack: Stack,
  sessionId: string,
): Promise<PaymentView[]> {
  const r = await request.get(`${demoUrl(stack)}/shop/api/payments`, {
    params: { session_id: sessionId, limit: 100 },
  });
  expect(r.status()).toBe(200);
  return ((await r.json()) as { data: PaymentView[] }).data;
}

/**
 * The session has exactly one payment, at the backend and at the Gate, in `state`: nothing was paid
 * twice. Returns it.
 */
export async function expectSinglePayment(
  request: APIRequestContext,
  shop: Shop,
  state: string,
): Promise<{ payment: PaymentView; entry: LedgerEntry }> {
  const sessionId = await shop.sessionId(request);
  const payments = await sessionPayments(request, shop.stack, sessionId);
  expect(
    payments.map((p) => `${p.id}: ${p.status}`),
    'one payment at the backend',
  ).toHaveLength(1);
  const payment = payments[0] as PaymentView;
  expect(payment.status).toBe(state);
  const entries = await ledgerEntries(
    request,
    shop.stack,
    payments.map((p) => p.id),
  );
  expect(entries, 'one payment at the Gate').toHaveLength(1);
  const entry = entries[0] as LedgerEntry;
  expect(entry.state).toBe(state);
  expect(
    entry.operations.filter((o) => o.type === 'sale'),
    'one sale operation',
  ).toHaveLength(1);
  return { payment, entry };
}
