// From the Adyen anchor (shared/research/adyen-anchor.md, section 6), verbatim except onSubmit.
// Shared config for the Adyen Drop-in anchor pages (no network needed: paymentMethodsResponse is local).
// onSubmit (the anchor rejects): Adyen's advanced flow as a merchant writes it: POST the state to the merchant's
// server (here a stub on the page's own origin, see server.mjs: POST /adyen/payments, loopback, no Adyen API behind
// it) and resolve with its /payments-style answer, whose `action` (type redirect, GET) Drop-in then performs with
// window.location.assign. Only used by the Pay phase of the benchmark; the ready phase never reaches it.
export const REDIRECT_METHODS = [
  { name: 'GrabPay', type: 'grabpay_PH' },
  { name: 'GrabPay', type: 'grabpay_MY' },
  { name: 'PAYCO', type: 'kcp_payco' },
  { name: 'GCash', type: 'gcash' },
];
export const CARD_METHOD = { name: 'Cards', type: 'scheme', brands: ['visa', 'mc', 'amex'] };

export async function mountDropin({ AdyenCheckout, Dropin, components, paymentMethods }) {
  const checkout = await AdyenCheckout({
    environment: 'test',
    clientKey: 'test_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
    locale: 'en-US',
    countryCode: 'PH',
    amount: { value: 100000, currency: 'PHP' },
    paymentMethodsResponse: { paymentMethods },
    onSubmit: (state, component, actions) => {
      performance.mark('widget:onSubmit');
      fetch('/adyen/payments' + location.search, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(state.data),
      })
        .then((r) => r.json())
        .then(
          (res) => actions.resolve(res),
          () => actions.reject(),
        );
    },
    onError: (e) => {
      (window.__adyenErrors ||= []).push(String((e && e.message) || e));
    },
  });
  performance.mark('widget:core-ready');
  new Dropin(checkout, {
    paymentMethodComponents: components,
    onReady: () => {
      performance.mark('widget:onReady');
    },
  }).mount('#root');
  performance.mark('widget:mount-called');
}
