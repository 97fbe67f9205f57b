// "Pay enabled" probe (added to the anchor's harness for this benchmark; issue 13), inlined after pay-probe.js.
// Mark, on the page's own clock: 'widget:pay-enabled' - the first animation frame in which the chosen method's form
// and its Pay button are usable: an element matching data-pay-selector is enabled (no disabled / aria-disabled, not
// inside [inert] or [aria-busy=true] - our list is aria-busy until the form is there), has a non-empty box and
// passes checkVisibility, and the <form> around it (if any) is in the DOM. Same frame rule as ready-probe.js.
// Both widgets open their first method at once (Adyen's GrabPay PH, our GrabPay), so no click is needed.
(function () {
  var SEL = document.currentScript.getAttribute('data-pay-selector');
  if (!SEL) return;
  var rafPending = false,
    done = false;
  function usable(el) {
    if (el.disabled || el.getAttribute('aria-disabled') === 'true') return false;
    if (el.closest('[inert]') || el.closest('[aria-busy="true"]')) return false;
    var r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) return false;
    return el.checkVisibility
      ? el.checkVisibility({ opacityProperty: true, visibilityProperty: true })
      : true;
  }
  function onFrame() {
    rafPending = false;
    if (done) return;
    var el = document.querySelector(SEL);
    if (el && usable(el)) {
      done = true;
      mo.disconnect();
      performance.mark('widget:pay-enabled');
      window.__payEnabled = performance.now();
      return;
    }
    if (el) schedule();
  }
  function schedule() {
    if (!rafPending) {
      rafPending = true;
      requestAnimationFrame(onFrame);
    }
  }
  var mo = new MutationObserver(function () {
    if (!done) schedule();
  });
  mo.observe(document, { childList: true, subtree: true, attributes: true });
})();
