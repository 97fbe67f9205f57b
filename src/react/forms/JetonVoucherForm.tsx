import { useId, useRef } from 'react';
import { useController } from 'react-hook-form';
import { TextField } from '../components/Field.tsx';
import { digitsOnly, formatExpiry, groupDigits } from '../format.ts';
import { useI18n } from '../i18n/index.tsx';
import { filterInput } from './filter.ts';
import {
  CurrencySelect,
  MethodFormShell,
  useCurrency,
  useMethodForm,
  type MethodFormProps,
} from './shared.tsx';

type JetonValues = { number: string; expiration: string; security_code: string };

/**
 * Jeton Voucher: the 19-digit number (shown in groups of 4 as typed), the expiry as MM/YYYY (the slash
 * comes by itself; not in the past) and the 4-digit security code, masked. No redirect: the result comes
 * by callback.
 */
export function JetonVoucherForm(props: MethodFormProps) {
  const { t } = useI18n();
  const id = useId();
  const [currency, setCurrency, option] = useCurrency(props);
  const form = useMethodForm<JetonValues>(
    'jeton',
    currency,
    { number: '', expiration: '', security_code: '' },
    props.catalog,
  );
  const { errors } = form.formState;
  const number = useController({ control: form.control, name: 'number' });
  const expiration = useController({ control: form.control, name: 'expiration' });
  const code = useController({ control: form.control, name: 'security_code' });
  const lastExpiry = useRef('');

  return (
    <MethodFormShell
      form={form}
      props={props}
      currency={currency}
      option={option}
      className="ecp-form--jeton"
    >
      {props.options.length > 1 ? (
        <CurrencySelect options={props.options} currency={currency} onChange={setCurrency} />
      ) : null}
      <TextField
        id={`${id}-number`}
        label={t('field.voucher_number')}
        hint={t('field.voucher_number.hint')}
        error={errors.number?.message}
        required
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        maxLength={23}
        placeholder="0000 0000 0000 0000 000"
        registration={{ name: number.field.name, ref: number.field.ref, onBlur: number.field.onBlur }}
        value={number.field.value}
        onChange={(e) => number.field.onChange(filterInput(e.target, (v) => groupDigits(v)))}
      />
      <div className="ecp-row">
        <TextField
          id={`${id}-expiry`}
          label={t('field.expiration')}
          hint={t('field.expiration.hint')}
          error={errors.expiration?.message}
          required
          inputMode="numeric"
          autoComplete="off"
          maxLength={7}
          placeholder="MM/YYYY"
          registration={{
            name: expiration.field.name,
            ref: expiration.field.ref,
            onBlur: expiration.field.onBlur,
          }}
          value={expiration.field.value}
          onChange={(e) => {
            const next = filterInput(e.target, (v) => formatExpiry(v, lastExpiry.current));
            lastExpiry.current = next;
            expiration.field.onChange(next);
          }}
        />
        <TextField
          id={`${id}-code`}
          label={t('field.security_code')}
          hint={t('field.security_code.hint')}
          error={errors.security_code?.message}
          required
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={4}
          registration={{ name: code.field.name, ref: code.field.ref, onBlur: code.field.onBlur }}
          value={code.field.value}
          onChange={(e) => code.field.onChange(filterInput(e.target, (v) => digitsOnly(v, 4)))}
        />
      </div>
    </MethodFormShell>
  );
}
