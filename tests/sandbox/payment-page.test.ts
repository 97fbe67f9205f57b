import { afterEach, describe, expect, it } from 'vitest';
import {
  CALLBACK_URL,
  harness,
  independentSign,
  newId,
  PROJECT,
  pressButton,
  type Harness,
} from './helpers.ts';

let h: Harness;
afterEach(() => h?.sandbox.close());

const SUCCESS_URL = 'http://shop.test/done?r=ok';
const FAIL_URL = 'http://shop.test/done?r=fail';

/** A Payment Page URL signed by the independent signer over the decoded values (frame_mode not signed). */
function ppUrl(
  params: Record<string, string | number>,
  opts: { secret?: string; frameMode?: string } = {},
): string {
  const signature = independentSign(params, opts.secret ?? PROJECT.secret);
  const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  if (opts.frameMode) q.set('frame_mode', opts.frameMode);
  q.set('signature', signature);
  return `/payment?${q.toString()}`;
}

function base(extra: Record<string, string | number> = {}): Record<string, string | number> {
  return {
    project_id: PROJECT.id,
    payment_id: newId('pp'),
    payment_amount: 10_000,
    payment_currency: 'PHP',
    customer_id: 'cust-9',
    merchant_callback_url: CALLBACK_URL,
    redirect_success_url: SUCCESS_URL,
    redirect_fail_url: FAIL_URL,
    ...extra,
  };
}

const unescape = (s: string): string =>
  s.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? '',
  );

const sessionOf = (html: string): string => /name="session" value="([0-9a-f]+)"/.exec(html)?.[1] ?? '';

