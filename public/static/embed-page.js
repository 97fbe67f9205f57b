/* global EcommpayCheckout */
// The embed demo page's own script: plain JavaScript, no build step, as a merchant would write it.
// The page runs under `script-src 'self'; style-src 'self'`, so this lives in a file, not inline.
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var errorEl = document.getElementById('error');
  function fail(e) {
    errorEl.textContent = e && e.message ? e.message : String(e);
  }
  function json(res) {
    return res.json().then(function (body) {
      if (!res.ok) throw new Error((body.error && body.error.message) || 'HTTP ' + res.status);
      return body;
    });
  }
  function mount(config, sessionId, session) {
    window.ecpWidget = EcommpayCheckout.mount(document.getElementById('checkout'), {
      sessionId: sessionId,
      // A new order's session, as the shop's server got it: shown without asking the backend again.
      session: session,
      apiBaseUrl: config.backendUrl,
      locale: params.get('lang') || navigator.language,
      redirectPolicy: { devHosts: ['127.0.0.1', 'localhost'] },
      showUnavailable: true,
      onComplete: function (p) {
        document.documentElement.setAttribute('data-payment-status', p.status);
      },
    });
  }
  fetch('/shop/api/config')
    .then(json)
    .then(function (config) {
      var order = params.get('order');
      if (order) {
        return fetch('/shop/api/orders/' + encodeURIComponent(order))
          .then(json)
          .then(function (o) {
            mount(config, o.session_id);
          });
      }
      var form = document.getElementById('cart');
      var list = document.getElementById('carts');
      Object.keys(config.carts).forEach(function (id, i) {
        var label = document.createElement('label');
        label.className = 'page__option';
        var input = document.createElement('input');
        input.type = 'radio';
        input.name = 'cart';
        input.value = id;
        input.checked = i === 0;
        var text = document.createElement('span');
        text.textContent = config.carts[id].label + ' — ' + config.carts[id].description;
        label.appendChild(input);
        label.appendChild(text);
        list.appendChild(label);
      });
      form.hidden = false;
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        var cart = form.querySelector('input[name=cart]:checked').value;
        fetch('/shop/api/orders', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ cart: cart, page: 'embed' }),
        })
          .then(json)
          .then(function (o) {
            history.replaceState(null, '', '?order=' + o.order_id);
            form.hidden = true;
            mount(config, o.session_id, o.session);
          })
          .catch(fail);
      });
    })
    .catch(fail);
})();
