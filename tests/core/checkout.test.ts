/**
 * The checkout controller in plain Node (no DOM): every path of a payment through it, on a scripted
 * client, a fake clock and a fake browser — no real timers, so it passes on a busy machine.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/core/client.ts';
import {
  FakeClient,
  fakeBrowser,
  paymentView,
  redirectAction,
  sessionView,
  settle,
  setup,
} from './checkout-support.ts';

const JETON = { method: 'jeton' as const };

describe('checkout controller', () => {
  it('loads the session, fires onReady once, and keeps the snapshot object until something changes', async () => {
    const { checkout, events, steps } = setup();
    expect(checkout.getSnapshot().step).toBe('loading');
    await settle();
    const s = checkout.getSnapshot();
    expect(s.step).toBe('select');
    expect(s.method).toBe('grabpay');
    expect(checkout.getSnapshot()).toBe(s);
    expect(Object.isFrozen(s)).toBe(true);
    expect(events).toEqual([['ready', 'ses_1']]);
    expect(steps).toEqual(['select']);
    checkout.selectMethod('jeton');
    expect(checkout.getSnapshot()).not.toBe(s);
    expect(checkout.getSnapshot().method).toBe('jeton');
    expect(events.at(-1)).toEqual(['method', { method: 'jeton', currency: 'EUR' }]);
  });

  it('success: Jeton waits, long-polls, and completes once', async () => {
    const client = new FakeClient();
    client.createAnswers = [paymentView({ id: 'pay_j' })];
    client.statusAnswers = [
      paymentView({ id: 'pay_j' }),
      paymentView({ id: 'pay_j', status: 'success', next_action: { type: 'result' } }),
    ];
    const { checkout, steps, completes, browser } = setup({ client });
    await settle();
    checkout.selectMethod('jeton');
    await checkout.submit({ currency: 'EUR', fields: {} });
    await settle();
    expect(client.creates).toHaveLength(1);
    expect(client.creates[0]!.wait).toBe(0);
    expect(client.gets[0]).toEqual({ id: 'pay_j', wait: undefined, version: undefined });
    expect(client.gets[1]!.wait).toBe(25);
    expect(browser.store.get('ecp:payment:ses_1')).toBe('pay_j');
    expect(checkout.getSnapshot().step).toBe('result');
    expect(steps).toEqual(['select', 'waiting', 'result']);
    expect(completes()).toEqual(['pay_j:success']);
    checkout.recheck();
    await settle();
    expect(completes()).toHaveLength(1);
  });

  it('redirect: the ?wait POST brings the redirect; leaves at once with onRedirect', async () => {
    const client = new FakeClient();
    client.createAnswers = [paymentView({ id: 'pay_g', method: 'grabpay', next_action: redirectAction() })];
    const { checkout, events, browser } = setup({ client });
    await settle();
    await checkout.submit({ currency: 'MYR', fields: { email: 'a@b.c' } });
    await settle();
    expect(client.creates[0]!.wait).toBe(2);
    expect(browser.navigations).toEqual([
      { url: 'https://pay.grab.example/p?t=1', method: 'POST', allowedHosts: undefined },
    ]);
    expect(events.map(([k]) => k)).toEqual(['ready', 'submit', 'redirect']);
    expect(checkout.getSnapshot()).toMatchObject({ step: 'redirect', redirect: 'redirecting' });
  });

  it("redirect hosts: without allowedHosts the session's redirect_hosts apply", async () => {
    const client = new FakeClient();
    client.session = sessionView({ redirect_hosts: ['pay.grab.example'] });
    client.createAnswers = [
      paymentView({ id: 'pay_g', next_action: redirectAction('https://evil.example/x') }),
    ];
    const { checkout, browser, events } = setup({ client });
    await settle();
    await checkout.submit({ currency: 'MYR', fields: {} });
    await settle();
    expect(browser.navigations).toEqual([]);
    expect(checkout.getSnapshot()).toMatchObject({ step: 'redirect', redirect: 'failed' });
    expect(events.at(-1)?.[0]).toBe('error');

    // An explicit list wins over the session's.
    const c2 = new FakeClient();
    c2.session = sessionView({ redirect_hosts: ['pay.grab.example'] });
    c2.createAnswers = [paymentView({ id: 'pay_g', next_action: redirectAction('https://other.example/x') })];
    const two = setup({ client: c2, redirectPolicy: { allowedHosts: ['other.example'] } });
    await settle();
    await two.checkout.submit({ currency: 'MYR', fields: {} });
    await settle();
    expect(two.browser.navigations[0]).toMatchObject({ allowedHosts: ['other.example'] });

    const c3 = new FakeClient();
    c3.session = sessionView({ redirect_hosts: ['pay.grab.example'] });
    c3.createAnswers = [paymentView({ id: 'pay_g', next_action: redirectAction() })];
    const three = setup({ client: c3 });
    await settle();
    await three.checkout.submit({ currency: 'MYR', fields: {} });
    await settle();
    expect(three.browser.navigations[0]).toMatchObject({ allowedHosts: ['pay.grab.example'] });
  });

  it('beforeRedirect returning false holds the redirect until continueRedirect', async () => {
    const client = new FakeClient();
    client.createAnswers = [paymentView({ id: 'pay_g', next_action: redirectAction() })];
    const { checkout, browser } = setup({ client, beforeRedirect: () => false });
    await settle();
    await checkout.submit({ currency: 'MYR', fields: {} });
    await settle();
    expect(checkout.getSnapshot().redirect).toBe('paused');
    expect(browser.navigations).toHaveLength(0);
    checkout.update({ beforeRedirect: () => true });
    checkout.continueRedirect();
    await settle();
    expect(browser.navigations).toHaveLength(1);
  });

  it('decline, then retry with another method: a new payment with a new key', async () => {
    const client = new FakeClient();
    client.createAnswers = [
      paymentView({ id: 'pay_1', status: 'decline', next_action: { type: 'result' } }),
      paymentView({ id: 'pay_2', status: 'success', next_action: { type: 'result' } }),
    ];
    const { checkout, completes, browser } = setup({ client });
    await settle();
    checkout.selectMethod('jeton');
    await checkout.submit({ currency: 'EUR', fields: { a: '1' } });
    await settle();
    expect(checkout.getSnapshot()).toMatchObject({ step: 'result', payment: { status: 'decline' } });
    expect(completes()).toEqual(['pay_1:decline']);
    checkout.retry();
    expect(checkout.getSnapshot()).toMatchObject({ step: 'select', fields: {}, flow: { attempt: 1 } });
    expect(browser.store.has('ecp:payment:ses_1')).toBe(false);
    checkout.selectMethod('grabpay');
    await checkout.submit({ currency: 'MYR', fields: {} });
    await settle();
    expect(client.creates.map((c) => c.req.method)).toEqual(['jeton', 'grabpay']);
    expect(client.creates[0]!.key).not.toBe(client.creates[1]!.key);
    expect(completes()).toEqual(['pay_1:decline', 'pay_2:success']);
  });

  it('Gate 5xx on submit: the error shows, and the same request again reuses its idempotency key', async () => {
    const client = new FakeClient();
    client.createAnswers = [
      new ApiError({ status: 502, code: 'gate_unavailable', message: 'Bad gateway' }),
      paymentView({ id: 'pay_j' }),
    ];
    const { checkout, events } = setup({ client });
    await settle();
    checkout.selectMethod('jeton');
    await checkout.submit({ currency: 'EUR', fields: {} });
    expect(checkout.getSnapshot()).toMatchObject({ step: 'select', submitError: 'generic' });
    expect(checkout.getSnapshot().notice).toMatchObject({ kind: 'error', error: 'generic' });
    expect(events.at(-1)).toEqual(['error', 'submit:Bad gateway']);
    await checkout.submit({ currency: 'EUR', fields: {} });
    expect(client.creates[1]!.key).toBe(client.creates[0]!.key);
    expect(checkout.getSnapshot().step).toBe('waiting');
  });

  it('Gate 502/504 while polling: backs off on the clock and carries on', async () => {
    const client = new FakeClient();
    client.createAnswers = [paymentView({ id: 'pay_j' })];
    client.statusAnswers = [
      new ApiError({ status: 502, code: 'http_error', message: 'HTTP 502' }),
      new ApiError({ status: 504, code: 'http_error', message: 'HTTP 504' }),
      paymentView({ id: 'pay_j', status: 'success', next_action: { type: 'result' } }),
    ];
    const { checkout, clock, completes } = setup({ client, polling: { retryDelayMs: 1000 } });
    await settle();
    checkout.selectMethod('jeton');
    await checkout.submit({ currency: 'EUR', fields: {} });
    await settle();
    expect(client.gets).toHaveLength(1);
    expect(checkout.getSnapshot()).toMatchObject({ step: 'waiting', polling: true, pollStopped: false });
    await clock.advance(1000);
    expect(client.gets).toHaveLength(2);
    await clock.advance(1000); // the second back-off is twice as long
    expect(client.gets).toHaveLength(2);
    await clock.advance(1000);
    expect(client.gets).toHaveLength(3);
    expect(completes()).toEqual(['pay_j:success']);
  });

  it('timeout: polling stops at maxPollMs; "check again" starts it again', async () => {
    const client = new FakeClient();
    client.createAnswers = [paymentView({ id: 'pay_j' })];
    client.statusAnswers = [paymentView({ id: 'pay_j' })];
    const { checkout, clock } = setup({ client, polling: { maxPollMs: 5000, waitSeconds: 2 } });
    await settle();
    checkout.selectMethod('jeton');
    await checkout.submit({ currency: 'EUR', fields: {} });
    await settle();
    // The long-poll hangs; the clock passes the limit, and the held request ends without news.
    expect(client.gets).toHaveLength(2);
    client.statusAnswers = [paymentView({ id: 'pay_j' })];
    await clock.advance(6000);
    checkout.recheck(); // restarts: immediate check, then a fresh loop within the limit
    await settle();
    expect(checkout.getSnapshot().timedOut).toBe(false);
    expect(client.gets.length).toBeGreaterThanOrEqual(3);
  });

  it('timeout: a backend that answers at once and never finishes times out', async () => {
    const client = new FakeClient();
    client.createAnswers = [paymentView({ id: 'pay_j' })];
    const same = paymentView({ id: 'pay_j' });
    client.statusAnswers = Array.from({ length: 40 }, () => same);
    const { checkout, clock } = setup({ client, polling: { maxPollMs: 3000 } });
    await settle();
    checkout.selectMethod('jeton');
    await checkout.submit({ currency: 'EUR', fields: {} });
    await settle();
    for (let i = 0; i < 10 && !checkout.getSnapshot().timedOut; i++) await clock.advance(500);
    expect(checkout.getSnapshot()).toMatchObject({ step: 'waiting', timedOut: true, pollStopped: true });
  });

  it('resume by payment id: the return URL, a reload (tab memory), or resume(id); not auto-redirected', async () => {
    const client = new FakeClient();
    client.statusAnswers = [paymentView({ id: 'pay_r', status: 'success', next_action: { type: 'result' } })];
    const browser = fakeBrowser();
    browser.returned = 'pay_r';
    const { checkout, completes } = setup({ client, browser });
    await settle();
    expect(checkout.getSnapshot()).toMatchObject({ step: 'result', flow: { resumed: true } });
    expect(completes()).toEqual(['pay_r:success']);

    const c2 = new FakeClient();
    c2.statusAnswers = [paymentView({ id: 'pay_x', next_action: redirectAction() })];
    const two = setup({ client: c2, autoStart: false });
    two.checkout.start();
    two.checkout.resume('pay_x');
    await settle();
    expect(two.checkout.getSnapshot()).toMatchObject({ step: 'redirect', redirect: 'paused' });
    expect(two.browser.navigations).toHaveLength(0);
    two.checkout.continueRedirect();
    await settle();
    expect(two.browser.navigations).toHaveLength(1);
  });

  it("resumes the session's open payment; ignores a payment of another session", async () => {
    const client = new FakeClient();
    client.session = sessionView({ payment: { id: 'pay_s', status: 'processing' } });
    client.statusAnswers = [paymentView({ id: 'pay_s' })];
    const { checkout } = setup({ client });
    await settle();
    expect(checkout.getSnapshot()).toMatchObject({ step: 'waiting', flow: { paymentId: 'pay_s' } });

    const c2 = new FakeClient();
    c2.statusAnswers = [paymentView({ id: 'pay_o', session_id: 'ses_other' })];
    const b2 = fakeBrowser();
    b2.store.set('ecp:payment:ses_1', 'pay_o');
    const two = setup({ client: c2, browser: b2 });
    await settle();
    expect(two.checkout.getSnapshot().step).toBe('select');
    expect(b2.store.has('ecp:payment:ses_1')).toBe(false);
  });

  it('clarification (GrabPay MYR): asks, sends the fields, follows to the result', async () => {
    const client = new FakeClient();
    const asking = paymentView({
      id: 'pay_c',
      method: 'grabpay',
      next_action: { type: 'clarification', fields: { customer: ['first_name', 'last_name'] } },
    });
    client.createAnswers = [asking];
    client.clarifyAnswer = () => paymentView({ id: 'pay_c', method: 'grabpay' });
    const { checkout, completes, browser } = setup({ client });
    await settle();
    await checkout.submit({ currency: 'MYR', fields: {} });
    await settle();
    expect(checkout.getSnapshot().step).toBe('clarification');
    client.statusAnswers = [() => paymentView({ id: 'pay_c', next_action: redirectAction() })];
    await checkout.clarify({ customer: { first_name: 'Ana', last_name: 'Lim' } });
    await settle();
    expect(client.clarifications).toEqual([{ customer: { first_name: 'Ana', last_name: 'Lim' } }]);
    expect(browser.navigations).toHaveLength(1);
    expect(completes()).toEqual([]);
  });

  it('double submit is blocked: one create request for two clicks in one tick', async () => {
    const client = new FakeClient();
    const { checkout } = setup({ client });
    await settle();
    checkout.selectMethod('jeton');
    const a = checkout.submit({ currency: 'EUR', fields: {} });
    const b = checkout.submit({ currency: 'EUR', fields: {} });
    await Promise.all([a, b]);
    expect(client.creates).toHaveLength(1);
  });

  it('onSubmit returning false stops the payment', async () => {
    const client = new FakeClient();
    const { checkout } = setup({ client, onSubmit: () => false });
    await settle();
    await checkout.submit({ currency: 'MYR', fields: {} });
    expect(client.creates).toHaveLength(0);
    expect(checkout.getSnapshot().step).toBe('select');
  });

  it('a session that does not load is an error step; "try again" loads it', async () => {
    const client = new FakeClient();
    client.session = new ApiError({ status: 0, code: 'network_error', message: 'offline' });
    const { checkout, events } = setup({ client });
    await settle();
    expect(checkout.getSnapshot()).toMatchObject({ step: 'error', error: 'network' });
    expect(events).toEqual([['error', 'session:offline']]);
    client.session = sessionView();
    checkout.recheck();
    await settle();
    expect(checkout.getSnapshot().step).toBe('select');
  });
});

describe('onComplete exactly once per payment, on every path that ends in a final state', () => {
  const final = (id: string) => paymentView({ id, status: 'success', next_action: { type: 'result' } });

  it('fresh: created and followed on this page', async () => {
    const client = new FakeClient();
    client.createAnswers = [paymentView({ id: 'pay_f' })];
    client.statusAnswers = [final('pay_f'), final('pay_f')];
    const { checkout, completes } = setup({ client });
    await settle();
    checkout.selectMethod(JETON.method);
    await checkout.submit({ currency: 'EUR', fields: {} });
    await settle();
    checkout.recheck();
    await settle();
    expect(completes()).toEqual(['pay_f:success']);
  });

  it('resumed after the return from the provider (return URL)', async () => {
    const client = new FakeClient();
    client.statusAnswers = [paymentView({ id: 'pay_ret' }), final('pay_ret')];
    const browser = fakeBrowser();
    browser.returned = 'pay_ret';
    const { completes } = setup({ client, browser });
    await settle();
    expect(completes()).toEqual(['pay_ret:success']);
  });

  it('reloaded while waiting: the new page (a new controller on the same tab memory) reports it', async () => {
    const browser = fakeBrowser();
    const c1 = new FakeClient();
    c1.createAnswers = [paymentView({ id: 'pay_w' })];
    const first = setup({ client: c1, browser });
    await settle();
    first.checkout.selectMethod('jeton');
    await first.checkout.submit({ currency: 'EUR', fields: {} });
    await settle();
    expect(first.checkout.getSnapshot().step).toBe('waiting');
    first.checkout.destroy(); // the page goes away while the long-poll is held

    const c2 = new FakeClient();
    c2.statusAnswers = [paymentView({ id: 'pay_w' }), final('pay_w')];
    const second = setup({ client: c2, browser });
    expect(second.checkout.getSnapshot().flow).toMatchObject({ phase: 'tracking', paymentId: 'pay_w' });
    await settle();
    expect(second.completes()).toEqual(['pay_w:success']);
    expect(first.completes()).toEqual([]);
    expect(c2.creates).toHaveLength(0);

    // The result page reloaded: the payment was reported in this tab already.
    const c3 = new FakeClient();
    c3.statusAnswers = [final('pay_w')];
    const third = setup({ client: c3, browser });
    await settle();
    expect(third.checkout.getSnapshot().step).toBe('result');
    expect(third.completes()).toEqual([]);
  });

  it('bfcache-restored: back from the provider, the status is checked and reported once', async () => {
    const client = new FakeClient();
    client.createAnswers = [paymentView({ id: 'pay_b', next_action: redirectAction() })];
    const { checkout, browser, completes } = setup({ client });
    await settle();
    await checkout.submit({ currency: 'MYR', fields: {} });
    await settle();
    expect(checkout.getSnapshot().flow.phase).toBe('redirecting');
    client.statusAnswers = [final('pay_b')];
    browser.restore();
    await settle();
    expect(checkout.getSnapshot()).toMatchObject({ step: 'result', flow: { resumed: true } });
    browser.restore();
    await settle();
    expect(completes()).toEqual(['pay_b:success']);
  });

  it('the Payment Page in a popup: completes once and closes the popup', async () => {
    const client = new FakeClient();
    client.statusAnswers = [
      new ApiError({ status: 404, code: 'not_found', message: 'not yet' }),
      final('pay_pp'),
    ];
    const { checkout, browser, completes, clock } = setup({
      client,
      mode: 'payment-page',
      paymentPage: 'popup',
    });
    await settle();
    await checkout.submit();
    await settle();
    expect(browser.popups[0]!.location.href).toBe('https://paymentpage.example/pay?x=1');
    expect(checkout.getSnapshot().step).toBe('waiting');
    await clock.advance(1000);
    expect(completes()).toEqual(['pay_pp:success']);
    expect(browser.popups[0]!.closed).toBe(true);
  });
});
