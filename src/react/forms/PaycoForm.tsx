import { formatMoney } from '../../core/money.ts';
import { useI18n } from '../i18n/index.tsx';
import { MethodFormShell, useCurrency, useMethodForm, type MethodFormProps } from './shared.tsx';

/** Payco: KRW only, shown in whole won (KRW has no minor units: 15000 = ₩15,000). */
export function PaycoForm(props: MethodFormProps) {
  const { t, locale } = useI18n();
  const [currency, , option] = useCurrency(props);
  const form = useMethodForm<Record<string, never>>('payco', currency, {}, props.catalog);
  return (
    <MethodFormShell
      form={form}
      props={props}
      currency={currency}
      option={option}
      className="ecp-form--payco"
      note={
        <>
          {t('form.payco_note')} {t('form.redirect_note', { method: 'PAYCO' })}
        </>
      }
    >
      {option ? (
        <p className="ecp-amount">
          {t('checkout.total')}: <strong>{formatMoney(option.amount, option.currency, locale)}</strong>
        </p>
      ) : null}
    </MethodFormShell>
  );
}
