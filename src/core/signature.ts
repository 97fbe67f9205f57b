/**
 * ecommpay's HMAC-SHA512 signature (see shared/spec/protocol.md, "Signature").
 *
 * 1. Drop root `signature` and `general.signature`.
 * 2. Flatten the tree into `path:value` lines (keys joined with `:`, array items by 0-based index, a `:`
 *    inside a key written `::`, empty objects/arrays contribute nothing, `frame_mode` skipped at any depth).
 * 3. Values: true→1, false→0, null/"" → empty, numbers in plain decimal, strings raw. An object property
 *    whose value is undefined is left out, as JSON.stringify leaves it out of the body; in arrays it is empty.
 * 4. Sort the lines by path in natural order (PHP `ksort(SORT_NATURAL)`), or plain code-unit order.
 * 5. Join with `;`, HMAC-SHA512 with the UTF-8 secret, standard Base64.
 *
 * Runs in browsers, Node 20 and edge runtimes: WebCrypto, TextEncoder and btoa only.
 */
import { parse as parseLosslessJson } from 'lossless-json';

export type SignableValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | LosslessNumber
  | SignableValue[]
  | { [k: string]: SignableValue };

export type SignatureOrder = 'natural' | 'plain';

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * A JSON number whose original text is kept, because the text is what was signed: `10.50` or
 * `12345678901234567890` would not survive a round trip through a JS number.
 */
export class LosslessNumber {
  constructor(readonly text: string) {
    if (typeof text !== 'string' || !JSON_NUMBER.test(text)) {
      throw new TypeError(`LosslessNumber needs the text of a JSON number, got ${JSON.stringify(text)}`);
    }
  }

  toString(): string {
    return this.text;
  }

  toJSON(): number {
    return Number(this.text);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Rendering values

/**
 * A finite number in plain decimal form, never in exponent notation: `1e21` → `1000000000000000000000`,
 * `1.5e-7` → `0.00000015`. The digits are those of JS's shortest round-trip form (`String(n)`); `-0` → `0`.
 * Use it wherever a number that was signed is also written out (URLs, forms), so both say the same.
 */
export function numberToPlainString(n: number): string {
  if (!Number.isFinite(n)) {
    throw new TypeError(`Cannot sign a non-finite number: ${String(n)}`);
  }
  const text = String(n);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign = '', intPart = '', fraction = '', exponent = '0'] = match;
  const digits = intPart + fraction;
  const point = intPart.length + Number(exponent);
  // JS uses exponent notation only below 1e-6 (the point lands before the digits) and from 1e21 on (the
  // point lands after all of the at most 17 digits), so there is never a point to put between digits.
  return point <= 0
    ? `${sign}0.${'0'.repeat(-point)}${digits}`
    : sign + digits + '0'.repeat(point - digits.length);
}

/** Objects we flatten: `{}` literals, null-prototype objects, and plain objects from other realms. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function escapeKey(key: string): string {
  return key.includes(':') ? key.replaceAll(':', '::') : key;
}

interface Line {
  path: string;
  line: string;
  codePoints?: number[];
}

function walk(value: unknown, path: string, lines: Line[], stack: Set<object>): void {
  if (Array.isArray(value)) {
    enter(value, path, stack);
    for (let i = 0; i < value.length; i++) {
      walk(value[i], `${path}:${i}`, lines, stack);
    }
    stack.delete(value);
  } else if (isPlainObject(value)) {
    enter(value, path, stack);
    walkEntries(value, `${path}:`, lines, stack, undefined);
    stack.delete(value);
  } else {
    lines.push({ path, line: `${path}:${renderLeaf(value, path)}` });
  }
}

function enter(value: object, path: string, stack: Set<object>): void {
  if (stack.has(value)) throw new TypeError(`Cannot sign a circular structure (at ${path})`);
  stack.add(value);
}

/** `prefix` is '' at the root, else the parent path plus ':'. `skip` is a key to leave out at this level. */
function walkEntries(
  object: Record<string, unknown>,
  prefix: string,
  lines: Line[],
  stack: Set<object>,
  skip: string | undefined,
): void {
  for (const key of Object.keys(object)) {
    const value = object[key];
    // An undefined property is not sent (JSON.stringify drops it), so it is not signed either:
    // sign exactly the map you send.
    if (key === 'frame_mode' || key === skip || value === undefined) continue;
    const path = prefix + escapeKey(key);
    if (prefix === '' && key === 'general' && isPlainObject(value)) {
      // `general.signature` is never signed.
      enter(value, path, stack);
      walkEntries(value, `${path}:`, lines, stack, 'signature');
      stack.delete(value);
    } else {
      walk(value, path, lines, stack);
    }
  }
}

function renderLeaf(value: unknown, path: string): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
      return value ? '1' : '0';
    case 'number':
      return numberToPlainString(value);
    case 'bigint':
      return value.toString();
    case 'undefined':
      return '';
    case 'object':
      if (value === null) return '';
      if (value instanceof LosslessNumber) return value.text;
      break;
  }
  const kind = typeof value === 'object' ? Object.prototype.toString.call(value).slice(8, -1) : typeof value;
  throw new TypeError(`Cannot sign a value of type ${kind} (at ${path})`);
}

