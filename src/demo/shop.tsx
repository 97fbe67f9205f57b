/** The demo shop: a merchant's SPA using the package's entry (`<Checkout>`). */
import { StrictMode, useEffect, useId, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { SessionView } from '../core/api.ts';
import { formatMoney, isCurrency } from '../core/money.ts';
import { resolveLanguage } from '../react/i18n/index.tsx';
import { Checkout, type Appearance } from '../react/index.ts';
import '../react/styles.css';
import './demo.css';
import { SHOP_TEXTS } from './shop-texts.ts';

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

/** The shopper's choices, kept across the trip to the provider and back (the return URL has no `lang`). */
const PREFS = { lang: 'ecp-demo:lang', theme: 'ecp-demo:theme' };

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

async function json<T>(res: Response): Promise<T> {
  const body = (await res.json()) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
  return body;
}

/** A cart's price as the shopper reads it: its first currency's, in the page's locale. */
function priceOf(prices: Record<string, number>, locale: string): string {
  const [currency, amount] = Object.entries(prices)[0] ?? [];
  return isCurrency(currency) && amount !== undefined ? formatMoney(amount, currency, locale) : '';
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
  const [locale, setLocale] = useState(params.get('lang') ?? stored(PREFS.lang) ?? 'en');
  const [theme, setTheme] = useState<Appearance['theme']>(
    (params.get('theme') ?? stored(PREFS.theme)) === 'dark' ? 'dark' : 'light',
  );
  const language = resolveLanguage(locale);
  const tx = SHOP_TEXTS[language];
  const emailHintId = useId();

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

  // The page's language and theme: <html lang>, the title, and the page's background under the widget.
  useEffect(() => {
    document.documentElement.lang = language;
    document.documentElement.dataset.demoTheme = theme;
    document.title = `${tx.title} — ecommpay checkout`;
  }, [language, theme, tx.title]);

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
    <div className={`demo shop demo--${theme}`} data-theme={theme}>
      <header className="shop__header">
        <div className="shop__bar">
          <p className="shop__brand">{tx.title}</p>
          <div className="shop__prefs">
            <label className="shop__pref">
              <span>{tx.language}</span>
              <select
                value={locale}
                onChange={(e) => {
                  setLocale(e.target.value);
                  store(PREFS.lang, e.target.value);
                }}
              >
                {LOCALES.map(([code, name]) => (
                  <option key={code} value={code} lang={code}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
            <label className="shop__pref">
              <input
                type="checkbox"
                checked={theme === 'dark'}
                onChange={(e) => {
                  const next = e.target.checked ? 'dark' : 'light';
                  setTheme(next);
                  store(PREFS.theme, next);
                }}
              />
              <span>{tx.dark}</span>
            </label>
          </div>
        </div>
        <nav aria-label={tx.pages} className="shop__nav">
          <a href="/">{tx.shopReact}</a>
          <a href="/embed.html">{tx.shopEmbed}</a>
          <a href="/console.html">{tx.console}</a>
        </nav>
      </header>
      <main className="shop__main">
        <h1 className="shop__title">{tx.title}</h1>
        <p className="shop__note">{tx.testNote}</p>
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
            <p className="shop__again">
              <a href="/">{tx.again}</a>
            </p>
          </>
        ) : config && !params.get('order') ? (
          <form className="shop__cart" onSubmit={startCheckout}>
            <fieldset className="shop__orders">
              <legend>{tx.chooseOrder}</legend>
              {Object.entries(config.carts).map(([id, c]) => {
                const [label, description] = tx.carts[id] ?? [c.label, c.description];
                const priceId = `${emailHintId}-${id}-price`;
                return (
                  <label key={id} className="shop__order">
                    <input
                      type="radio"
                      name="cart"
                      value={id}
                      checked={cart === id}
                      onChange={() => setCart(id)}
                      aria-describedby={priceId}
                    />
                    <span className="shop__order-text">
                      <strong>{label}</strong>
                      {/* The name reads "label — description"; the line break is the visual separator. */}
                      <span className="ecp-sr-only"> — </span>
                      <span className="shop__order-desc">{description}</span>
                    </span>
                    {/* Said as the radio's description, not as part of its name. */}
                    <span className="shop__order-price" id={priceId} aria-hidden="true">
                      {priceOf(c.prices, locale)}
                    </span>
                  </label>
                );
              })}
            </fieldset>
            <div className="shop__field">
              <label htmlFor={`${emailHintId}-email`}>
                {tx.email} <span className="shop__optional">({tx.optional})</span>
              </label>
              <input
                id={`${emailHintId}-email`}
                type="email"
                value={email}
                autoComplete="email"
                aria-describedby={emailHintId}
                onChange={(e) => setEmail(e.target.value)}
              />
              <p className="shop__hint" id={emailHintId}>
                {tx.emailHint}
              </p>
            </div>
            <button type="submit" className="shop__go" disabled={busy}>
              {busy ? tx.busy : tx.go}
            </button>
          </form>
        ) : (
          <p aria-live="polite">{tx.loading}</p>
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
