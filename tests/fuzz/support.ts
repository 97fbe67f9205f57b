/** Arbitraries and checks shared by the fuzz suites. */
import fc from 'fast-check';
import { expect } from 'vitest';
import { LosslessNumber, numberToPlainString } from '../../src/core/signature.ts';

/** Strings that break naive code: NUL, lone surrogates, RTL and zero-width marks, BOM, markup, long runs. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff',
    'x\ud83d',
    '\u202eevil\u202c',
    '\u200b\u200c\u200d\u2060',
    '\ufeff',
    'مرحبا بالعالم',
    'Ω≈ç√∫˜µ≤≥÷',
    '🇺🇦👩‍👩‍👧‍👦',
    'e\u0301\u0301\u0301',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    '../../etc/passwd',
    '%00%ZZ%',
    'javascript:alert(1)',
    'data:text/html,<b>x</b>',
    '//evil.example.com',
    '__proto__',
    'constructor',
    'toString',
    'NaN',
    '1e309',
    'x'.repeat(300),
    'y'.repeat(5_000),
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ maxLength: 12 }),
);

/** Numbers that break naive code (as values that survive JSON.stringify). */
export const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    1,
    0.5,
    1.5,
    99.999,
    1e-7,
    1e21,
    2 ** 31,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 63),
    1e308,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Number texts JSON.stringify cannot make: out of range, long, exponent forms, and a few that are not JSON. */
export const rawNumberText: fc.Arbitrary<string> = fc.constantFrom(
  '1e309',
  '-1e309',
  '1E400',
  '123456789012345678901234567890',
  '0.000000000000000000000000001',
  '1e-400',
  '-0',
  '1.0',
  '1e2',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '01',
  '.5',
  '+1',
);

const DANGEROUS_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toJSON', 'then'];

/** A key, often one of the dangerous ones. */
export const nastyKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...DANGEROUS_KEYS) },
  { weight: 1, arbitrary: nastyString },
  { weight: 3, arbitrary: fc.string({ maxLength: 8 }) },
);

/** Builds an object with own properties only (a `__proto__` key stays a key), as JSON.parse would. */
export function own(entries: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries)
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

/** Any JSON value, with dangerous keys and nasty leaves. */
export const nastyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString,
    nastyNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(nastyKey, tie('value')), { maxLength: 5 }).map(own),
  ),
})).value;

/** `prototype pollution` probe objects: `__proto__` / `constructor.prototype` carrying a marker. */
export const pollution: fc.Arbitrary<Record<string, unknown>> = fc.constantFrom(
  own([['__proto__', { polluted: 'yes' }]]),
  own([['constructor', { prototype: { polluted: 'yes' } }]]),
  own([['__proto__', own([['__proto__', { polluted: 'yes' }]])]]),
  own([['prototype', { polluted: 'yes' }]]),
);

/** A JSON array nested `depth` deep. */
export function nested(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** JSON text whose numbers are written as they are signed (never in exponent form). */
export function jsonText(value: unknown): string {
  if (typeof value === 'number') return numberToPlainString(value);
  if (value instanceof LosslessNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${jsonText((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** Bodies that are not what the endpoint expects at all. */
export const wrongShape: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'null',
    'true',
    '0',
    '"text"',
    '[]',
    '[{}]',
    '{',
    '}',
    '{"a":}',
    '{"a":1,}',
    "{'a':1}",
    '\ufeff{}',
    '{}garbage',
    '{"a":1}{"b":2}',
    nested(5_000),
    `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
  ),
  nastyJson.map((v) => JSON.stringify(v) ?? 'null'),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

export const wrongContentType: fc.Arbitrary<string | undefined> = fc.constantFrom(
  undefined,
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/jsonx',
  'application/json-seq',
  'json',
  'application/*',
  '*/*',
);

/**
 * Every answer: never a 5xx; a refusal is a clear 4xx — JSON `{error: {code, message}}` with a snake_case code
 * and a message. Answers the parsed body.
 */
export async function expectClear(res: Response, what: string): Promise<unknown> {
  const text = await res.text();
  expect(res.status, `${what} → ${res.status} ${text.slice(0, 300)}`).toBeLessThan(500);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${what} → ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
  if (res.status >= 400) {
    expect(res.headers.get('content-type'), what).toMatch(/^application\/json/);
    const error = (body as { error?: { code?: unknown; message?: unknown } }).error;
    expect(typeof error?.code === 'string' && /^[a-z][a-z_]*$/.test(error.code), `${what}: ${text}`).toBe(
      true,
    );
    expect(typeof error?.message === 'string' && error.message.length > 0, `${what}: ${text}`).toBe(true);
  }
  return body;
}

/** Object.prototype is untouched. */
export function expectNoPollution(): void {
  const probe: Record<string, unknown> = {};
  expect(probe.polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
}

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const out: Path[] = [];
  for (const k of Object.keys(value)) {
    const p = [...prefix, Array.isArray(value) ? Number(k) : k];
    out.push(p, ...paths((value as Record<string, unknown>)[k], p));
  }
  return out;
}

function edit(
  base: unknown,
  path: Path,
  fn: (parent: Record<string, unknown>, key: string) => void,
): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k as string] as Record<string, unknown>;
  fn(node, String(path[path.length - 1]));
  return copy;
}

const replacement: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  nastyNumber,
  nastyJson,
  pollution,
  fc.constantFrom(null, true, false, [], {}, [[]], [{}]),
);

/**
 * `base` (a valid request) or a variant of it: one value replaced by something nasty, one key removed, a
 * dangerous key added at the root or inside, or `__proto__` / `constructor.prototype` payloads merged in.
 */
export function mutated(base: Record<string, unknown>): fc.Arbitrary<unknown> {
  const all = paths(base);
  const objects = [
    [],
    ...all.filter((p) => {
      let v: unknown = base;
      for (const k of p) v = (v as Record<string, unknown>)[k as string];
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    }),
  ] as Path[];
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(base) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(...all), replacement)
        .map(([p, v]) =>
          edit(base, p, (o, k) =>
            Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true }),
          ),
        ),
    },
    { weight: 1, arbitrary: fc.constantFrom(...all).map((p) => edit(base, p, (o, k) => delete o[k])) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...objects), nastyKey, replacement)
        .map(([p, k, v]) =>
          edit(base, [...p, k], (o, key) =>
            Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true }),
          ),
        ),
    },
  );
}

/** The JSON text of a value, sometimes with one number rewritten as a number text JSON.stringify never writes. */
export function textOf(value: unknown): fc.Arbitrary<string> {
  const text = JSON.stringify(value) ?? 'null';
  if (!/:-?\d/.test(text)) return fc.constant(text);
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(text) },
    {
      weight: 1,
      arbitrary: rawNumberText.map((n) => text.replace(/:-?\d+(\.\d+)?([eE][+-]?\d+)?/, `:${n}`)),
    },
  );
}

/** A path segment made from any string (lone surrogates become invalid UTF-8 escapes). */
export function segment(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...s].map((ch) => (/[\ud800-\udfff]/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch))).join('');
  }
}
