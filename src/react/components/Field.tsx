import type { ChangeEvent, FocusEvent, InputHTMLAttributes, ReactNode, Ref } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';
import { useT } from '../i18n/index.tsx';

export interface FieldAria {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
  'aria-required'?: true;
}

export interface FieldProps {
  id: string;
  label: string;
  hint?: string | undefined;
  /** A message key or text; translated here. */
  error?: string | undefined;
  required?: boolean;
  /** Marks the label "optional". */
  optional?: boolean;
  children: (aria: FieldAria) => ReactNode;
}

/** A label, a hint and an error, tied to the control with `aria-describedby` and `aria-invalid`. */
export function Field({ id, label, hint, error, required, optional, children }: FieldProps) {
  const t = useT();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ');
  const aria: FieldAria = { id };
  if (describedBy) aria['aria-describedby'] = describedBy;
  if (error) aria['aria-invalid'] = true;
  if (required) aria['aria-required'] = true;
  return (
    <div className={error ? 'ecp-field ecp-field--invalid' : 'ecp-field'}>
      <label className="ecp-label" htmlFor={id}>
        {label}
        {optional ? <span className="ecp-label__optional"> ({t('field.optional')})</span> : null}
      </label>
      {hint ? (
        <p className="ecp-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="ecp-error" id={errorId}>
          <span className="ecp-error__icon" aria-hidden="true">
            !
          </span>
          {t(error)}
        </p>
      ) : null}
      {children(aria)}
    </div>
  );
}

export interface TextFieldProps extends Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'id' | 'children' | 'ref' | 'name' | 'onChange' | 'onBlur'
> {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  optional?: boolean;
  /** `register(name)` of react-hook-form, or a controlled field's props. */
  registration: {
    name?: string;
    ref?: Ref<HTMLInputElement> | UseFormRegisterReturn['ref'];
    onBlur?: (e: FocusEvent<HTMLInputElement>) => unknown;
    onChange?: (e: ChangeEvent<HTMLInputElement>) => unknown;
  };
  value?: string;
  onChange?: InputHTMLAttributes<HTMLInputElement>['onChange'];
}

export function TextField({
  id,
  label,
  hint,
  error,
  required,
  optional,
  registration,
  ...input
}: TextFieldProps) {
  return (
    <Field
      id={id}
      label={label}
      hint={hint}
      error={error}
      required={required ?? false}
      optional={optional ?? false}
    >
      {(aria) => <input className="ecp-input" type="text" {...registration} {...input} {...aria} />}
    </Field>
  );
}
