import { useId } from 'react';
import { formatMoney, type Currency } from '../../core/money.ts';
import { Field } from '../components/Field.tsx';
import { useI18n } from '../i18n/index.tsx';

export interface PriceOption {
  currency: Currency;
  amount: number;
}

/** A currency picker over the session's prices; the amount shown follows it (an `<output>`, announced). */
export function CurrencySelect({
  options,
  currency,
  onChange,
}: {
  options: readonly PriceOption[];
  currency: Currency;
  onChange: (c: Currency) => void;
}) {
  const { t, locale } = useI18n();
  const id = useId();
  const option = options.find((o) => o.currency === currency);
  return (
    <div className="ecp-currency">
      <Field id={id} label={t('field.currency')} hint={t('field.currency.hint')}>
        {(aria) => (
          <select
            className="ecp-input ecp-select"
            value={currency}
            onChange={(e) => onChange(e.target.value as Currency)}
            {...aria}
          >
            {options.map((o) => (
              <option key={o.currency} value={o.currency}>
                {o.currency} · {formatMoney(o.amount, o.currency, locale)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <p className="ecp-amount">
        <span>{t('checkout.total')}: </span>
        <output htmlFor={id} className="ecp-amount__value">
          {option ? formatMoney(option.amount, option.currency, locale) : ''}
        </output>
      </p>
    </div>
  );
}
