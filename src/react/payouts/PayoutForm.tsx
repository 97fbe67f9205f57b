import { useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { useForm, type Control, type FieldValues } from 'react-hook-form';
import {
  catalog as defaultCatalog,
  formSchema,
  type Catalog,
  type MethodId,
} from '../../core/methods/index.ts';
import { formatMoney, type Currency } from '../../core/money.ts';
import { PayButton } from '../components/PayButton.tsx';
import { schemaResolver } from '../forms/resolver.ts';
import { SpecField, SpecFields } from '../forms/SpecField.tsx';
import { useI18n } from '../i18n/index.tsx';

export interface PayoutFormProps<T = Record<string, string>> {
  /** The method whose payout account spec (`core/methods/<method>.ts`, `payout.account`) this form renders. */
  method: MethodId;
  /**
   * Receives the validated account. Post it to YOUR server, which calls the backend's
   * `POST /api/merchant/payouts` with the merchant API key (never in the browser). A rejected promise
   * shows its message under the form.
   */
  onSubmit: (account: T) => void | Promise<void>;
  /** Shown on the button, e.g. "Request payout ₱1,000.00". */
  amount?: number | undefined;
  currency?: Currency | undefined;
  defaultValues?: Partial<T> | undefined;
  heading?: string | undefined;
  /** A catalog with the project's settings; default settings otherwise. */
  catalog?: Catalog | undefined;
  children?: ReactNode;
}

/**
 * Any method's payout details, rendered from its core payout account spec (GrabPay: the account number
 * and the holder's name; ADVCash: the wallet's e-mail), validated inline with the schema built from the
 * same spec; busy while `onSubmit` runs.
 */
export function PayoutForm<T = Record<string, string>>(props: PayoutFormProps<T>) {
  const { t, locale } = useI18n();
  const id = useId();
  const spec = (props.catalog ?? defaultCatalog).get(props.method).payout?.account;
  if (!spec) throw new Error(`${props.method} has no payouts`);
  const schema = useMemo(() => formSchema(spec.fields), [spec]);
  const schemaRef = useRef(schema);
  schemaRef.current = schema;
  const [state, setState] = useState<{ busy: boolean; done: boolean; error: string | null }>({
    busy: false,
    done: false,
    error: null,
  });
  const busyRef = useRef(false);
  const given = (props.defaultValues ?? {}) as Record<string, string | undefined>;
  const form = useForm<Record<string, string>>({
    mode: 'onTouched',
    reValidateMode: 'onChange',
    defaultValues: Object.fromEntries(spec.fields.map((f) => [f.name, given[f.name] ?? ''])),
    resolver: schemaResolver(() => schemaRef.current),
  });
  const errors = form.formState.errors;
  const submit = async (values: Record<string, string>) => {
    if (busyRef.current) return;
    busyRef.current = true;
    setState({ busy: true, done: false, error: null });
    try {
      await props.onSubmit(values as T);
      setState({ busy: false, done: true, error: null });
    } catch (e) {
      setState({ busy: false, done: false, error: e instanceof Error ? e.message : t('error.generic') });
    } finally {
      busyRef.current = false;
    }
  };
  const label =
    props.amount !== undefined && props.currency
      ? `${t('payout.submit')} ${formatMoney(props.amount, props.currency, locale)}`
      : t('payout.submit');
  return (
    <form
      className={`ecp-form ecp-payout ecp-payout--${props.method}`}
      noValidate
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => void form.handleSubmit(submit)(e)}
    >
      <h2 className="ecp-heading" id={`${id}-title`}>
        {props.heading ?? t(spec.title)}
      </h2>
      <SpecFields
        fields={spec.fields}
        render={(f) => (
          <SpecField
            key={f.name}
            spec={f}
            id={id}
            control={form.control as unknown as Control<FieldValues>}
            error={errors[f.name]?.message}
            defaultValue={given[f.name]}
          />
        )}
      />
      {props.children}
      <div aria-live="polite" className="ecp-payout__status">
        {state.error ? <p className="ecp-alert ecp-alert--error">{state.error}</p> : null}
        {state.done ? <p className="ecp-alert ecp-alert--success">{t('payout.sent')}</p> : null}
      </div>
      <PayButton busy={state.busy} label={label} />
    </form>
  );
}