function pay(fields: Record<string, string>) {
  return h.request('/payment/pay', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

describe('Payment Page emulator', () => {
  it('refuses a bad or missing signature, and an unknown project', async () => {
    h = harness();
    const params = base();
    const tampered = ppUrl(params).replace('payment_amount=10000', 'payment_amount=1');
    const bad = await h.request(tampered);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('3261');
    const wrongKey = await h.request(ppUrl(params, { secret: 'nope' }));
    expect(wrongKey.status).toBe(400);
    const unsigned = await h.request(
      `/payment?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`,
    );
    expect(unsigned.status).toBe(400);
    const unknown = await h.request(ppUrl({ ...params, project_id: 77 }));
    expect(await unknown.text()).toContain('Project not found');
  });

  it('refuses missing required parameters, a bad amount, an unknown forced method, an expired link', async () => {
    h = harness();
    const { customer_id: _c, ...noCustomer } = base();
    const r1 = await h.request(ppUrl(noCustomer));
    expect(r1.status).toBe(400);
    expect(await r1.text()).toContain('customer_id');
    const r2 = await h.request(ppUrl(base({ payment_amount: '10.00' })));
    expect(await r2.text()).toContain('payment_amount must be a positive whole number');
    const r3 = await h.request(ppUrl(base({ force_payment_method: 'card' })));
    expect(await r3.text()).toContain('force_payment_method');
    const r4 = await h.request(ppUrl(base({ best_before: '2001-01-01T00:00:00' })));
    expect(await r4.text()).toContain('expired');
  });

  it('GrabPay PHP: asks for the missing e-mail, then provider page, callback and return to the success URL', async () => {
    h = harness();
    const params = base({ force_payment_method: 'grabpay-wallet', payment_description: 'Order <7>' });
    const page = await h.request(ppUrl(params, { frameMode: 'iframe' }));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('₱100.00');
    expect(html).toContain('Order &lt;7&gt;');
    expect(html).toMatch(/<label for="field-email">E-mail<\/label>/);
    expect(html).toMatch(/name="email" value="" required/);
    expect(html).not.toContain('first_name'); // names are for MYR only
    expect(html).not.toMatch(/<script/);
    const session = sessionOf(html);

    const missing = await pay({ session, email: '' });
    expect(missing.status).toBe(400);
    const again = await missing.text();
    expect(again).toContain('There is a problem');
    expect(again).toContain('aria-invalid="true"');

    const go = await pay({ session, email: 'buyer@example.com' });
    expect(go.status).toBe(303);
    const providerUrl = new URL(go.headers.get('location') ?? '');
    expect(providerUrl.pathname).toBe('/providers/grabpay/Pay.aspx');
    // Payment Page payments send no intermediate callback to the merchant.
    await h.sandbox.idle();
    expect(h.callbacks).toHaveLength(0);

    const provider = await h.request(providerUrl.pathname + providerUrl.search);
    const done = await pressButton(h, await provider.text(), 'success');
    expect(done.headers.get('location')).toBe(SUCCESS_URL);
    await h.sandbox.idle();
    expect(h.callbacks).toHaveLength(1);
    expect(h.callbacks[0]?.url).toBe(CALLBACK_URL);
    expect(h.callbacks[0]?.body).toMatchObject({
      payment: { id: params.payment_id, status: 'success', description: 'Order <7>' },
      customer: { id: 'cust-9' },
    });
    expect(h.sandbox.ledger()[0]).toMatchObject({ via: 'payment_page', method: 'grabpay' });

    // The same payment_id again: 3041.
    const reuse = await h.request(ppUrl(params));
    expect(reuse.status).toBe(400);
    expect(await reuse.text()).toContain('3041');
  });

  it('GrabPay MYR: shows e-mail and names prefilled from customer_* for confirmation', async () => {
    h = harness();
    const page = await h.request(
      ppUrl(
        base({
          force_payment_method: 'grabpay-wallet',
          payment_currency: 'MYR',
          payment_amount: 5000,
          customer_email: 'siti@example.com',
          customer_first_name: 'Siti',
        }),
      ),
    );
    const html = await page.text();
    expect(html).toMatch(/name="email" value="siti@example.com"/);
    expect(html).toMatch(/name="first_name" value="Siti"/);
    expect(html).toMatch(/name="last_name" value=""/);
    expect(html).toContain('Last name (optional)');
  });

  it('offers a method choice when none is forced, then the Jeton voucher form; test amounts go to the fail URL', async () => {
    h = harness();
    for (const [amount, expected, status] of [
      [10_000, SUCCESS_URL, 'success'],
      [40_000, FAIL_URL, 'decline'],
    ] as const) {
      const params = base({ payment_currency: 'EUR', payment_amount: amount });
      const choice = await (await h.request(ppUrl(params))).text();
      expect(choice).toContain('Choose a payment method');
      expect(choice).toContain('value="advcash"');
      expect(choice).toContain('value="jeton"');
      expect(choice).not.toContain('value="grabpay"');
      const session = sessionOf(choice);
      const form = await (await h.request(`/payment/method?session=${session}&method=jeton`)).text();
      expect(form).toContain('Voucher number');
      expect(form).toContain('Choose another method');

      const invalid = await pay({
        session,
        method: 'jeton',
        voucher_number: '123',
        voucher_expiration: '2099',
        voucher_security_code: '1',
      });
      expect(invalid.status).toBe(400);
      const errors = await invalid.text();
      expect(errors).toContain('19 digits');
      expect(errors).toContain('MM/YYYY');

      const ok = await pay({
        session,
        method: 'jeton',
        voucher_number: '4619 4831 5389 5636 584',
        voucher_expiration: '12/2099',
        voucher_security_code: '6666',
      });
      expect(ok.status).toBe(303);
      expect(ok.headers.get('location')).toBe(expected);
      await h.sandbox.idle();
      const cb = h.callbacks.find((c) => c.body.payment.id === params.payment_id);
      expect(cb?.body).toMatchObject({ payment: { status }, account: { number: '4619483153895636584' } });
    }
  });

  it('ADVCash via advcash_direct: provider page with the ac_* fields, decline returns to the fail URL', async () => {
    h = harness();
    const params = base({ force_payment_method: 'advcash_direct', payment_currency: 'UAH' });
    const html = await (await h.request(ppUrl(params))).text();
    const go = await pay({ session: sessionOf(html) });
    const url = new URL(go.headers.get('location') ?? '');
    expect(url.pathname).toBe('/providers/advcash/sci');
    expect(url.searchParams.get('ac_amount')).toBe('100.00');
    const provider = await h.request(url.pathname + url.search);
    expect(provider.status).toBe(200);
    const done = await pressButton(h, await provider.text(), 'decline');
    expect(done.headers.get('location')).toBe(FAIL_URL);
    await h.sandbox.idle();
    expect(h.callbacks[0]?.body.payment.status).toBe('decline');
  });

  it('POST redirects: a Continue form carries the fields to the provider (no scripts)', async () => {
    h = harness({ redirectMethod: { payco: 'POST' } });
    const params = base({
      force_payment_method: 'payco-wallet',
      payment_currency: 'KRW',
      payment_amount: 1000,
    });
    const html = await (await h.request(ppUrl(params))).text();
    const go = await pay({ session: sessionOf(html) });
    expect(go.status).toBe(200);
    const cont = await go.text();
    expect(cont).toContain('<form method="post" action="http://127.0.0.1:8790/providers/payco/pay">');
    const fields = Object.fromEntries(
      [...cont.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)" \/>/g)].map((m) => [
        m[1],
        unescape(m[2] ?? ''),
      ]),
    );
    expect(fields.Amt).toBe('1000');
    const provider = await h.request('/providers/payco/pay', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields as Record<string, string>).toString(),
    });
    expect(provider.status).toBe(200);
    expect(await provider.text()).toContain('₩1,000');
  });

  it('declines an amount outside the forced method’s limits with 20101, and shows a result page without return URLs', async () => {
    h = harness();
    const {
      redirect_fail_url: _f,
      redirect_success_url: _s,
      ...params
    } = base({
      force_payment_method: 'grabpay-wallet',
      payment_amount: 1000,
    });
    const html = await (await h.request(ppUrl(params))).text();
    const go = await pay({ session: sessionOf(html), email: 'a@example.com' });
    expect(go.status).toBe(303);
    const result = new URL(go.headers.get('location') ?? '');
    expect(result.pathname).toBe('/payment/result');
    const page = await (await h.request(result.pathname + result.search)).text();
    expect(page).toContain('Payment decline');
    expect(page).toContain('20101');
    await h.sandbox.idle();
    expect(h.callbacks[0]?.body.operation.code).toBe('20101');
  });

  it('refuses a forced method that does not take the currency, and an unknown session', async () => {
    h = harness();
    const r = await h.request(ppUrl(base({ force_payment_method: 'payco-wallet' })));
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('KRW');
    const s = await pay({ session: 'deadbeef' });
    expect(s.status).toBe(400);
    expect(await s.text()).toContain('session not found');
  });
});