// ---------------------------------------------------------------------------------------------------------
// Sorting

const DIGIT_0 = 0x30;

function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= 0x39;
}

/** C's isspace() in the "C" locale: space, \t, \n, \v, \f, \r. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/**
 * PHP's `strnatcmp_ex` (case-sensitive; what `ksort($a, SORT_NATURAL)` uses), ported over code points, which
 * orders strings exactly as PHP's byte-wise comparison of their UTF-8 does. Its rules, all kept:
 * - a run of digits compares as a number against a run of digits: `x:2` < `x:10` (the longer run wins,
 *   else the first differing digit);
 * - if either run starts with `0` the runs compare digit by digit, left-aligned, like decimals (so index
 *   `0` sorts before every other index);
 * - leading zeros at the very start of a string are skipped and whitespace is skipped;
 * - every other character compares by its code: `:` (0x3A) sorts after digits and before letters and `_`,
 *   so `card:cvv` < `card_holder` and `a1` < `a:`.
 * Reading past the end gives 0, like the NUL terminator in C.
 */
export function naturalCompare(a: string, b: string): number {
  return naturalCompareCodePoints(toCodePoints(a), toCodePoints(b));
}

function toCodePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0) as number);
  return out;
}

function naturalCompareCodePoints(a: readonly number[], b: readonly number[]): number {
  const aEnd = a.length;
  const bEnd = b.length;
  if (aEnd === 0 || bEnd === 0) return aEnd === bEnd ? 0 : aEnd > bEnd ? 1 : -1;
  const at = (s: readonly number[], i: number): number => s[i] ?? 0;

  let ai = 0;
  let bi = 0;
  let leading = true;
  for (;;) {
    let ca = at(a, ai);
    let cb = at(b, bi);

    if (leading) {
      while (ca === DIGIT_0 && ai + 1 < aEnd && isDigit(at(a, ai + 1))) ca = at(a, ++ai);
      while (cb === DIGIT_0 && bi + 1 < bEnd && isDigit(at(b, bi + 1))) cb = at(b, ++bi);
      leading = false;
    }

    while (isSpace(ca)) ca = at(a, ++ai);
    while (isSpace(cb)) cb = at(b, ++bi);

    if (isDigit(ca) && isDigit(cb)) {
      const result = ca === DIGIT_0 || cb === DIGIT_0 ? compareLeft() : compareRight();
      if (result !== 0) return result;
      if (ai === aEnd && bi === bEnd) return 0;
      if (ai === aEnd) return -1;
      if (bi === bEnd) return 1;
      ca = at(a, ai);
      cb = at(b, bi);
    }

    if (ca !== cb) return ca < cb ? -1 : 1;

    ai++;
    bi++;
    if (ai >= aEnd && bi >= bEnd) return 0;
    if (ai >= aEnd) return -1;
    if (bi >= bEnd) return 1;
  }

  /** Left-aligned digit runs: the first different digit wins. */
  function compareLeft(): number {
    for (; ; ai++, bi++) {
      const da = ai < aEnd && isDigit(at(a, ai));
      const db = bi < bEnd && isDigit(at(b, bi));
      if (!da && !db) return 0;
      if (!da) return -1;
      if (!db) return 1;
      if (at(a, ai) !== at(b, bi)) return at(a, ai) < at(b, bi) ? -1 : 1;
    }
  }

  /** Right-aligned digit runs: the longer run wins, else the first different digit (remembered as bias). */
  function compareRight(): number {
    let bias = 0;
    for (; ; ai++, bi++) {
      const da = ai < aEnd && isDigit(at(a, ai));
      const db = bi < bEnd && isDigit(at(b, bi));
      if (!da && !db) return bias;
      if (!da) return -1;
      if (!db) return 1;
      if (bias === 0 && at(a, ai) !== at(b, bi)) bias = at(a, ai) < at(b, bi) ? -1 : 1;
    }
  }
}

