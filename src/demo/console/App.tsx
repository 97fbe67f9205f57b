/** The merchant console: payments (search, history, refunds), payouts, and bulk files. */
import { QueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { CheckoutProvider } from '../../react/index.ts';
import { Bulk } from './Bulk.tsx';
import { Payments } from './Payments.tsx';
import { Payouts } from './Payouts.tsx';

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});

export function Console() {
  const [version, setVersion] = useState(0);
  const bump = useCallback(() => setVersion((v) => v + 1), []);
  return (
    <CheckoutProvider apiBaseUrl="/" queryClient={queryClient}>
      <div className="c-app">
        <header className="c-header">
          <h1>Merchant console</h1>
          <nav aria-label="Demo pages">
            <a href="/">Shop (React)</a>
            <a href="/embed.html">Shop (script tag)</a>
            <a href="/console.html" aria-current="page">
              Merchant console
            </a>
          </nav>
        </header>
        <main className="c-main">
          <Payments version={version} onChange={bump} />
          <Payouts onDone={bump} />
          <Bulk onDone={bump} />
        </main>
      </div>
    </CheckoutProvider>
  );
}
