import { afterEach, describe, expect, it } from 'vitest';
import {
  callbackSignatureOk,
  customer,
  general,
  harness,
  newId,
  openRedirect,
  PATHS,
  PROJECT,
  pressButton,
  PUBLIC_URL,
  RETURN,
  sales,
  type Harness,
} from './helpers.ts';

let h: Harness;
afterEach(() => h?.sandbox.close());

type Method = 'grabpay' | 'advcash' | 'payco';
const salePath: Record<Method, string> = {
  grabpay: PATHS.grabpaySale,
  advcash: PATHS.advcashSale,
  payco: PATHS.paycoSale,
};

/** Runs a redirect sale up to the provider page; returns the intermediate callback and the page. */
async function toProviderPage(method: Method, id: string, extra: Record<string, unknown> = {}) {
  const r = await h.gate(salePath[method], sales[method](id, extra));
  expect(r.body.status).toBe('success');
  await h.sandbox.idle();
  const [intermediate] = h.callbacksOf(id);
  expect(intermediate?.body.payment.status).toBe('awaiting redirect result');
  const page = await openRedirect(h, intermediate?.body.redirect_data);
  return { intermediate: intermediate as NonNullable<typeof intermediate>, page, html: await page.text() };
}

describe('redirect methods', () => {
  it('GrabPay: GET redirect with an empty body and tokenid/procid in the URL, like the seed', async () => {
    h = harness();
    const id = newId();
    const { intermediate, page, html } = await toProviderPage('grabpay', id);
    const rd = intermediate.body.redirect_data;
    expect(rd).toEqual({
      body: {},
      method: 'GET',
      url: expect.stringMatching(
        /^http:\/\/127\.0\.0\.1:8790\/providers\/grabpay\/Pay\.aspx\?tokenid=[0-9a-f]+&procid=GRPY$/,
      ),
    });
    expect(intermediate.body.operation).toMatchObject({ type: 'sale', status: 'awaiting redirect result' });
    expect(callbackSignatureOk(intermediate.body)).toBe(true);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('₱100.00');
    expect(html).not.toMatch(/<script|style=/);
    // Success is the default: first and autofocused.
    expect(html.indexOf('value="success"')).toBeLessThan(html.indexOf('value="decline"'));
    expect(html).toMatch(/value="success" class="success" autofocus/);

    const done = await pressButton(h, html, 'success');
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(RETURN.success);
    await h.sandbox.idle();
    const final = h.callbacksOf(id)[1]?.body;
    expect(final).toMatchObject({
      project_id: PROJECT.id,
      payment: {
        id,
        type: 'purchase',
        status: 'success',
        method: 'GrabPay wallet',
        sum: { amount: 10_000, currency: 'PHP' },
      },
      customer: { id: 'cust-1' },
      operation: {
        type: 'sale',
        status: 'success',
        code: '0',
        message: 'Success',
        sum_initial: { amount: 10_000, currency: 'PHP' },
        sum_converted: { amount: 10_000, currency: 'PHP' },
        provider: { id: 1369 },
      },
    });
    expect(final?.payment.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
    expect(final?.redirect_data).toBeUndefined();
    expect(h.sandbox.ledger()[0]).toMatchObject({ status: 'success', state: 'success' });
  });

  it('GrabPay decline goes to the success URL (the only return URL GrabPay has)', async () => {
    h = harness();
    const id = newId();
    const { html } = await toProviderPage('grabpay', id);
    const done = await pressButton(h, html, 'decline');
    expect(done.headers.get('location')).toBe(RETURN.success);
    await h.sandbox.idle();
    expect(h.callbacksOf(id)[1]?.body.operation).toMatchObject({ status: 'decline', code: '20000' });
  });

  it('ADVCash: GET redirect with the ac_* body; success and decline go to their return URLs', async () => {
    h = harness();
    const id = newId();
    const { intermediate, html } = await toProviderPage('advcash', id);
    const rd = intermediate.body.redirect_data;
    expect(rd.method).toBe('GET');
    expect(rd.url).toBe(`${PUBLIC_URL}/providers/advcash/sci`);
    expect(rd.body).toMatchObject({
      ac_amount: '1000.00',
      ac_currency: 'UAH',
      ac_order_id: id,
      ac_comments: 'Order 42 — тест & <ok>',
      operation_id: intermediate.body.operation.id,
      ac_success_url: RETURN.success,
      ac_fail_url: RETURN.decline,
      ac_sign: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(html).toContain('Order 42 — тест &amp; &lt;ok&gt;');
    const done = await pressButton(h, html, 'success');
    expect(done.headers.get('location')).toBe(RETURN.success);

    const id2 = newId();
    const second = await toProviderPage('advcash', id2);
    const declined = await pressButton(h, second.html, 'decline');
    expect(declined.headers.get('location')).toBe(RETURN.decline);
    await h.sandbox.idle();
    const final = h.callbacksOf(id2)[1]?.body;
    expect(final?.payment).toMatchObject({ status: 'decline', method: 'advcash' });
    expect(final?.errors).toEqual([
      { code: '20000', message: 'General decline', description: expect.any(String) },
    ]);
  });

  it('Payco: GET redirect with the provider body; Return leaves the payment waiting', async () => {
    h = harness();
    const id = newId();
    const { intermediate, html } = await toProviderPage('payco', id);
    expect(intermediate.body.redirect_data.body).toMatchObject({
      MID: `SANDBOX${PROJECT.id}`,
      EdiDate: expect.stringMatching(/^\d{14}$/),
      Amt: '1000',
      GoodsName: '테스트 주문',
      CharSet: 'utf-8',
      ReturnUrl: RETURN.return,
      SignData: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(html).toContain('₩1,000');
    const back = await pressButton(h, html, 'return');
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(RETURN.return);
    expect(h.sandbox.ledger()[0]?.status).toBe('awaiting redirect result');
    const done = await pressButton(h, html, 'decline');
    expect(done.headers.get('location')).toBe(RETURN.decline);
    // A second press (Back button) keeps the first result.
    const again = await pressButton(h, html, 'success');
    expect(again.headers.get('location')).toBe(RETURN.decline);
    await h.sandbox.idle();
    expect(h.callbacksOf(id).map((c) => c.body.payment.status)).toEqual([
      'awaiting redirect result',
      'decline',
    ]);
  });

  it('preselects Decline for the test amounts 40000 and 40400', async () => {
    h = harness();
    for (const amount of [40_000, 40_400]) {
      const id = newId();
      const { html } = await toProviderPage('advcash', id, { payment: { amount, currency: 'UAH' } });
      expect(html.indexOf('value="decline"')).toBeLessThan(html.indexOf('value="success"'));
      expect(html).toMatch(/value="decline" class="decline" autofocus/);
      expect(html).not.toMatch(/value="success" class="success" autofocus/);
    }
  });

  it('POST mode: the body travels as form fields (GrabPay’s tokenid/procid move into the body)', async () => {
    h = harness({ redirectMethod: { grabpay: 'POST', advcash: 'POST', payco: 'POST' } });
    for (const method of ['grabpay', 'advcash', 'payco'] as const) {
      const id = newId();
      const { intermediate, page, html } = await toProviderPage(method, id);
      const rd = intermediate.body.redirect_data;
      expect(rd.method).toBe('POST');
      expect(new URL(rd.url).search).toBe('');
      if (method === 'grabpay') expect(Object.keys(rd.body).sort()).toEqual(['procid', 'tokenid']);
      expect(page.status).toBe(200);
      // The same page opened with GET is refused: the widget must POST.
      const asGet = await openRedirect(h, { ...rd, method: 'GET' });
      expect(asGet.status).toBe(400);
      expect(await asGet.text()).toContain('wrong HTTP method');
      const done = await pressButton(h, html, 'success');
      expect(done.status).toBe(303);
    }
    await h.sandbox.idle();
    expect(h.sandbox.ledger().every((e) => e.status === 'success')).toBe(true);
  });

  it('refuses a provider page whose fields were dropped or mangled, listing them (GET and POST)', async () => {
    h = harness();
    const id = newId();
    const { intermediate } = await toProviderPage('advcash', id);
    const rd = intermediate.body.redirect_data;
    const { ac_sign: _dropped, ...rest } = rd.body;
    const mangled = { ...rest, ac_amount: '1000', ac_comments: 'Order 42 — тест ' };
    const res = await openRedirect(h, { ...rd, body: mangled });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('did not arrive intact');
    expect(text).toContain('Missing query field &quot;ac_sign&quot;');
    expect(text).toContain(
      'Mangled query field &quot;ac_amount&quot;: expected &quot;1000.00&quot;, got &quot;1000&quot;',
    );
    expect(text).toContain('ac_comments');
    // GrabPay: the URL's own query must survive too.
    const g = newId();
    const gp = await toProviderPage('grabpay', g);
    const url = new URL(gp.intermediate.body.redirect_data.url);
    const noProc = await h.request(`${url.pathname}?tokenid=${url.searchParams.get('tokenid')}`);
    expect(noProc.status).toBe(400);
    expect(await noProc.text()).toContain('Missing URL field &quot;procid&quot;');
    // Unknown token.
    const unknown = await h.request('/providers/grabpay/Pay.aspx?tokenid=nope&procid=GRPY');
    expect(unknown.status).toBe(404);

    h.sandbox.close();
    h = harness({ redirectMethod: { payco: 'POST' } });
    const p = newId();
    const pp = await toProviderPage('payco', p);
    const body = { ...pp.intermediate.body.redirect_data.body, Amt: '1,000' };
    const bad = await openRedirect(h, { ...pp.intermediate.body.redirect_data, body });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Mangled form field &quot;Amt&quot;');
  });
});

describe('Jeton Voucher purchases (no redirect)', () => {
  it('sends the final callback after a short delay: success, and decline for the test amounts', async () => {
    // A 1 s delay: both sales must still be processing after the second request, on a busy machine too.
    h = harness({ timeScale: 0.2 });
    const ok = newId();
    const no = newId();
    await h.gate(PATHS.jetonSale, sales.jeton(ok));
    await h.gate(PATHS.jetonSale, sales.jeton(no, { payment: { amount: 40_400, currency: 'EUR' } }));
    expect(h.sandbox.ledger().map((e) => e.status)).toEqual(['processing', 'processing']);
    await h.sandbox.idle();
    const [okCb] = h.callbacksOf(ok);
    expect(h.callbacksOf(ok)).toHaveLength(1);
    expect(okCb?.body).toMatchObject({
      payment: { status: 'success', method: 'Jeton Voucher' },
      account: { number: '8400772805885304235' },
      operation: { type: 'sale', status: 'success', code: '0', provider: { id: 1084 } },
    });
    expect(okCb?.body.redirect_data).toBeUndefined();
    expect(h.callbacksOf(no)[0]?.body.operation).toMatchObject({ status: 'decline', code: '20000' });
  });

  it('declines an expired (but well-formed) voucher by callback', async () => {
    h = harness();
    const id = newId();
    const r = await h.gate(
      PATHS.jetonSale,
      sales.jeton(id, {
        account: { number: '8400772805885304235', expiration: '07/2019', security_code: '5459' },
      }),
    );
    expect(r.body.status).toBe('success');
    await h.sandbox.idle();
    expect(h.callbacksOf(id)[0]?.body.errors[0].description).toContain('expired');
  });

  it('decide() overrules the pending result before its delay ends', async () => {
    h = harness({ timeScale: 1 });
    const id = newId();
    await h.gate(PATHS.jetonSale, sales.jeton(id));
    await h.sandbox.decide(PROJECT.id, id, 'decline');
    await h.sandbox.idle();
    expect(h.callbacksOf(id).map((c) => c.body.payment.status)).toEqual(['decline']);
  });
});

describe('payouts', () => {
  it('GrabPay payout: final callback after a delay, success and test decline', async () => {
    h = harness();
    const ok = newId();
    const no = newId();
    const body = (id: string, amount: number) => ({
      general: general(id),
      payment: { amount, currency: 'PHP', description: 'payout' },
      customer: customer(),
      account: { number: '09123456789', customer_name: 'Juan Dela Cruz' },
    });
    expect((await h.gate(PATHS.grabpayPayout, body(ok, 1000))).body.status).toBe('success');
    await h.gate(PATHS.grabpayPayout, body(no, 40_000));
    await h.sandbox.idle();
    expect(h.callbacksOf(ok)[0]?.body).toMatchObject({
      payment: { type: 'payout', status: 'success', description: 'payout' },
      account: { number: '09123456789' },
      operation: { type: 'payout', status: 'success', code: '0' },
    });
    expect(h.callbacksOf(no)[0]?.body.operation).toMatchObject({
      type: 'payout',
      status: 'decline',
      code: '20000',
    });
  });

  it('ADVCash payout to the wallet e-mail', async () => {
    h = harness();
    const id = newId();
    await h.gate(PATHS.advcashPayout, {
      general: general(id),
      payment: { amount: 700, currency: 'UAH' },
      customer: customer(),
      account: { number: 'qweqwe@gmail.com' },
    });
    await h.sandbox.idle();
    expect(h.callbacksOf(id)[0]?.body).toMatchObject({
      payment: { type: 'payout', status: 'success', method: 'advcash' },
      account: { number: 'qweqwe@gmail.com' },
    });
  });

  it('Jeton payout of 1,250.00 is split into vouchers of 500 + 500 + 250', async () => {
    h = harness();
    const id = newId();
    await h.gate(PATHS.jetonPayout, {
      general: general(id),
      payment: { amount: 125_000, currency: 'EUR' },
      customer: customer(),
    });
    await h.sandbox.idle();
    const body = h.callbacksOf(id)[0]?.body;
    expect(body?.payment).toMatchObject({
      type: 'payout',
      status: 'success',
      sum: { amount: 125_000, currency: 'EUR' },
    });
    const vouchers = body?.provider_extra_fields.vouchers as Record<string, unknown>[];
    expect(vouchers.map((v) => v.amount)).toEqual([50_000, 50_000, 25_000]);
    for (const v of vouchers) {
      expect(v).toMatchObject({
        voucherNumber: expect.stringMatching(/^\d{19}$/),
        securityCode: expect.stringMatching(/^\d{4}$/),
        expiration: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/),
        createDate: expect.stringMatching(/\+0000$/),
        currency: 'EUR',
      });
    }
    expect(callbackSignatureOk(body ?? {})).toBe(true);
    expect(h.sandbox.ledger()[0]?.vouchers).toHaveLength(3);
  });

  it('a declined Jeton payout carries no vouchers; a payout below 10.00 is declined with 20101', async () => {
    h = harness();
    const no = newId();
    const small = newId();
    await h.gate(PATHS.jetonPayout, {
      general: general(no),
      payment: { amount: 40_000, currency: 'EUR' },
      customer: customer(),
    });
    await h.gate(PATHS.jetonPayout, {
      general: general(small),
      payment: { amount: 999, currency: 'EUR' },
      customer: customer(),
    });
    await h.sandbox.idle();
    expect(h.callbacksOf(no)[0]?.body.provider_extra_fields).toBeUndefined();
    expect(h.callbacksOf(small)[0]?.body.operation.code).toBe('20101');
  });
});

describe('Payco refunds', () => {
  async function paidPayco(amount = 10_000): Promise<string> {
    const id = newId();
    const { html } = await toProviderPage('payco', id, { payment: { amount, currency: 'KRW' } });
    await pressButton(h, html, 'success');
    await h.sandbox.idle();
    return id;
  }
  const refund = (id: string, payment: Record<string, unknown>) =>
    h.gate(PATHS.paycoRefund, { general: { project_id: PROJECT.id, payment_id: id }, payment });

  it('partial then full: partially refunded, then refunded with sum 0', async () => {
    h = harness();
    const id = await paidPayco();
    const first = await refund(id, { description: 'part', amount: 4000, currency: 'KRW' });
    expect(first.body).toMatchObject({ status: 'success', payment_id: id });
    await h.sandbox.idle();
    const part = h.callbacksOf(id)[2]?.body;
    expect(part).toMatchObject({
      payment: { status: 'partially refunded', sum: { amount: 6000, currency: 'KRW' } },
      operation: {
        type: 'refund',
        status: 'success',
        request_id: first.body.request_id,
        sum_initial: { amount: 4000 },
      },
    });
    const rest = await refund(id, { description: 'the rest' });
    expect(rest.body.status).toBe('success');
    await h.sandbox.idle();
    expect(h.callbacksOf(id)[3]?.body).toMatchObject({
      payment: { status: 'refunded', sum: { amount: 0, currency: 'KRW' } },
      operation: { type: 'refund', status: 'success', sum_initial: { amount: 6000 } },
    });
    expect(h.sandbox.ledger()[0]).toMatchObject({
      status: 'refunded',
      state: 'refunded',
      refunded_amount: 10_000,
    });
    expect(h.sandbox.ledger()[0]?.operations.map((o) => o.type)).toEqual(['sale', 'refund', 'refund']);
    // Nothing left to refund.
    expect((await refund(id, { description: 'again' })).body.code).toBe('3005');
  });

  it('a full refund at once', async () => {
    h = harness();
    const id = await paidPayco(5000);
    await refund(id, { description: 'all' });
    await h.sandbox.idle();
    expect(h.callbacksOf(id).at(-1)?.body.payment).toMatchObject({ status: 'refunded', sum: { amount: 0 } });
  });

  it('declines a refund above what is left, by callback; the payment stays paid', async () => {
    h = harness();
    const id = await paidPayco(5000);
    const r = await refund(id, { description: 'too much', amount: 6000, currency: 'KRW' });
    expect(r.body.status).toBe('success');
    await h.sandbox.idle();
    expect(h.callbacksOf(id).at(-1)?.body).toMatchObject({
      payment: { status: 'success' },
      operation: { type: 'refund', status: 'decline', code: '20000' },
    });
  });

  it('refuses refunds that cannot be made', async () => {
    h = harness();
    const id = await paidPayco();
    expect((await refund(id, { amount: 100, currency: 'KRW' })).body).toMatchObject({
      code: '3003',
      field: 'payment.description',
    });
    expect((await refund(id, { description: 'x', amount: 100 })).body).toMatchObject({
      code: '3003',
      field: 'payment.currency',
    });
    expect((await refund(id, { description: 'x', currency: 'KRW' })).body).toMatchObject({
      field: 'payment.amount',
    });
    expect((await refund(id, { description: 'x', amount: 100, currency: 'USD' })).body.code).toBe('3004');
    expect((await refund('unknown', { description: 'x' })).body.code).toBe('3061');
    // Not paid yet.
    const waiting = newId();
    await toProviderPage('payco', waiting);
    expect((await refund(waiting, { description: 'x' })).body.code).toBe('3005');
    // Not a Payco payment.
    const g = newId();
    await h.gate(PATHS.jetonSale, sales.jeton(g));
    await h.sandbox.idle();
    expect((await refund(g, { description: 'x' })).body.code).toBe('3005');
  });
});

describe('GrabPay MYR clarification', () => {
  const myr = (id: string, c: Record<string, unknown> = {}) =>
    sales.grabpay(id, { payment: { amount: 5000, currency: 'MYR' }, customer: customer(c) });
  const clarify = (id: string, additional: unknown) =>
    h.gate(PATHS.clarification, {
      general: { project_id: PROJECT.id, payment_id: id },
      additional_data: additional,
    });

  it('asks for the missing names by callback, then continues to the redirect after a valid clarification', async () => {
    h = harness();
    const id = newId();
    await h.gate(PATHS.grabpaySale, myr(id, { email: 'a@example.com' }));
    await h.sandbox.idle();
    const [ask] = h.callbacksOf(id);
    expect(ask?.body).toMatchObject({
      payment: { status: 'awaiting clarification' },
      operation: { status: 'awaiting clarification', code: '3191' },
      clarification_fields: { customer: ['first_name', 'last_name'] },
    });
    expect(ask?.body.redirect_data).toBeUndefined();

    expect((await clarify(id, { customer: { first_name: 'Siti' } })).body).toMatchObject({
      code: '3003',
      field: 'additional_data.customer.last_name',
    });
    expect((await clarify(id, { customer: { first_name: 'Siti', last_name: '12' } })).body.code).toBe('3003');
    expect((await clarify(id, undefined)).body).toMatchObject({ code: '3003', field: 'additional_data' });

    const ok = await clarify(id, { customer: { first_name: ' Siti ', last_name: 'Nurhaliza' } });
    expect(ok.body).toMatchObject({ status: 'success', payment_id: id });
    // Only once.
    expect((await clarify(id, { customer: { first_name: 'A', last_name: 'B' } })).body.code).toBe('3005');
    await h.sandbox.idle();
    const [, redirect] = h.callbacksOf(id);
    expect(redirect?.body.payment.status).toBe('awaiting redirect result');
    const page = await openRedirect(h, redirect?.body.redirect_data);
    const done = await pressButton(h, await page.text(), 'success');
    expect(done.status).toBe(303);
    await h.sandbox.idle();
    expect(h.sandbox.ledger()[0]?.state).toBe('success');
  });

  it('also asks for the e-mail when it is missing; no clarification when all three are given', async () => {
    h = harness();
    const a = newId();
    const b = newId();
    await h.gate(PATHS.grabpaySale, myr(a));
    await h.gate(PATHS.grabpaySale, myr(b, { email: 'x@example.com', first_name: 'Siti', last_name: 'Nur' }));
    await h.sandbox.idle();
    expect(h.callbacksOf(a)[0]?.body.clarification_fields).toEqual({
      customer: ['email', 'first_name', 'last_name'],
    });
    expect(h.callbacksOf(b)[0]?.body.payment.status).toBe('awaiting redirect result');
  });

  it('refuses clarification for a payment that did not ask, or does not exist', async () => {
    h = harness();
    const id = newId();
    await h.gate(PATHS.grabpaySale, sales.grabpay(id));
    await h.sandbox.idle();
    expect((await clarify(id, { customer: { first_name: 'A', last_name: 'B' } })).body.code).toBe('3005');
    expect((await clarify('nope', { customer: {} })).body.code).toBe('3061');
  });
});

describe('status requests', () => {
  it('answer signed, in callback shape, with the ledger’s current state', async () => {
    h = harness({ timeScale: 0.1 });
    const id = newId();
    await h.gate(PATHS.advcashSale, sales.advcash(id));
    const early = await h.gate(PATHS.status, { general: { project_id: PROJECT.id, payment_id: id } });
    expect(early.status).toBe(200);
    expect(early.body.payment.status).toBe('processing');
    await h.sandbox.idle();
    const waiting = await h.gate(PATHS.status, { general: { project_id: PROJECT.id, payment_id: id } });
    expect(waiting.body).toMatchObject({
      payment: { status: 'awaiting redirect result' },
      redirect_data: { method: 'GET' },
    });
    expect(callbackSignatureOk(waiting.body)).toBe(true);
    await h.sandbox.decide(PROJECT.id, id, 'success');
    const done = await h.gate(PATHS.status, { general: { project_id: PROJECT.id, payment_id: id } });
    expect(done.body).toMatchObject({
      payment: { status: 'success' },
      operation: { status: 'success', code: '0' },
    });
    expect(done.body.redirect_data).toBeUndefined();
  });
});

describe('sandbox endpoints', () => {
  it('GET /_sandbox/ledger lists payments with both status spellings, filterable', async () => {
    h = harness();
    const a = newId();
    const b = newId();
    await h.gate(PATHS.jetonSale, sales.jeton(a));
    await h.gate(PATHS.grabpaySale, sales.grabpay(b));
    await h.sandbox.idle();
    const res = await h.request('/_sandbox/ledger');
    const all = (await res.json()) as Record<string, unknown>[];
    expect(all).toHaveLength(2);
    expect(all[0]).toMatchObject({
      project_id: PROJECT.id,
      payment_id: a,
      type: 'purchase',
      method: 'jeton',
      via: 'gate',
      amount: 10_000,
      currency: 'EUR',
      status: 'success',
      state: 'success',
      refunded_amount: 0,
      callbacks: { created: 1, sent: 1, acknowledged: 1, dropped: 0, failed: 0 },
    });
    expect(all[1]).toMatchObject({ status: 'awaiting redirect result', state: 'awaiting_redirect' });
    const one = (await (await h.request(`/_sandbox/ledger?payment_id=${b}`)).json()) as unknown[];
    expect(one).toHaveLength(1);
  });

  it('POST /_sandbox/payments/:project/:payment/decide works like the provider page button', async () => {
    h = harness();
    const id = newId();
    await h.gate(PATHS.paycoSale, sales.payco(id));
    const early = await h.request(`/_sandbox/payments/${PROJECT.id}/${id}/decide`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ result: 'success' }),
    });
    expect(early.status).toBe(409);
    await h.sandbox.idle();
    const res = await h.request(`/_sandbox/payments/${PROJECT.id}/${id}/decide`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ result: 'decline' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ payment_id: id, status: 'decline' });
    const bad = await h.request(`/_sandbox/payments/${PROJECT.id}/${id}/decide`, {
      method: 'POST',
      body: '{}',
    });
    expect(bad.status).toBe(400);
    const missing = await h.request(`/_sandbox/payments/${PROJECT.id}/nope/decide`, {
      method: 'POST',
      body: JSON.stringify({ result: 'success' }),
    });
    expect(missing.status).toBe(404);
    await expect(h.sandbox.decide(PROJECT.id, 'nope', 'success')).rejects.toThrow(/No payment/);
  });

  it('serves /health and the stylesheet', async () => {
    h = harness();
    expect(await (await h.request('/health')).json()).toEqual({ status: 'ok' });
    const css = await h.request('/assets/sandbox.css');
    expect(css.headers.get('content-type')).toContain('text/css');
  });
});
