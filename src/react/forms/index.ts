import { createElement, type ComponentType } from 'react';
import { catalog, type MethodId } from '../../core/methods/index.ts';
import { MethodForm } from './MethodForm.tsx';
import type { MethodFormProps } from './shared.tsx';

const forms = new Map<string, ComponentType<MethodFormProps>>();

/** `<MethodForm method={id}>` as a component of its own, one per method (the same one on every call). */
export function methodFormFor(method: MethodId): ComponentType<MethodFormProps> {
  let form = forms.get(method);
  if (!form) {
    form = (props: MethodFormProps) => createElement(MethodForm, { ...props, method });
    forms.set(method, form);
  }
  return form;
}

/**
 * The form of each method of the catalog, built-in or registered (`registerMethod`), read by id. A proxy
 * (reads only), because a method registered after this module loaded has a form too.
 */
export const METHOD_FORMS = new Proxy({} as Record<MethodId, ComponentType<MethodFormProps>>, {
  get: (_, id) => (catalog.methods.some((m) => m.id === id) ? methodFormFor(id as MethodId) : undefined),
});
