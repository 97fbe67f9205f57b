// Pay-phase probe (added to the anchor's harness for this benchmark), inlined after ready-probe.js.
// Marks, on the page's own clock (performance.now(), ms since navigation start):
//   'pay:click'    - the trusted click on an element matching data-pay-selector (its Event.timeStamp);
//   'pay:redirect' - the moment the page starts a cross-document navigation (Navigation API `navigate` event,
//                    fired synchronously by location.assign() or a form submission, before any request is sent):
//                    "the redirect starting".
// Both are also sent to the driver with console.debug, since the page goes away right after.
(function () {
  var PAY = document.currentScript.getAttribute('data-pay-selector');
  document.addEventListener(
    'click',
    function (e) {
      if (!PAY || !e.isTrusted || window.__payClick !== undefined) return;
      var t = e.target;
      if (!t || !t.closest || !t.closest(PAY)) return;
      window.__payClick = e.timeStamp;
      performance.mark('pay:click', { startTime: e.timeStamp });
      console.debug('__pay_click__ ' + e.timeStamp);
    },
    true,
  );
  if (window.navigation)
    navigation.addEventListener('navigate', function (e) {
      if (e.destination.sameDocument || window.__redirectStart !== undefined) return;
      var now = performance.now();
      window.__redirectStart = now;
      performance.mark('pay:redirect');
      var click = window.__payClick;
      var marks = {};
      performance.getEntriesByType('mark').forEach(function (m) {
        marks[m.name] = m.startTime;
      });
      var requests =
        click === undefined
          ? []
          : performance
              .getEntriesByType('resource')
              .filter(function (r) {
                return r.startTime >= click;
              })
              .map(function (r) {
                return {
                  name: r.name,
                  initiatorType: r.initiatorType,
                  startTime: r.startTime,
                  responseEnd: r.responseEnd,
                };
              });
      console.debug(
        '__redirect__ ' +
          JSON.stringify({ t: now, click: click, url: e.destination.url, marks: marks, requests: requests }),
      );
    });
})();
