import { useId, useMemo, useRef } from 'react';
import { useForm, type Control, type FieldValues } from 'react-hook-form';
import * as z from 'zod/mini';
import type { ClarificationRequest } from '../../core/api.ts';
import { customerFieldSpec, formSchema, type CustomerField } from '../../core/methods/index.ts';
import { schemaResolver } from '../forms/resolver.ts';
import { SpecField } from '../forms/SpecField.tsx';
import { useI18n } from '../i18n/index.tsx';
import { PayButton } from './PayButton.tsx';

const CUSTOMER_FIELDS: readonly string[] = ['email', 'first_name', 'last_name'];

export interface ClarificationFormProps {
  /** What the Gate asks for, by object: `{ customer: ['first_name', 'last_name'] }`. */
  fields: Record<string, string[]>;
  defaultValues?: Partial<Record<CustomerField, string | undefined>> | undefined;
  onSubmit: (req: ClarificationRequest) => void;
  busy?: boolean | undefined;
  'aria-labelledby'?: string | undefined;
}

/**
 * The fields a clarification asked for (customer e-mail, first and last name), each required: the same
 * field specs and rules as the method's form, rendered by the same field factory.
 */
export function ClarificationForm({
  fields,
  defaultValues,
  onSubmit,
  busy,
  ...rest
}: ClarificationFormProps) {
  const { t } = useI18n();
  const id = useId();
  const specs = useMemo(
    () =>
      (fields.customer ?? [])
        .filter((f): f is CustomerField => CUSTOMER_FIELDS.includes(f))
        .map((f) => customerFieldSpec(f, true)),
    [fields],
  );
  const schemaRef = useRef<z.ZodMiniType>(z.object({}));
  schemaRef.current = useMemo(() => z.object({ customer: formSchema(specs) }), [specs]);
  const form = useForm<{ customer: Record<string, string> }>({
    mode: 'onTouched',
    reValidateMode: 'onChange',
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
      {specs.map((f) => (
        <SpecField
          key={f.name}
          spec={f}
          name={`customer.${f.name}`}
          id={id}
          control={form.control as unknown as Control<FieldValues>}
          error={errors?.[f.name]?.message}
          defaultValue={defaultValues?.[f.name as CustomerField]}
        />
      ))}
      <PayButton busy={busy} label={t('continue')} />
    </form>
  );
}
