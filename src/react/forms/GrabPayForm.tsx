import { useId } from 'react';
import { useI18n } from '../i18n/index.tsx';
import { TextField } from '../components/Field.tsx';
import {
  CurrencySelect,
  MethodFormShell,
  useCurrency,
  useMethodForm,
  type MethodFormProps,
} from './shared.tsx';

type GrabPayValues = { email: string; first_name: string; last_name: string };

/**
 * GrabPay: PHP needs the e-mail (prefilled from the session, editable); MYR asks for e-mail, first and
 * last name (recommended: when missing, GrabPay may ask for them by clarification).
 */
export function GrabPayForm(props: MethodFormProps) {
  const { t } = useI18n();
  const id = useId();
  const [currency, setCurrency, option] = useCurrency(props);
  const form = useMethodForm<GrabPayValues>(
    'grabpay',
    currency,
    {
      email: props.defaultValues?.email ?? '',
      first_name: props.defaultValues?.first_name ?? '',
      last_name: props.defaultValues?.last_name ?? '',
    },
    props.catalog,
  );
  const { errors } = form.formState;
  const php = currency === 'PHP';
  return (
    <MethodFormShell
      form={form}
      props={props}
      currency={currency}
      option={option}
      className="ecp-form--grabpay"
      note={t('form.redirect_note', { method: 'GrabPay' })}
    >
      {props.options.length > 1 ? (
        <CurrencySelect options={props.options} currency={currency} onChange={setCurrency} />
      ) : null}
      <TextField
        id={`${id}-email`}
        label={t('field.email')}
        hint={php ? t('field.email.hint_php') : t('field.email.hint')}
        error={errors.email?.message}
        required={php}
        optional={!php}
        type="email"
        autoComplete="email"
        inputMode="email"
        spellCheck={false}
        registration={form.register('email')}
      />
      {php ? null : (
        <>
          <TextField
            id={`${id}-first`}
            label={t('field.first_name')}
            error={errors.first_name?.message}
            optional
            autoComplete="given-name"
            registration={form.register('first_name')}
          />
          <TextField
            id={`${id}-last`}
            label={t('field.last_name')}
            error={errors.last_name?.message}
            optional
            autoComplete="family-name"
            registration={form.register('last_name')}
          />
        </>
      )}
    </MethodFormShell>
  );
}
