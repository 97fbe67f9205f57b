/** The demo merchant console: payouts (GrabPay, ADVCash, Jeton with vouchers), Payco refunds, payment list. */
import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { PaymentView } from '../core/api.ts';
import { formatMoney, toMinor, type Currency } from '../core/money.ts';
import { isFinal } from '../core/status.ts';
import { CheckoutProvider, PayoutForm, VoucherList } from '../react/index.ts';
import '../react/styles.css';
import './demo.css';

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, {
    ...init,
    headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID(), ...init?.headers },
  });
  const body = (await res.json()) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
  return body;
}

/** Polls a payout until it is final, so Jeton vouchers show up once the callback brings them. */
async function settle(id: string): Promise<PaymentView> {
  for (let i = 0; i < 60; i++) {
    const p = await call<PaymentView>(`/shop/api/payments/${encodeURIComponent(id)}`);
    if (isFinal(p.status)) return p;
    await new Promise((r) => setTimeout(r, 500));
  }
  return call<PaymentView>(`/shop/api/payments/${encodeURIComponent(id)}`);
}

function AmountInput({ id, value, onChange }: { id: string; value: string; onChange: (v: string) => void }) {
  return (
    <label className="demo__field" htmlFor={id}>
      Amount
      <input id={id} inputMode="decimal" value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

function Payouts({ onDone }: { onDone: () => void }) {
  const [grabAmount, setGrabAmount] = useState('1000.00');
  const [advAmount, setAdvAmount] = useState('50.00');
  const [advCurrency, setAdvCurrency] = useState<Currency>('USD');
  const [jetonAmount, setJetonAmount] = useState('1250.00');
  const [jetonCurrency, setJetonCurrency] = useState<Currency>('EUR');
  const [jeton, setJeton] = useState<PaymentView | null>(null);
  const [jetonBusy, setJetonBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);

  const payout = async (body: object) => {
    const p = await call<PaymentView>('/shop/api/payouts', { method: 'POST', body: JSON.stringify(body) });
    const done = await settle(p.id);
    setStatus(`Payout ${done.id}: ${done.status}${done.message ? ` — ${done.message}` : ''}`);
    onDone();
    return done;
  };

  return (
    <section aria-labelledby="payouts-h" className="demo__panel">
      <h2 id="payouts-h">Payouts</h2>
      <p role="status" className="demo__status">
        {status}
      </p>
      <div className="demo__grid">
        <div>
          <AmountInput id="grab-amount" value={grabAmount} onChange={setGrabAmount} />
          <PayoutForm
            method="grabpay"
            amount={safeMinor(grabAmount, 'PHP')}
            currency="PHP"
            onSubmit={async (account) => {
              await payout({
                method: 'grabpay',
                amount: toMinor(grabAmount, 'PHP'),
                currency: 'PHP',
                customer: { id: 'demo-payee' },
                account,
              });
            }}
          />
        </div>
        <div>
          <AmountInput id="adv-amount" value={advAmount} onChange={setAdvAmount} />
          <CurrencyPick
            id="adv-currency"
            value={advCurrency}
            onChange={setAdvCurrency}
            options={['USD', 'EUR', 'GBP', 'UAH', 'KZT', 'RUB', 'BRL']}
          />
          <PayoutForm
            method="advcash"
            amount={safeMinor(advAmount, advCurrency)}
            currency={advCurrency}
            onSubmit={async (account) => {
              await payout({
                method: 'advcash',
                amount: toMinor(advAmount, advCurrency),
                currency: advCurrency,
                customer: { id: 'demo-payee' },
                account,
              });
            }}
          />
        </div>
        <form
          className="demo__jeton"
          aria-labelledby="jeton-h"
          onSubmit={async (e) => {
            e.preventDefault();
            setJetonBusy(true);
            try {
              setJeton(
                await payout({
                  method: 'jeton',
                  amount: toMinor(jetonAmount, jetonCurrency),
                  currency: jetonCurrency,
                  customer: { id: 'demo-payee' },
                }),
              );
            } catch (err) {
              setStatus((err as Error).message);
            } finally {
              setJetonBusy(false);
            }
          }}
        >
          <h3 id="jeton-h">Jeton Voucher payout</h3>
          <AmountInput id="jeton-amount" value={jetonAmount} onChange={setJetonAmount} />
          <CurrencyPick
            id="jeton-currency"
            value={jetonCurrency}
            onChange={setJetonCurrency}
            options={['EUR', 'USD', 'GBP']}
          />
          <button type="submit" disabled={jetonBusy}>
            {jetonBusy ? 'Issuing vouchers…' : 'Issue vouchers'}
          </button>
          {jeton?.vouchers?.length ? <VoucherList vouchers={jeton.vouchers} /> : null}
        </form>
      </div>
    </section>
  );
}

function safeMinor(v: string, c: Currency): number | undefined {
  try {
    return toMinor(v, c);
  } catch {
    return undefined;
  }
}

function CurrencyPick<T extends string>(p: { id: string; value: T; onChange: (v: T) => void; options: T[] }) {
  return (
    <label className="demo__field" htmlFor={p.id}>
      Currency
      <select id={p.id} value={p.value} onChange={(e) => p.onChange(e.target.value as T)}>
        {p.options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    </label>
  );
}

function Refund({ payment, onDone }: { payment: PaymentView; onDone: () => void }) {
  const [amount, setAmount] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const refund = async (partial: boolean) => {
    setMessage(null);
    try {
      await call(`/shop/api/payments/${encodeURIComponent(payment.id)}/refunds`, {
        method: 'POST',
        body: JSON.stringify({
          description: 'Refund from the demo console',
          ...(partial ? { amount: toMinor(amount, payment.currency) } : {}),
        }),
      });
      setMessage('Refund requested');
      setTimeout(onDone, 800);
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  return (
    <div className="demo__refund">
      <label>
        <span className="ecp-offscreen">Partial refund amount for {payment.id}</span>
        <input
          inputMode="numeric"
          placeholder="Amount"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          size={8}
        />
      </label>
      <button type="button" onClick={() => refund(true)} disabled={!amount}>
        Refund part
      </button>
      <button type="button" onClick={() => refund(false)}>
        Refund all
      </button>
      <span role="status">{message}</span>
    </div>
  );
}

function Payments({ version, onChange }: { version: number; onChange: () => void }) {
  const [list, setList] = useState<PaymentView[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call<{ data: PaymentView[]; next_cursor: string | null }>('/shop/api/payments?limit=50')
      .then((r) => setList(r.data))
      .catch((e: Error) => setError(e.message));
  }, [version]);
  return (
    <section aria-labelledby="payments-h" className="demo__panel">
      <h2 id="payments-h">Payments</h2>
      <button type="button" onClick={onChange}>
        Refresh
      </button>
      {error ? <p role="alert">{error}</p> : null}
      <table className="demo__table">
        <thead>
          <tr>
            <th scope="col">Payment</th>
            <th scope="col">Type</th>
            <th scope="col">Method</th>
            <th scope="col">Amount</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {list.map((p) => (
            <tr key={p.id}>
              <td>
                <code>{p.id}</code>
              </td>
              <td>{p.type}</td>
              <td>{p.method}</td>
              <td>{formatMoney(p.amount, p.currency)}</td>
              <td>
                {p.status}
                {p.refunded_amount ? ` (refunded ${formatMoney(p.refunded_amount, p.currency)})` : ''}
              </td>
              <td>
                {p.method === 'payco' &&
                p.type === 'purchase' &&
                (p.status === 'success' || p.status === 'partially_refunded') ? (
                  <Refund payment={p} onDone={onChange} />
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Console() {
  const [version, setVersion] = useState(0);
  const bump = useCallback(() => setVersion((v) => v + 1), []);
  return (
    <CheckoutProvider apiBaseUrl="/">
      <div className="demo">
        <header className="demo__header">
          <h1>Merchant console</h1>
          <nav aria-label="Demo pages">
            <a href="/">Shop (React)</a> · <a href="/embed.html">Shop (script tag)</a> ·{' '}
            <a href="/console.html">Merchant console</a>
          </nav>
        </header>
        <main className="demo__main demo__main--wide">
          <Payouts onDone={bump} />
          <Payments version={version} onChange={bump} />
        </main>
      </div>
    </CheckoutProvider>
  );
}

const el = document.getElementById('root');
if (el)
  createRoot(el).render(
    <StrictMode>
      <Console />
    </StrictMode>,
  );
