import { useRef, useState, type ReactNode } from 'react';
import {
  useForm,
  type DefaultValues,
  type FieldValues,
  type SubmitHandler,
  type UseFormReturn,
} from 'react-hook-form';
import type { Currency } from '../../core/money.ts';
import { catalog as defaultCatalog, type Catalog, type MethodId } from '../../core/methods/index.ts';
import { PayButton } from '../components/PayButton.tsx';
import type { PriceOption } from './CurrencySelect.tsx';
import { schemaResolver } from './resolver.ts';

// The currency picker has a module of its own: <Checkout> shows it (Payment Page mode) without loading the forms.
export { CurrencySelect, type PriceOption } from './CurrencySelect.tsx';

export interface MethodSubmit {
  currency: Currency;
  /** The method's fields, validated with the core schema; empty optional fields left out. */
  fields: Record<string, string>;
}

/** What every method form takes. */
export interface MethodFormProps {
  /** The prices this method can take (`SessionMethod.options`); the first is the default. */
  options: readonly PriceOption[];
  /** Controlled currency; otherwise the form keeps its own, starting at `defaultCurrency` or the first option. */
  currency?: Currency | undefined;
  defaultCurrency?: Currency | undefined;
  onCurrencyChange?: ((currency: Currency) => void) | undefined;
  /** Prefill, e.g. the session's customer e-mail and names. */
  defaultValues?: Record<string, string | undefined> | undefined;
  onSubmit: (data: MethodSubmit) => void;
  /** Shows the Pay button busy and ignores presses. */
  busy?: boolean | undefined;
  submitLabel?: string | undefined;
  /** Labels the form, e.g. the id of the step's heading. */
  'aria-labelledby'?: string | undefined;
  /** A catalog with the project's settings (Jeton currencies…); default settings otherwise. */
  catalog?: Catalog | undefined;
  /** Extra content before the Pay button (e.g. a submit error). */
  children?: ReactNode;
}

export function useCurrency(
  props: MethodFormProps,
): [Currency, (c: Currency) => void, PriceOption | undefined] {
  const first = props.options[0]?.currency;
  const [own, setOwn] = useState<Currency | undefined>(props.defaultCurrency ?? first);
  const currency = (props.currency ?? own ?? first) as Currency;
  const option = props.options.find((o) => o.currency === currency) ?? props.options[0];
  const set = (c: Currency) => {
    setOwn(c);
    props.onCurrencyChange?.(c);
  };
  return [currency, set, option];
}

/** A react-hook-form form over the method's core schema for the current currency. */
export function useMethodForm<T extends FieldValues>(
  method: MethodId,
  currency: Currency,
  defaultValues: DefaultValues<T>,
  cat: Catalog = defaultCatalog,
): UseFormReturn<T> {
  const currencyRef = useRef(currency);
  currencyRef.current = currency;
  return useForm<T>({
    mode: 'onTouched',
    reValidateMode: 'onChange',
    defaultValues,
    shouldFocusError: true,
    resolver: schemaResolver<T>(() => cat.get(method).fieldsSchema(currencyRef.current)),
  });
}

/** Drops empty strings: an optional input left blank is "not given". */
export function compact(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values))
    if (typeof v === 'string' && v.trim() !== '') out[k] = v.trim();
  return out;
}

interface ShellProps<T extends FieldValues> {
  form: UseFormReturn<T>;
  props: MethodFormProps;
  currency: Currency;
  option: PriceOption | undefined;
  className: string;
  note?: ReactNode;
  children?: ReactNode;
}

/** `<form>` + fields + note + Pay button, submitting `{ currency, fields }`. */
export function MethodFormShell<T extends FieldValues>({
  form,
  props,
  currency,
  option,
  className,
  note,
  children,
}: ShellProps<T>) {
  const onValid: SubmitHandler<T> = (values) => props.onSubmit({ currency, fields: compact(values) });
  return (
    <form
      className={`ecp-form ${className}`}
      noValidate
      aria-labelledby={props['aria-labelledby']}
      onSubmit={(e) => void form.handleSubmit(onValid)(e)}
    >
      {children}
      {note ? <p className="ecp-note">{note}</p> : null}
      {props.children}
      <PayButton amount={option?.amount} currency={currency} busy={props.busy} label={props.submitLabel} />
    </form>
  );
}
