import { useId } from 'react';
import type { Control, FieldValues } from 'react-hook-form';
import { formatMoney } from '../../core/money.ts';
import { catalog as defaultCatalog, type MethodId } from '../../core/methods/index.ts';
import { useI18n } from '../i18n/index.tsx';
import {
  CurrencySelect,
  MethodFormShell,
  useCurrency,
  useMethodForm,
  type MethodFormProps,
} from './shared.tsx';
import { SpecField, SpecFields } from './SpecField.tsx';

export interface MethodFormOwnProps extends MethodFormProps {
  /** The method whose form spec (`core/methods/<method>.ts`) this form renders. */
  method: MethodId;
}

/**
 * Any method's purchase form, rendered from its core form spec: the currency picker when the session
 * offers several prices (else the amount, for a method with nothing to type), the spec's fields for the
 * chosen currency, its notes and the Pay button. Validation is the method's core schema, built from the
 * same spec.
 */
export function MethodForm({ method, ...props }: MethodFormOwnProps) {
  const { t, locale } = useI18n();
  const id = useId();
  const cat = props.catalog ?? defaultCatalog;
  const definition = cat.get(method);
  const [currency, setCurrency, option] = useCurrency(props);
  const spec = definition.form(currency);
  const defaults: Record<string, string> = {};
  for (const o of props.options)
    for (const f of definition.form(o.currency).fields)
      defaults[f.name] = props.defaultValues?.[f.name] ?? '';
  const form = useMethodForm<Record<string, string>>(method, currency, defaults, cat);
  const { errors } = form.formState;
  const notes = spec.notes?.map((n) => t(n.id, n.vars)).join(' ');
  return (
    <MethodFormShell
      form={form}
      props={props}
      currency={currency}
      option={option}
      className={`ecp-form--${method}`}
      note={notes}
    >
      {props.options.length > 1 ? (
        <CurrencySelect options={props.options} currency={currency} onChange={setCurrency} />
      ) : option && spec.fields.length === 0 ? (
        <p className="ecp-amount">
          {t('checkout.total')}: <strong>{formatMoney(option.amount, option.currency, locale)}</strong>
        </p>
      ) : null}
      <SpecFields
        fields={spec.fields}
        render={(f) => (
          <SpecField
            key={f.name}
            spec={f}
            id={id}
            control={form.control as unknown as Control<FieldValues>}
            error={errors[f.name]?.message}
            defaultValue={defaults[f.name]}
          />
        )}
      />
    </MethodFormShell>
  );
}
