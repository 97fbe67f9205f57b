// The custom element demo page's own script: plain JavaScript, no framework, no build step. The page runs
// under `script-src 'self'; style-src 'self'`, so this lives in a file. It creates an order (one session),
// then adds <ecommpay-checkout> and lets the buttons remove and add it again; every event it sends is
// listed under "Events" (and kept in `window.checkoutEvents` for the tests).
(function () {
  'use strict';
  var events = (window.checkoutEvents = []);
  var host = document.getElementById('host');
  var log = document.getElementById('log');
  var errorEl = document.getElementById('error');
  var attrs = null;

  ['ready', 'method-change', 'submit', 'redirect', 'complete', 'error'].forEach(function (type) {
    document.addEventListener(type, function (e) {
      // The element's own events only (a form's native `submit` inside it bubbles too).
      if (!(e instanceof CustomEvent) || e.target.localName !== 'ecommpay-checkout') return;
      events.push({ type: type, detail: e.detail });
      var item = document.createElement('li');
      item.textContent = type + (type === 'complete' ? ': ' + e.detail.status : '');
      log.appendChild(item);
      if (type === 'complete') document.documentElement.setAttribute('data-payment-status', e.detail.status);
    });
  });

  function add() {
    if (!attrs || host.querySelector('ecommpay-checkout')) return;
    var el = document.createElement('ecommpay-checkout');
    el.setAttribute('session-id', attrs.sessionId);
    el.setAttribute('api-base-url', attrs.apiBaseUrl);
    el.setAttribute('locale', 'en');
    host.appendChild(el);
  }
  function remove() {
    var el = host.querySelector('ecommpay-checkout');
    if (el) el.remove();
  }
  document.getElementById('add').addEventListener('click', add);
  document.getElementById('remove').addEventListener('click', remove);

  function json(res) {
    return res.json().then(function (body) {
      if (!res.ok) throw new Error((body.error && body.error.message) || 'HTTP ' + res.status);
      return body;
    });
  }
  fetch('/shop/api/config')
    .then(json)
    .then(function (config) {
      return fetch('/shop/api/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          cart: new URLSearchParams(location.search).get('cart') || 'eu-25',
          page: 'embed',
        }),
      })
        .then(json)
        .then(function (o) {
          attrs = { sessionId: o.session_id, apiBaseUrl: config.backendUrl };
          add();
        });
    })
    .catch(function (e) {
      errorEl.textContent = e && e.message ? e.message : String(e);
    });
})();
