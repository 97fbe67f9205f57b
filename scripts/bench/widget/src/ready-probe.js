// From the Adyen anchor (shared/research/adyen-anchor.md, section 6), verbatim: the ready probe (inlined by build.mjs).
// Inlined (classic script) in <head> of every test page, before the widget bundle (build.mjs does this).
// Marks (performance.now() is ms since navigation start):
//   'widget:dom'   - first time an element matching READY_SELECTOR is seen (MutationObserver; no layout forced)
//   'widget:ready' - HEADLINE: the first animation frame (rAF callback = start of the frame that paints it) in which
//                    the FIRST element matching READY_SELECTOR is enabled (no disabled / aria-disabled, not inside
//                    [inert]), has a non-empty box and passes checkVisibility(opacity+visibility). The layout this
//                    check forces is the layout that frame does anyway.
// Then console.debug('__anchor_ready__') tells the driver (the driver never polls the page).
// Options (attributes on this <script>): data-ready-selector (default 'input[type=radio],[role=radio]');
//   data-ready-shadow-host: CSS selector of a host element whose OPEN shadow root holds the list (web-component widgets).
(function () {
  var script = document.currentScript;
  var SEL = script.getAttribute('data-ready-selector') || 'input[type=radio],[role=radio]';
  var HOST = script.getAttribute('data-ready-shadow-host');
  var OPTS = { childList: true, subtree: true, attributes: true };
  var seen = false,
    rafPending = false,
    done = false,
    shadowObserved = false;
  function scope() {
    if (!HOST) return document;
    var h = document.querySelector(HOST);
    if (!h || !h.shadowRoot) return null;
    if (!shadowObserved) {
      shadowObserved = true;
      mo.observe(h.shadowRoot, OPTS);
    }
    return h.shadowRoot;
  }
  function find() {
    var s = scope(),
      el = s ? s.querySelector(SEL) : null;
    if (el && !seen) {
      seen = true;
      performance.mark('widget:dom');
    }
    return el;
  }
  function ok(el) {
    if (el.disabled || el.getAttribute('aria-disabled') === 'true' || el.closest('[inert]')) return false;
    var r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) return false;
    return el.checkVisibility
      ? el.checkVisibility({ opacityProperty: true, visibilityProperty: true })
      : true;
  }
  function schedule() {
    if (!rafPending) {
      rafPending = true;
      requestAnimationFrame(onFrame);
    }
  }
  function onFrame() {
    rafPending = false;
    if (done) return;
    var el = find();
    if (el && ok(el)) {
      done = true;
      mo.disconnect();
      performance.mark('widget:ready');
      window.__anchorReady = {
        ready: performance.now(),
        selector: SEL,
        outerHTML: el.outerHTML.slice(0, 300),
      };
      console.debug('__anchor_ready__');
      return;
    }
    // present but not yet visible/enabled (e.g. CSS animation), or shadow host present without its root yet: every frame
    if (el || (HOST && !shadowObserved && document.querySelector(HOST))) schedule();
  }
  function onMutation() {
    if (done || rafPending) return;
    if (find() || (HOST && !shadowObserved && document.querySelector(HOST))) schedule();
  }
  var mo = new MutationObserver(onMutation);
  mo.observe(document, OPTS);
})();
