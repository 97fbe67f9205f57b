import { useRef, type ReactNode } from 'react';
import { useController, type Control, type FieldValues } from 'react-hook-form';
import { fieldInput, type FieldMask, type FieldSpec } from '../../core/methods/index.ts';
import { TextField } from '../components/Field.tsx';
import { digitsOnly, formatExpiry, groupDigits } from '../format.ts';
import { useT } from '../i18n/index.tsx';
import { filterInput } from './filter.ts';

/** The input type of a field kind; the rest are text inputs. */
const INPUT_TYPE: Partial<Record<FieldSpec['kind'], string>> = {
  email: 'email',
  secret: 'password',
  phone: 'tel',
};

/** A mask as a function of the typed value (and the value before, which the expiry mask needs). */
function masker(mask: FieldMask): (next: string, prev: string) => string {
  if (mask.kind === 'expiry') return formatExpiry;
  return mask.group ? (v) => groupDigits(v, mask.max, mask.group) : (v) => digitsOnly(v, mask.max);
}

export interface SpecFieldProps {
  spec: FieldSpec;
  /** The field's path in the form's values; the spec's name by default. */
  name?: string;
  /** The form's id prefix: the input gets `<id>-<name>`. */
  id: string;
  control: Control<FieldValues>;
  /** The error's message key (translated by `Field`). */
  error: string | undefined;
  defaultValue?: string | undefined;
}

/**
 * One input built from a core field spec, the way every method form and payout form is built: label,
 * hint and error tied with aria-describedby / aria-invalid (`Field`), autocomplete and inputmode from the
 * spec, and the spec's mask applied as the shopper types (`filterInput`, so React and Preact show the same).
 */
export function SpecField({ spec, name, id, control, error, defaultValue }: SpecFieldProps) {
  const t = useT();
  const { field } = useController({ control, name: name ?? spec.name, defaultValue: defaultValue ?? '' });
  const last = useRef('');
  const mask = spec.mask ? masker(spec.mask) : undefined;
  const input = fieldInput(spec);
  return (
    <TextField
      id={`${id}-${spec.name}`}
      label={t(spec.label)}
      hint={spec.hint ? t(spec.hint) : undefined}
      error={error}
      optional={!input.required}
      {...input}
      type={INPUT_TYPE[spec.kind] ?? 'text'}
      spellCheck={spec.kind === 'email' || spec.kind === 'digits' ? false : undefined}
      placeholder={spec.placeholder}
      registration={{ name: field.name, ref: field.ref, onBlur: field.onBlur }}
      value={(field.value as string | undefined) ?? ''}
      onChange={(e) => {
        if (!mask) return field.onChange(e.target.value);
        const next = filterInput(e.target, (v) => mask(v, last.current));
        last.current = next;
        field.onChange(next);
      }}
    />
  );
}

/** The fields of a spec in order, an `inline` field sharing a row (`.ecp-row`) with the one before it. */
export function SpecFields({
  fields,
  render,
}: {
  fields: readonly FieldSpec[];
  render: (spec: FieldSpec) => ReactNode;
}) {
  return fields.map((f, i) => {
    if (f.inline) return null;
    let end = i + 1;
    while (fields[end]?.inline) end++;
    return end === i + 1 ? (
      render(f)
    ) : (
      <div className="ecp-row" key={f.name}>
        {fields.slice(i, end).map(render)}
      </div>
    );
  });
}
