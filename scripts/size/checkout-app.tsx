// The same app with the package's drop-in <Checkout> (resolved to the built package, dist-lib).
import { createRoot } from 'react-dom/client';
import { Checkout } from 'ecommpay-checkout';
import 'ecommpay-checkout/styles.css';

createRoot(document.getElementById('root') as HTMLElement).render(
  <main>
    <Checkout sessionId="cs_demo" apiBaseUrl="/" />
  </main>,
);
