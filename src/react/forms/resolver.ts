import type { FieldErrors, FieldValues, Resolver } from 'react-hook-form';
import * as z from 'zod/mini';
import { isMessageKey } from '../../core/messages.ts';

type Issue = z.core.$ZodIssue;

/** The message key of an issue; for a union (`'' | email`), the branch that says something useful. */
function keyOf(issue: Issue): string {
  if (isMessageKey(issue.message)) return issue.message;
  if (issue.code === 'invalid_union') {
    for (const branch of issue.errors)
      for (const inner of branch) if (isMessageKey(inner.message)) return inner.message;
  }
  return issue.message;
}

function getIn(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const p of path)
    cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
  return cur;
}

function setIn(obj: Record<string, unknown>, path: readonly string[], value: unknown): boolean {
  let cur = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const p = path[i] as string;
    if (!cur[p] || typeof cur[p] !== 'object') cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  const last = path[path.length - 1] as string;
  if (cur[last] !== undefined) return false;
  cur[last] = value;
  return true;
}

/**
 * A react-hook-form resolver over a core zod/mini schema. Error messages stay message KEYS (translated
 * where they are shown); an empty field that fails says `required` rather than its format rule.
 * (`zodResolver` would report the first union branch — `expected ""` — for the optional inputs.)
 */
export function schemaResolver<T extends FieldValues>(schema: () => z.ZodMiniType): Resolver<T> {
  return (values) => {
    const r = z.safeParse(schema(), values);
    if (r.success) return { values: r.data as T, errors: {} };
    const errors: Record<string, unknown> = {};
    for (const issue of r.error.issues) {
      const path = issue.path.map(String);
      if (path.length === 0) continue;
      const input = getIn(values, path);
      const message = input === '' || input === undefined ? 'required' : keyOf(issue);
      setIn(errors, path, { type: issue.code, message });
    }
    return { values: {}, errors: errors as FieldErrors<T> };
  };
}