function compareNatural(x: Line, y: Line): number {
  x.codePoints ??= toCodePoints(x.path);
  y.codePoints ??= toCodePoints(y.path);
  return naturalCompareCodePoints(x.codePoints, y.codePoints);
}

function comparePlain(x: Line, y: Line): number {
  return x.path < y.path ? -1 : x.path > y.path ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------
// String to sign, HMAC

/**
 * The string that is signed. Does not modify `data`. Lines are sorted by their path (not by the whole
 * `path:value` line). Paths that compare equal (only possible with the natural comparator's whitespace and
 * leading-zero rules) keep their traversal order, as PHP's stable sort keeps insertion order.
 */
export function stringToSign(data: Record<string, unknown>, opts: { order?: SignatureOrder } = {}): string {
  if (!isPlainObject(data)) throw new TypeError('Signed data must be a plain object');
  const lines: Line[] = [];
  const stack = new Set<object>([data]);
  walkEntries(data, '', lines, stack, 'signature');
  lines.sort(opts.order === 'plain' ? comparePlain : compareNatural);
  return lines.map((l) => l.line).join(';');
}

const encoder = new TextEncoder();

/**
 * Imported keys by secret. A backend signs and verifies with one secret for its whole life, and importing it
 * again for every signature was ~3 % of a payment's CPU time. The promise is cached (concurrent first calls
 * share one import); a failed import is forgotten. Only a few secrets are kept, so a caller cycling through
 * many cannot grow this without bound. The keys are not extractable.
 */
const keys = new Map<string, Promise<CryptoKey>>();
const MAX_CACHED_KEYS = 8;

function importKey(secret: string): Promise<CryptoKey> {
  if (typeof secret !== 'string' || secret === '')
    return Promise.reject(new TypeError('The secret key must be a non-empty string'));
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= MAX_CACHED_KEYS) keys.clear();
    key = globalThis.crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-512' },
      false,
      ['sign'],
    );
    keys.set(secret, key);
    key.catch(() => keys.delete(secret));
  }
  return key;
}

