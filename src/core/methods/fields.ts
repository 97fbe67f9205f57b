import * as z from 'zod/mini';
import type { Currency } from '../money.ts';
import type { CustomerField, FieldSpec, FormSpec, PayoutAccountSpec } from './types.ts';

/** Field rules shared by several methods. Messages are keys of MESSAGES_EN. */

export const email = () =>
  z
    .email({
      error: (issue) => (issue.input === undefined || issue.input === '' ? 'required' : 'email.invalid'),
    })
    .check(z.maxLength(254, 'text.too_long'));

/** A person's name: letters in any script, spaces, apostrophes, hyphens and dots. */
export const personName = () =>
  z
    .string({ error: 'required' })
    .check(
      z.trim(),
      z.minLength(1, 'required'),
      z.maxLength(100, 'name.too_long'),
      z.regex(/^[\p{L}\p{M}][\p{L}\p{M} .'’-]*$/u, 'name.invalid'),
    );

/** A field's input attributes, the spec's defaults filled in (the widget's and the Payment Page's). */
export function fieldInput(spec: FieldSpec) {
  const { kind, mask } = spec;
  return {
    required: !spec.optional,
    autoComplete: spec.autoComplete ?? 'off',
    inputMode:
      spec.inputMode ??
      (kind === 'email'
        ? 'email'
        : kind === 'phone'
          ? 'tel'
          : kind === 'digits' || kind === 'expiry' || mask?.kind === 'digits'
            ? 'numeric'
            : undefined),
    maxLength:
      spec.maxLength ??
      (mask?.kind === 'expiry'
        ? 7
        : mask?.group
          ? mask.max + Math.floor((mask.max - 1) / mask.group)
          : mask?.max),
  };
}

/**
 * A customer detail as a form field (GrabPay's form, the clarification form): e-mail or a name, with its
 * rule, label and autocomplete.
 */
export function customerFieldSpec(name: CustomerField, required: boolean, hint?: string): FieldSpec {
  const isEmail = name === 'email';
  return {
    name,
    kind: isEmail ? 'email' : 'name',
    label: `field.${name}`,
    ...(hint ? { hint } : {}),
    ...(required ? {} : { optional: true }),
    autoComplete: isEmail ? 'email' : name === 'first_name' ? 'given-name' : 'family-name',
    rule: isEmail ? email : personName,
  };
}

/**
 * A schema built the first time it is used. Building zod schemas has a cost (an `email()` is ~1 ms on a
 * phone's CPU, the four methods' ~20 ms at 4× throttling), and nothing needs the methods' field and account
 * schemas until a form validates or a request is checked: the widget's first frame goes without them.
 */
/* @__NO_SIDE_EFFECTS__ */
export function lazySchema<T extends z.ZodMiniType>(build: () => T) {
  return z.lazy(build);
}

/** Optional text inputs: an empty string from a form means "not given" (see `blankToUndefined`). */
export function optionalInput<T extends z.ZodMiniType>(schema: T) {
  return z.optional(z.union([z.literal(''), schema]));
}

/** Drops the empty strings an optional form input leaves behind. */
export function blankToUndefined<T extends Record<string, unknown>>(values: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) if (v !== '' && v !== undefined) out[k] = v;
  return out as T;
}

/**
 * The schema of a form spec's fields: each field's rule, optional ones accepting the empty string a blank
 * input leaves (`optionalInput`). One rule per field, shared by the widget's form, the backend and the
 * sandbox.
 */
export function formSchema(fields: readonly FieldSpec[], blankIsAbsent = true) {
  const optional = (s: z.ZodMiniType) => (blankIsAbsent ? optionalInput(s) : z.optional(s));
  return z.object(
    Object.fromEntries(fields.map((f) => [f.name, f.optional ? optional(f.rule()) : f.rule()])),
  );
}

/**
 * A method's `fieldsSchema` from its `form`: one lazily built schema per distinct form (a method whose
 * form does not change with the currency builds one schema).
 */
/* @__NO_SIDE_EFFECTS__ */
export function fieldsSchemaFrom<Fields>(
  form: (currency: Currency) => FormSpec,
): (currency: Currency) => z.ZodMiniType<Fields> {
  const built = new Map<readonly FieldSpec[], z.ZodMiniType>();
  return (currency) => {
    const { fields } = form(currency);
    let s = built.get(fields);
    if (!s) {
      s = lazySchema(() => formSchema(fields));
      built.set(fields, s);
    }
    return s as z.ZodMiniType<Fields>;
  };
}

const accounts = new WeakMap<PayoutAccountSpec, z.ZodMiniType>();

/** The schema of a payout account spec (the Gate's `account` object), built once per spec. */
/* @__NO_SIDE_EFFECTS__ */
export function payoutAccountSchema(spec: PayoutAccountSpec): z.ZodMiniType {
  let s = accounts.get(spec);
  if (!s) {
    // An API request leaves an optional account field out rather than blank.
    const account = lazySchema(() => formSchema(spec.fields, false));
    s = spec.optional ? z.optional(account) : account;
    accounts.set(spec, s);
  }
  return s;
}
