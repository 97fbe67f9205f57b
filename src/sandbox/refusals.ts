/**
 * How the sandbox's Gate refuses a request: a thrown `Refused` that the route turns into the Gate's error
 * answer, and `parse`, which refuses the first issue of a zod schema naming its field. Shared by the Gate
 * routes and the providers' own checks of their fields (src/sandbox/providers).
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as z from 'zod/mini';
import { messageText } from '../core/messages.ts';
import { CODES } from './codes.ts';

export interface Refusal {
  http: ContentfulStatusCode;
  code: string;
  message: string;
  field?: string;
}

export class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

export function refuse(
  http: ContentfulStatusCode,
  what: { code: string; message: string },
  extra = '',
  field?: string,
): never {
  throw new Refused({
    http,
    code: what.code,
    message: extra ? `${what.message}: ${extra}` : what.message,
    ...(field !== undefined ? { field } : {}),
  });
}

export const obj = <S extends z.core.$ZodLooseShape>(shape: S) =>
  z.object(shape, { error: 'must be an object' });

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** Validates with a zod schema; the first issue becomes a 3003 refusal naming the field. */
export function parse<T>(schema: z.ZodMiniType<T>, value: unknown, prefix: string): T {
  const r = z.safeParse(schema, value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const issuePath = issue?.path ?? [];
  const path = [prefix, ...issuePath.map(String)].filter((p) => p !== '').join('.');
  // Whatever the rule, a value that is not there is reported as missing.
  const missing = issue !== undefined && valueAt(value, issuePath) === undefined;
  const message = missing ? 'required' : (issue?.message ?? 'invalid');
  refuse(400, CODES.invalidField, `${path}: ${messageText(message)}`, path);
}
