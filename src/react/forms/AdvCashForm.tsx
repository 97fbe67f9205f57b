import { useI18n } from '../i18n/index.tsx';
import { formatMoney } from '../../core/money.ts';
import {
  CurrencySelect,
  MethodFormShell,
  useCurrency,
  useMethodForm,
  type MethodFormProps,
} from './shared.tsx';

/** ADVCash: nothing to type; a currency picker over the prices the session offers, the amount following it. */
export function AdvCashForm(props: MethodFormProps) {
  const { t, locale } = useI18n();
  const [currency, setCurrency, option] = useCurrency(props);
  const form = useMethodForm<Record<string, never>>('advcash', currency, {}, props.catalog);
  return (
    <MethodFormShell
      form={form}
      props={props}
      currency={currency}
      option={option}
      className="ecp-form--advcash"
      note={t('form.redirect_note', { method: 'ADVCash' })}
    >
      {props.options.length > 1 ? (
        <CurrencySelect options={props.options} currency={currency} onChange={setCurrency} />
      ) : option ? (
        <p className="ecp-amount">
          {t('checkout.total')}: <strong>{formatMoney(option.amount, option.currency, locale)}</strong>
        </p>
      ) : null}
    </MethodFormShell>
  );
}
