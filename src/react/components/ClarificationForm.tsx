import { useId, useMemo, useRef } from 'react';
import { useForm } from 'react-hook-form';
import * as z from 'zod/mini';
import type { ClarificationRequest } from '../../core/api.ts';
import { email, personName } from '../../core/methods/fields.ts';
import { schemaResolver } from '../forms/resolver.ts';
import { useI18n, type MessageId } from '../i18n/index.tsx';
import { TextField } from './Field.tsx';
import { PayButton } from './PayButton.tsx';

const CUSTOMER_FIELDS = {
  email: { schema: email, label: 'field.email', autoComplete: 'email', type: 'email' },
  first_name: { schema: personName, label: 'field.first_name', autoComplete: 'given-name', type: 'text' },
  last_name: { schema: personName, label: 'field.last_name', autoComplete: 'family-name', type: 'text' },
} as const satisfies Record<
  string,
  { schema: () => z.ZodMiniType; label: MessageId; autoComplete: string; type: string }
>;

type CustomerField = keyof typeof CUSTOMER_FIELDS;

export interface ClarificationFormProps {
  /** What the Gate asks for, by object: `{ customer: ['first_name', 'last_name'] }`. */
  fields: Record<string, string[]>;
  defaultValues?: Partial<Record<CustomerField, string | undefined>> | undefined;
  onSubmit: (req: ClarificationRequest) => void;
  busy?: boolean | undefined;
  'aria-labelledby'?: string | undefined;
}

/** The fields a clarification asked for (customer e-mail, first and last name), each required. */
export function ClarificationForm({
  fields,
  defaultValues,
  onSubmit,
  busy,
  ...rest
}: ClarificationFormProps) {
  const { t } = useI18n();
  const id = useId();
  const requested = useMemo(
    () => (fields.customer ?? []).filter((f): f is CustomerField => Object.hasOwn(CUSTOMER_FIELDS, f)),
    [fields],
  );
  const schemaRef = useRef<z.ZodMiniType>(z.object({}));
  schemaRef.current = useMemo(() => {
    const shape: Record<string, z.ZodMiniType> = {};
    for (const f of requested) shape[f] = CUSTOMER_FIELDS[f].schema();
    return z.object({ customer: z.object(shape) });
  }, [requested]);
  const form = useForm<{ customer: Record<string, string> }>({
    mode: 'onTouched',
    reValidateMode: 'onChange',
    defaultValues: { customer: Object.fromEntries(requested.map((f) => [f, defaultValues?.[f] ?? ''])) },
    resolver: schemaResolver(() => schemaRef.current),
  });
  const errors = form.formState.errors.customer as Record<string, { message?: string }> | undefined;
  return (
    <form
      className="ecp-form ecp-form--clarification"
      noValidate
      aria-labelledby={rest['aria-labelledby']}
      onSubmit={(e) => void form.handleSubmit((v) => onSubmit(v as ClarificationRequest))(e)}
    >
      {requested.map((f) => (
        <TextField
          key={f}
          id={`${id}-${f}`}
          label={t(CUSTOMER_FIELDS[f].label)}
          error={errors?.[f]?.message}
          required
          type={CUSTOMER_FIELDS[f].type}
          autoComplete={CUSTOMER_FIELDS[f].autoComplete}
          registration={form.register(`customer.${f}`)}
        />
      ))}
      <PayButton busy={busy} label={t('continue')} />
    </form>
  );
}
