/** Single payouts: GrabPay (PH), ADVCash, Jeton Voucher — three cards of the same shape, amount last. */
import { useState, type ReactNode } from 'react';
import type { PaymentView } from '../../core/api.ts';
import { isFinal } from '../../core/status.ts';
import { toMinor, type Currency } from '../../core/money.ts';
import { PayoutForm, VoucherList } from '../../react/index.ts';
import { call } from './api.ts';
import { outcome } from './labels.ts';

/** Polls a payout until it is final, so Jeton vouchers show up once the callback brings them. */
async function settle(id: string): Promise<PaymentView> {
  for (let i = 0; i < 60; i++) {
    const p = await call<PaymentView>(`/shop/api/payments/${encodeURIComponent(id)}`);
    if (isFinal(p.status)) return p;
    await new Promise((r) => setTimeout(r, 500));
  }
  return call<PaymentView>(`/shop/api/payments/${encodeURIComponent(id)}`);
}

function safeMinor(v: string, c: Currency): number | undefined {
  try {
    return toMinor(v, c);
  } catch {
    return undefined;
  }
}

function AmountFields<C extends Currency>(p: {
  id: string;
  amount: string;
  onAmount: (v: string) => void;
  currency: C;
  currencies: readonly C[];
  onCurrency?: (c: C) => void;
}) {
  return (
    <div className="c-amount">
      <label className="c-field" htmlFor={`${p.id}-amount`}>
        <span className="c-field__label">Amount</span>
        <input
          id={`${p.id}-amount`}
          inputMode="decimal"
          value={p.amount}
          onChange={(e) => p.onAmount(e.target.value)}
        />
      </label>
      <label className="c-field" htmlFor={`${p.id}-currency`}>
        <span className="c-field__label">Currency</span>
        <select
          id={`${p.id}-currency`}
          value={p.currency}
          disabled={p.currencies.length < 2}
          onChange={(e) => p.onCurrency?.(e.target.value as C)}
        >
          {p.currencies.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      </label>
    </div>
  );
}

function Card({ children }: { children: ReactNode }) {
  return <div className="c-payout-card">{children}</div>;
}

const ADV: readonly Currency[] = ['USD', 'EUR', 'GBP', 'UAH', 'KZT', 'RUB', 'BRL'];
const JETON: readonly Currency[] = ['EUR', 'USD', 'GBP'];

export function Payouts({ onDone }: { onDone: () => void }) {
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
    setStatus(`Payout ${done.id}: ${outcome(done.status, done.message)}`);
    onDone();
    return done;
  };

  return (
    <section aria-labelledby="payouts-h" className="c-panel">
      <div className="c-panel__head">
        <h2 id="payouts-h">Payouts</h2>
        <p role="status" className="c-status">
          {status}
        </p>
      </div>
      <div className="c-payouts">
        <Card>
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
          >
            <AmountFields
              id="grab"
              amount={grabAmount}
              onAmount={setGrabAmount}
              currency="PHP"
              currencies={['PHP']}
            />
          </PayoutForm>
        </Card>
        <Card>
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
          >
            <AmountFields
              id="adv"
              amount={advAmount}
              onAmount={setAdvAmount}
              currency={advCurrency}
              currencies={ADV}
              onCurrency={setAdvCurrency}
            />
          </PayoutForm>
        </Card>
        <Card>
          <form
            className="ecp-form ecp-payout c-jeton"
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
            <h2 className="ecp-heading" id="jeton-h">
              Jeton Voucher payout
            </h2>
            <p className="c-hint">Paid as vouchers of at most 500.00 each, shown here once issued.</p>
            <AmountFields
              id="jeton"
              amount={jetonAmount}
              onAmount={setJetonAmount}
              currency={jetonCurrency}
              currencies={JETON}
              onCurrency={setJetonCurrency}
            />
            <button type="submit" className="ecp-button ecp-button--primary" disabled={jetonBusy}>
              {jetonBusy ? 'Issuing vouchers…' : 'Issue vouchers'}
            </button>
            {jeton?.vouchers?.length ? <VoucherList vouchers={jeton.vouchers} /> : null}
          </form>
        </Card>
      </div>
    </section>
  );
}
