/** The demo shop: a merchant's SPA using the package's entry (`<Checkout>`). */
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { SessionView } from '../core/api.ts';
import { Checkout, type Appearance } from '../react/index.ts';
import '../react/styles.css';
import './demo.css';

interface Config {
  backendUrl: string;
  carts: Record<string, { label: string; prices: Record<string, number>; description: string }>;
}

const LOCALES = [
  ['en', 'English'],
  ['ru', 'Русский'],
  ['uk', 'Українська'],
  ['ko', '한국어'],
  ['ms', 'Bahasa Melayu'],
  ['fil', 'Filipino'],
] as const;

const DEV_HOSTS = ['127.0.0.1', 'localhost'];

async function json<T>(res: Response): Promise<T> {
  const body = (await res.json()) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
  return body;
}

function Shop() {
  const params = new URLSearchParams(location.search);
  const [config, setConfig] = useState<Config | null>(null);
  const [sessionId, setSessionId] = useState<string | null>(null);
  // Only for a new order: after a reload the widget asks the backend (the session may have moved on).
  const [session, setSession] = useState<SessionView | undefined>(undefined);
  const [cart, setCart] = useState('ph-1500');
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [locale, setLocale] = useState(params.get('lang') ?? 'en');
  const [theme, setTheme] = useState<Appearance['theme']>('light');

  useEffect(() => {
    fetch('/shop/api/config')
      .then((r) => json<Config>(r))
      .then(setConfig)
      .catch((e: Error) => setError(e.message));
    const order = params.get('order');
    if (order) {
      fetch(`/shop/api/orders/${encodeURIComponent(order)}`)
        .then((r) => json<{ session_id: string }>(r))
        .then((o) => setSessionId(o.session_id))
        .catch((e: Error) => setError(e.message));
    }
  }, []);

  const startCheckout = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const o = await json<{ order_id: string; session_id: string; session?: SessionView }>(
        await fetch('/shop/api/orders', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ cart, ...(email ? { email } : {}) }),
        }),
      );
      // The order in the address bar: a reload or the provider's return resumes it.
      history.replaceState(null, '', `?order=${o.order_id}`);
      setSession(o.session);
      setSessionId(o.session_id);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={`demo demo--${theme}`} data-theme={theme}>
      <header className="demo__header">
        <h1>Demo shop</h1>
        <nav aria-label="Demo pages">
          <a href="/">Shop (React)</a> · <a href="/embed.html">Shop (script tag)</a> ·{' '}
          <a href="/console.html">Merchant console</a>
        </nav>
        <div className="demo__prefs">
          <label>
            Language{' '}
            <select value={locale} onChange={(e) => setLocale(e.target.value)}>
              {LOCALES.map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <label>
            <input
              type="checkbox"
              checked={theme === 'dark'}
              onChange={(e) => setTheme(e.target.checked ? 'dark' : 'light')}
            />{' '}
            Dark
          </label>
        </div>
      </header>
      <main className="demo__main">
        {error ? (
          <p role="alert" className="demo__error">
            {error}
          </p>
        ) : null}
        {sessionId && config ? (
          <>
            <Checkout
              sessionId={sessionId}
              {...(session ? { session } : {})}
              apiBaseUrl={config.backendUrl}
              locale={locale}
              appearance={{ theme }}
              redirectPolicy={{ devHosts: DEV_HOSTS }}
              showUnavailable
            />
            <p className="demo__again">
              <a href="/">Start a new order</a>
            </p>
          </>
        ) : config && !params.get('order') ? (
          <form className="demo__cart" onSubmit={startCheckout}>
            <fieldset>
              <legend>Choose an order</legend>
              {Object.entries(config.carts).map(([id, c]) => (
                <label key={id} className="demo__cart-option">
                  <input
                    type="radio"
                    name="cart"
                    value={id}
                    checked={cart === id}
                    onChange={() => setCart(id)}
                  />
                  <span>
                    <strong>{c.label}</strong> — {c.description}
                  </span>
                </label>
              ))}
            </fieldset>
            <label className="demo__field">
              E-mail (optional; GrabPay PHP asks for it)
              <input
                type="email"
                value={email}
                autoComplete="email"
                onChange={(e) => setEmail(e.target.value)}
              />
            </label>
            <button type="submit" disabled={busy}>
              {busy ? 'Creating the order…' : 'Go to checkout'}
            </button>
          </form>
        ) : (
          <p aria-live="polite">Loading…</p>
        )}
      </main>
    </div>
  );
}

const el = document.getElementById('root');
if (el)
  createRoot(el).render(
    <StrictMode>
      <Shop />
    </StrictMode>,
  );