async function hmacBase64(key: CryptoKey, text: string): Promise<string> {
  const mac = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', key, encoder.encode(text)));
  let binary = '';
  for (const byte of mac) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** HMAC-SHA512 (standard Base64) of the natural-order string to sign. */
export async function sign(data: Record<string, unknown>, secret: string): Promise<string> {
  const text = stringToSign(data);
  return hmacBase64(await importKey(secret), text);
}

/** A copy of a Gate request body with `general.signature` set (the body itself is left alone). */
export async function signGateRequest<T extends { general: Record<string, unknown> }>(
  body: T,
  secret: string,
): Promise<T> {
  const signature = await sign(body, secret);
  return { ...body, general: { ...body.general, signature } };
}

/**
 * The signature of Payment Page parameters (add it as one more parameter, `signature`). Booleans are
 * refused: the URL would say `true` where `1` was signed; send `1`/`0`. Numbers are signed in plain decimal
 * form, so write them into the URL with `numberToPlainString`.
 */
export async function signPaymentPageParams(
  params: Record<string, string | number>,
  secret: string,
): Promise<string> {
  if (!isPlainObject(params)) throw new TypeError('Payment Page parameters must be a plain object');
  for (const [key, value] of Object.entries(params) as [string, unknown][]) {
    if (typeof value === 'boolean') {
      throw new TypeError(`Payment Page parameter ${key} is a boolean: send 1 or 0 instead`);
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new TypeError(`Payment Page parameter ${key} must be a string or a number`);
    }
  }
  return sign(params, secret);
}

/** The signature to check: root `signature` if present, else `general.signature`. */
function signatureOf(data: Record<string, unknown>): unknown {
  if (data.signature !== undefined) return data.signature;
  const general = data.general;
  return isPlainObject(general) ? general.signature : undefined;
}

/**
 * Constant-time string comparison: always walks the longer string in full and folds every difference,
 * including a length difference, into one accumulator.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    // charCodeAt past the end is NaN, and NaN | 0 is 0; the length difference is already in `diff`.
    diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  }
  return diff === 0;
}

/**
 * Checks the signature carried by `data` (root `signature`, else `general.signature`). Accepts the natural
 * order and the plain order. False when the signature is missing or not a string.
 */
export async function verify(data: Record<string, unknown>, secret: string): Promise<boolean> {
  if (!isPlainObject(data)) return false;
  const given = signatureOf(data);
  if (typeof given !== 'string' || given === '') return false;
  const key = await importKey(secret);
  const natural = stringToSign(data, { order: 'natural' });
  if (timingSafeEqual(await hmacBase64(key, natural), given)) return true;
  const plain = stringToSign(data, { order: 'plain' });
  return plain !== natural && timingSafeEqual(await hmacBase64(key, plain), given);
}

// ---------------------------------------------------------------------------------------------------------
// Lossless JSON

const MAX_DEPTH = 256;

/**
 * Parses JSON like `JSON.parse`, but every number becomes a `LosslessNumber` holding its exact text:
 * `JSON.parse` turns `10.50` into 10.5 and `12345678901234567890` into 12345678901234567000, so the string
 * to sign rebuilt from its result would differ from the one the sender signed. (A `JSON.parse` reviver's
 * `context.source` would do it, but is not in Node 20.)
 *
 * The parsing is the `lossless-json` package's. Measured against the hand-written parser this replaced
 * (a 770-byte callback, 100,000 parses, tsx on Node 20): 13–18 µs a parse by hand, 29–37 µs with
 * lossless-json, 8–11 µs with JSON.parse. ~15 µs more per callback is ~2 % of what storing one costs
 * (~700 µs at ~1,400 callbacks/s), not a reason to keep 240 lines of parser.
 *
 * Around it: nesting deeper than 256 arrays/objects is refused before parsing (the package recurses, so a
 * body of 100,000 `[` would overflow the stack), and any invalid JSON throws a SyntaxError with the
 * position. A `__proto__` key becomes an own data property (no prototype is touched); a key repeated with
 * a different value is refused (the package's rule: such a body means two things).
 */
export function parseJsonLossless(text: string): unknown {
  if (typeof text !== 'string') throw new TypeError('parseJsonLossless expects a string');
  checkNesting(text);
  return parseLosslessJson(text, null, (digits) => new LosslessNumber(digits));
}

/** Throws when arrays/objects nest deeper than MAX_DEPTH (brackets inside strings do not count). */
function checkNesting(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DEPTH)
        throw new SyntaxError(`Nesting deeper than ${MAX_DEPTH} levels in JSON at position ${i}`);
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

/** Replaces every `LosslessNumber` by its number, recursively (for storing or reading verified data). */
export function toPlainJson(value: unknown): unknown {
  if (value instanceof LosslessNumber) return Number(value.text);
  if (Array.isArray(value)) return value.map(toPlainJson);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const item = toPlainJson(value[key]);
      if (key === '__proto__') {
        Object.defineProperty(out, key, {
          value: item,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      } else {
        out[key] = item;
      }
    }
    return out;
  }
  return value;
}

export type CallbackVerification =
  | { ok: true; data: unknown }
  | { ok: false; reason: 'invalid_json' | 'not_object' | 'missing_signature' | 'bad_signature' };

/**
 * Verifies a callback's raw body: parsed without losing number text, checked in either order, and returned
 * as plain JSON (numbers as numbers) when genuine.
 */
export async function verifyCallbackText(rawBody: string, secret: string): Promise<CallbackVerification> {
  let parsed: unknown;
  try {
    parsed = parseJsonLossless(rawBody);
  } catch {
    return { ok: false, reason: 'invalid_json' };
  }
  if (!isPlainObject(parsed)) return { ok: false, reason: 'not_object' };
  const given = signatureOf(parsed);
  if (typeof given !== 'string' || given === '') return { ok: false, reason: 'missing_signature' };
  if (!(await verify(parsed, secret))) return { ok: false, reason: 'bad_signature' };
  return { ok: true, data: toPlainJson(parsed) };
}
