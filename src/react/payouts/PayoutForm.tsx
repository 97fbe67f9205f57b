import { useId, useRef, useState, type ReactNode } from 'react';
import { useForm, type FieldValues, type Path } from 'react-hook-form';
import type * as z from 'zod/mini';
import { formatMoney, type Currency } from '../../core/money.ts';
import { TextField } from '../components/Field.tsx';
import { PayButton } from '../components/PayButton.tsx';
import { schemaResolver } from '../forms/resolver.ts';
import { useI18n, type MessageId } from '../i18n/index.tsx';

export interface PayoutFieldSpec<T> {
  name: Path<T> & string;
  label: MessageId;
  hint?: MessageId;
  type?: string;
  autoComplete?: string;
  inputMode?: 'text' | 'email' | 'numeric' | 'tel';
  maxLength?: number;
}

export interface PayoutFormProps<T> {
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
  children?: ReactNode;
}

/** A small form over a core payout-account schema: validation inline, busy while `onSubmit` runs. */
export function PayoutForm<T extends FieldValues>({
  schema,
  fields,
  title,
  className,
  props,
}: {
  schema: z.ZodMiniType;
  fields: PayoutFieldSpec<T>[];
  title: MessageId;
  className: string;
  props: PayoutFormProps<T>;
}) {
  const { t, locale } = useI18n();
  const id = useId();
  const schemaRef = useRef(schema);
  schemaRef.current = schema;
  const [state, setState] = useState<{ busy: boolean; done: boolean; error: string | null }>({
    busy: false,
    done: false,
    error: null,
  });
  const busyRef = useRef(false);
  const form = useForm<T>({
    mode: 'onTouched',
    reValidateMode: 'onChange',
    defaultValues: Object.fromEntries(
      fields.map((f) => [f.name, props.defaultValues?.[f.name] ?? '']),
    ) as never,
    resolver: schemaResolver<T>(() => schemaRef.current),
  });
  const errors = form.formState.errors as Record<string, { message?: string } | undefined>;
  const submit = async (values: T) => {
    if (busyRef.current) return;
    busyRef.current = true;
    setState({ busy: true, done: false, error: null });
    try {
      await props.onSubmit(values);
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
      className={`ecp-form ecp-payout ${className}`}
      noValidate
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => void form.handleSubmit(submit)(e)}
    >
      <h2 className="ecp-heading" id={`${id}-title`}>
        {props.heading ?? t(title)}
      </h2>
      {fields.map((f) => (
        <TextField
          key={f.name}
          id={`${id}-${f.name}`}
          label={t(f.label)}
          hint={f.hint ? t(f.hint) : undefined}
          error={errors[f.name]?.message}
          required
          type={f.type ?? 'text'}
          autoComplete={f.autoComplete}
          inputMode={f.inputMode}
          maxLength={f.maxLength}
          registration={form.register(f.name)}
        />
      ))}
      {props.children}
      <div aria-live="polite" className="ecp-payout__status">
        {state.error ? <p className="ecp-alert ecp-alert--error">{state.error}</p> : null}
        {state.done ? <p className="ecp-alert ecp-alert--success">{t('payout.sent')}</p> : null}
      </div>
      <PayButton busy={state.busy} label={label} />
    </form>
  );
}
