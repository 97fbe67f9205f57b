// ecommpay checkout, React SPA entry: the package's React entry (src/react/index.ts, <Checkout>) with React 19 and
// react-dom, bundled by build.mjs with the anchor's esbuild settings (the same as the Adyen page). React, react-dom and
// the widget's dependencies resolve from the project's node_modules (one React, the project's pinned versions).
import { createRoot } from 'react-dom/client';
import { Checkout } from '../../../../src/react/index.ts';
import '../../../../src/react/styles.css';
performance.mark('bundle:evaluated');
// Per-run parameters from the driver: a fresh session and the backend's URL.
const q = new URLSearchParams(location.search);
const inline = q.get('inline');
createRoot(document.getElementById('root')).render(
  <Checkout
    sessionId={q.get('session')}
    session={inline ? JSON.parse(inline) : undefined}
    apiBaseUrl={q.get('api')}
    redirectPolicy={{ devHosts: ['127.0.0.1', 'localhost'] }}
    onReady={() => performance.mark('widget:onReady')}
  />,
);
performance.mark('widget:mount-called');
