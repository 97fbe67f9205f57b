import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import vectors from '../fixtures/signature-vectors.json' with { type: 'json' };
import {
  LosslessNumber,
  naturalCompare,
  numberToPlainString,
  parseJsonLossless,
  sign,
  signGateRequest,
  signPaymentPageParams,
  stringToSign,
  timingSafeEqual,
  toPlainJson,
  verify,
  verifyCallbackText,
} from '../../src/core/signature.ts';

const SECRET = 'qwerty';

/** An independent HMAC-SHA512/Base64 of a hand-built string, to check the library against. */
async function hmac(text: string, secret = SECRET): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey(
    'raw',
    enc.encode(secret),
    { name: 'HMAC', hash: 'SHA-512' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(text)));
  return btoa(String.fromCharCode(...mac));
}

describe('test vectors (tests/fixtures/signature-vectors.json, a copy of shared/spec/signature-vectors.json)', () => {
  it('has all 8 vectors', () => {
    expect(vectors).toHaveLength(8);
  });

  for (const [i, vector] of vectors.entries()) {
    const data = vector.data as Record<string, unknown>;
    it(`vector ${i}: string to sign, signature and verification`, async () => {
      expect(stringToSign(data)).toBe(vector.string_to_sign);
      expect(await sign(data, vector.secret)).toBe(vector.signature);
      expect(await hmac(vector.string_to_sign, vector.secret)).toBe(vector.signature);
      expect(await verify({ ...data, signature: vector.signature }, vector.secret)).toBe(true);
      expect(await verify({ ...data, signature: vector.signature }, vector.secret + 'x')).toBe(false);
    });
  }
});

describe('stringToSign', () => {
  it('skips frame_mode at any depth, in objects inside arrays too', () => {
    const data = {
      frame_mode: 'popup',
      a: { frame_mode: 'iframe', b: 1 },
      list: [{ frame_mode: 'x', c: 2 }],
    };
    expect(stringToSign(data)).toBe('a:b:1;list:0:c:2');
  });

  it('writes a ":" inside a key as "::"', () => {
    expect(stringToSign({ 'a:b': 'v', c: { 'd:e:f': 1 } })).toBe('a::b:v;c:d::e::f:1');
  });

  it('renders booleans as 1/0 and null and "" as empty', () => {
    expect(stringToSign({ t: true, f: false, n: null, e: '', list: [null, true, undefined] })).toBe(
      'e:;f:0;list:0:;list:1:1;list:2:;n:;t:1',
    );
  });

  it('leaves out undefined properties, as JSON.stringify does, so the signed map is the sent map', () => {
    const data = { a: 1, u: undefined, g: { x: undefined, y: 'z' } };
    expect(stringToSign(data)).toBe('a:1;g:y:z');
    expect(stringToSign(data)).toBe(stringToSign(JSON.parse(JSON.stringify(data))));
  });

  it('renders strings raw, without escaping', () => {
    expect(stringToSign({ s: 'a;b:c "d" \\ é 😀\n' })).toBe('s:a;b:c "d" \\ é 😀\n');
  });

  it('leaves out empty objects and arrays', () => {
    expect(stringToSign({ a: {}, b: [], c: { d: {}, e: [[]] }, f: 1 })).toBe('f:1');
    expect(stringToSign({})).toBe('');
  });

  it('renders numbers in plain decimal form and LosslessNumber as its text', () => {
    expect(
      stringToSign({
        a: 1e21,
        b: 1.5e-7,
        c: -0,
        d: 123.456,
        e: -2.5e25,
        f: new LosslessNumber('10.50'),
        g: new LosslessNumber('12345678901234567890'),
        h: 10n ** 30n,
      }),
    ).toBe(
      'a:1000000000000000000000;b:0.00000015;c:0;d:123.456;e:-25000000000000000000000000;f:10.50;' +
        'g:12345678901234567890;h:1000000000000000000000000000000',
    );
  });

  it('removes root signature and general.signature, and only those, without mutating the input', () => {
    const data = {
      signature: 'root',
      general: { project_id: 1, signature: 'general' },
      payment: { signature: 'kept' },
      other: { general: { signature: 'kept too' } },
    };
    const copy = structuredClone(data);
    expect(stringToSign(data)).toBe(
      'general:project_id:1;other:general:signature:kept too;payment:signature:kept',
    );
    expect(data).toEqual(copy);
  });

  it('signs a general that is not an object like any other value', () => {
    expect(stringToSign({ general: 'x', signature: 's' })).toBe('general:x');
    expect(stringToSign({ general: ['a', { signature: 'b' }] })).toBe('general:0:a;general:1:signature:b');
  });

  it('accepts null-prototype objects', () => {
    const data = Object.assign(Object.create(null) as Record<string, unknown>, { b: 2, a: 1 });
    expect(stringToSign(data)).toBe('a:1;b:2');
  });

  it('refuses values that JSON would not send as they are', () => {
    expect(() => stringToSign({ a: NaN })).toThrow(TypeError);
    expect(() => stringToSign({ a: Infinity })).toThrow(TypeError);
    expect(() => stringToSign({ a: { b: new Date(0) } })).toThrow(/Date \(at a:b\)/);
    expect(() => stringToSign({ a: () => 1 })).toThrow(/function/);
    expect(() => stringToSign({ a: Symbol('s') })).toThrow(TypeError);
    expect(() => stringToSign({ a: new Map() })).toThrow(/Map/);
    expect(() => stringToSign(new Date() as unknown as Record<string, unknown>)).toThrow(TypeError);
    expect(() => stringToSign(null as unknown as Record<string, unknown>)).toThrow(TypeError);
  });

  it('refuses circular structures but accepts shared references', () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = { back: loop };
    expect(() => stringToSign(loop)).toThrow(/circular.*self:back/);
    const list: unknown[] = [];
    list.push(list);
    expect(() => stringToSign({ list })).toThrow(/circular/);
    const general: Record<string, unknown> = {};
    general.me = general;
    expect(() => stringToSign({ general })).toThrow(/circular/);
    const shared = { x: 1 };
    expect(stringToSign({ a: shared, b: [shared] })).toBe('a:x:1;b:0:x:1');
  });

  it('treats array holes as empty values', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(stringToSign({ a: [1, , 3] })).toBe('a:0:1;a:1:;a:2:3');
  });
});

describe('sorting', () => {
  it('sorts digit runs numerically in natural order: x:2 < x:10', () => {
    expect(stringToSign({ x: { 10: 'ten', 2: 'two', 1: 'one' } })).toBe('x:1:one;x:2:two;x:10:ten');
    expect(stringToSign({ x: { 10: 'ten', 2: 'two', 1: 'one' } }, { order: 'plain' })).toBe(
      'x:1:one;x:10:ten;x:2:two',
    );
  });

  it('sorts errors:0:… before errors:1:… whatever the key names', () => {
    const data = { errors: [{ zzz: 'a' }, { aaa: 'b' }] };
    expect(stringToSign(data)).toBe('errors:0:zzz:a;errors:1:aaa:b');
    expect(stringToSign(data, { order: 'plain' })).toBe('errors:0:zzz:a;errors:1:aaa:b');
  });

  it('orders arrays of 11+ items differently in natural and plain order', () => {
    const list = Array.from({ length: 12 }, (_, i) => `v${i}`);
    const natural = list.map((v, i) => `list:${i}:${v}`).join(';');
    expect(stringToSign({ list })).toBe(natural);
    const plainOrder = [0, 1, 10, 11, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(stringToSign({ list }, { order: 'plain' })).toBe(
      plainOrder.map((i) => `list:${i}:v${i}`).join(';'),
    );
    // Up to 10 items both orders agree.
    expect(stringToSign({ list: list.slice(0, 10) }, { order: 'plain' })).toBe(
      stringToSign({ list: list.slice(0, 10) }),
    );
  });

  it('sorts by path, not by the whole line', () => {
    // As lines, "a1:x" < "a:5" ('1' < ':'), but as paths "a" < "a1".
    expect(stringToSign({ a1: 'x', a: '5' })).toBe('a:5;a1:x');
    expect(stringToSign({ a1: 'x', a: '5' }, { order: 'plain' })).toBe('a:5;a1:x');
    // ':' sorts after digits and before letters and '_'.
    expect(stringToSign({ card_holder: 'J', card: { cvv: '1' } })).toBe('card:cvv:1;card_holder:J');
  });

  it('compares like PHP strnatcmp (case-sensitive)', () => {
    const sorted = [
      '',
      '1',
      'a',
      'a0',
      'a1',
      'a2',
      'a10',
      'a:',
      'a:0',
      'a:1:z',
      'a:2',
      'a:10',
      'a:100',
      'a_',
      'ab',
      'b',
    ];
    const shuffled = [...sorted].reverse();
    expect(shuffled.sort(naturalCompare)).toEqual(sorted);
    expect(naturalCompare('x:2', 'x:10')).toBe(-1);
    expect(naturalCompare('x:10', 'x:2')).toBe(1);
    expect(naturalCompare('x:10', 'x:10')).toBe(0);
    expect(naturalCompare('x10', 'x9')).toBe(1);
    expect(naturalCompare('x10y', 'x10')).toBe(1);
    expect(naturalCompare('x10', 'x10y')).toBe(-1);
    // Same magnitude: the first different digit decides.
    expect(naturalCompare('x:19', 'x:21')).toBe(-1);
    expect(naturalCompare('x:21', 'x:19')).toBe(1);
    // Runs starting with 0 compare left-aligned, like decimals.
    expect(naturalCompare('x:01', 'x:1')).toBe(-1);
    expect(naturalCompare('x:0', 'x:10')).toBe(-1);
    expect(naturalCompare('x:10', 'x:0')).toBe(1);
    expect(naturalCompare('x:012', 'x:01')).toBe(1);
    expect(naturalCompare('x:01', 'x:012')).toBe(-1);
    expect(naturalCompare('x:02', 'x:01')).toBe(1);
    expect(naturalCompare('x:01a', 'x:01b')).toBe(-1);
    // Leading zeros at the very start are skipped, and whitespace is skipped.
    expect(naturalCompare('007', '7')).toBe(0);
    expect(naturalCompare('a b', 'ab')).toBe(0);
    expect(naturalCompare('a  b', 'a\tb')).toBe(0);
    // …but a string that is longer after the last compared character still sorts after.
    expect(naturalCompare('a ', 'a')).toBe(1);
    expect(naturalCompare('a', 'a ')).toBe(-1);
    expect(naturalCompare('ab ', 'a')).toBe(1);
    expect(naturalCompare('', 'a')).toBe(-1);
    expect(naturalCompare('a', '')).toBe(1);
    expect(naturalCompare('', '')).toBe(0);
    expect(naturalCompare('A', 'a')).toBe(-1);
    // Code points, like PHP's bytes of UTF-8: U+1F600 sorts after U+FFFF.
    expect(naturalCompare('\u{1F600}', '\uFFFF')).toBe(1);
    expect(stringToSign({ '\u{1F600}': 1, '\uFFFF': 2 })).toBe('\uFFFF:2;\u{1F600}:1');
    // Plain order is by UTF-16 code units.
    expect(stringToSign({ '\u{1F600}': 1, '\uFFFF': 2 }, { order: 'plain' })).toBe('\u{1F600}:1;\uFFFF:2');
  });

  it('keeps traversal order for paths that compare equal', () => {
    expect(stringToSign({ 'a b': 1, ab: 2 })).toBe('a b:1;ab:2');
    expect(stringToSign({ ab: 2, 'a b': 1 })).toBe('ab:2;a b:1');
  });
});

describe('numberToPlainString', () => {
  it('expands exponent notation', () => {
    expect(numberToPlainString(1e21)).toBe('1000000000000000000000');
    expect(numberToPlainString(1.2345e22)).toBe('12345000000000000000000');
    expect(numberToPlainString(1.5e-7)).toBe('0.00000015');
    expect(numberToPlainString(-1.5e-7)).toBe('-0.00000015');
    expect(numberToPlainString(5e-324)).toBe(`0.${'0'.repeat(323)}5`);
    // The digits are those of the shortest round-trip form, as JSON.stringify writes them.
    expect(numberToPlainString(Number.MAX_VALUE)).toBe(`17976931348623157${'0'.repeat(292)}`);
    expect(numberToPlainString(18211564672106530)).toBe('18211564672106530');
    expect(numberToPlainString(-0)).toBe('0');
    expect(numberToPlainString(42)).toBe('42');
    expect(numberToPlainString(0.1)).toBe('0.1');
    expect(() => numberToPlainString(NaN)).toThrow(TypeError);
    expect(() => numberToPlainString(-Infinity)).toThrow(TypeError);
  });

  it('round-trips every finite double without an exponent', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const text = numberToPlainString(n);
        expect(text).toMatch(/^-?\d+(\.\d+)?$/);
        expect(Number(text)).toBe(n === 0 ? 0 : n);
        if (!String(n).includes('e')) expect(text).toBe(String(n));
      }),
      { numRuns: 300 },
    );
  });
});

describe('sign and the signing helpers', () => {
  it('signs the natural-order string', async () => {
    const data = { list: Array.from({ length: 11 }, (_, i) => i) };
    expect(await sign(data, SECRET)).toBe(await hmac(stringToSign(data)));
  });

  it('uses the secret as UTF-8', async () => {
    expect(await sign({ a: 1 }, 'clé🔑')).toBe(await hmac('a:1', 'clé🔑'));
  });

  it('refuses an empty secret', async () => {
    await expect(sign({ a: 1 }, '')).rejects.toThrow(TypeError);
  });

  it('signGateRequest returns a signed copy', async () => {
    const body = {
      general: { project_id: 42, payment_id: 'p-1', signature: 'stale' },
      payment: { amount: 1000 },
    };
    const signed = await signGateRequest(body, SECRET);
    expect(body.general.signature).toBe('stale');
    expect(signed).not.toBe(body);
    expect(signed.general.signature).toBe(
      await hmac('general:payment_id:p-1;general:project_id:42;payment:amount:1000'),
    );
    expect(signed.payment).toEqual(body.payment);
    expect(await verify(signed, SECRET)).toBe(true);
  });

  it('signPaymentPageParams signs the flat map without frame_mode', async () => {
    const params = { project_id: 1, payment_id: 'p', payment_amount: 1000, frame_mode: 'popup', flag: 1 };
    expect(await signPaymentPageParams(params, SECRET)).toBe(
      await hmac('flag:1;payment_amount:1000;payment_id:p;project_id:1'),
    );
  });

  it('signPaymentPageParams refuses booleans and non-scalar values', async () => {
    const bad = { project_id: 1, save: true } as unknown as Record<string, string | number>;
    await expect(signPaymentPageParams(bad, SECRET)).rejects.toThrow(TypeError);
    await expect(signPaymentPageParams(bad, SECRET)).rejects.toThrow(/save is a boolean/);
    const nested = { a: { b: 1 } } as unknown as Record<string, string | number>;
    await expect(signPaymentPageParams(nested, SECRET)).rejects.toThrow(/string or a number/);
    const nul = { a: null } as unknown as Record<string, string | number>;
    await expect(signPaymentPageParams(nul, SECRET)).rejects.toThrow(TypeError);
    await expect(signPaymentPageParams([] as unknown as Record<string, string>, SECRET)).rejects.toThrow(
      TypeError,
    );
  });
});

describe('verify', () => {
  const data = { project_id: 7, payment: { id: 'p-9', status: 'success', sum: { amount: 1050 } } };

  it('accepts a signature at the root or in general', async () => {
    const signature = await sign(data, SECRET);
    expect(await verify({ ...data, signature }, SECRET)).toBe(true);
    const withGeneral = { general: { project_id: 7, payment_id: 'p-9' }, payment: data.payment };
    const generalSignature = await sign(withGeneral, SECRET);
    expect(
      await verify(
        { ...withGeneral, general: { ...withGeneral.general, signature: generalSignature } },
        SECRET,
      ),
    ).toBe(true);
  });

  it('looks at the root first', async () => {
    const signature = await sign(data, SECRET);
    const good = { ...data, general: { signature } };
    expect(await verify({ ...good, signature }, SECRET)).toBe(true);
    expect(await verify({ ...good, signature: 'AAAA' }, SECRET)).toBe(false);
    expect(await verify({ ...good, signature: null }, SECRET)).toBe(false);
  });

  it('rejects a wrong signature, a tampered leaf, another secret', async () => {
    const signature = await sign(data, SECRET);
    expect(
      await verify({ ...data, signature: signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }, SECRET),
    ).toBe(false);
    expect(await verify({ ...data, signature: signature.slice(0, -2) }, SECRET)).toBe(false);
    expect(await verify({ ...data, project_id: 8, signature }, SECRET)).toBe(false);
    expect(
      await verify({ ...data, payment: { ...data.payment, sum: { amount: 1051 } }, signature }, SECRET),
    ).toBe(false);
    expect(await verify({ ...data, extra: '', signature }, SECRET)).toBe(false);
    expect(await verify({ ...data, signature }, 'other')).toBe(false);
  });

  it('returns false when the signature is missing or not a string', async () => {
    expect(await verify(data, SECRET)).toBe(false);
    expect(await verify({ ...data, signature: '' }, SECRET)).toBe(false);
    expect(await verify({ ...data, signature: 123 }, SECRET)).toBe(false);
    expect(await verify({ ...data, general: { signature: ['x'] } }, SECRET)).toBe(false);
    expect(await verify({ ...data, general: 'signature' }, SECRET)).toBe(false);
    expect(await verify([] as unknown as Record<string, unknown>, SECRET)).toBe(false);
  });

  it('accepts both natural and plain order', async () => {
    const list = { list: Array.from({ length: 12 }, (_, i) => `item ${i}`) };
    const natural = await hmac(stringToSign(list));
    const plain = await hmac(stringToSign(list, { order: 'plain' }));
    expect(natural).not.toBe(plain);
    expect(await verify({ ...list, signature: natural }, SECRET)).toBe(true);
    expect(await verify({ ...list, signature: plain }, SECRET)).toBe(true);
    expect(await verify({ ...list, list: [...list.list].reverse(), signature: plain }, SECRET)).toBe(false);
  });
});

describe('timingSafeEqual', () => {
  it('compares strings', () => {
    expect(timingSafeEqual('', '')).toBe(true);
    expect(timingSafeEqual('abc', 'abc')).toBe(true);
    expect(timingSafeEqual('abc', 'abd')).toBe(false);
    expect(timingSafeEqual('abc', 'ab')).toBe(false);
    expect(timingSafeEqual('ab', 'abc')).toBe(false);
    expect(timingSafeEqual('', 'a')).toBe(false);
    expect(timingSafeEqual('a\u0000', 'a')).toBe(false);
    expect(timingSafeEqual('é', 'e')).toBe(false);
  });

  it('agrees with ===', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(timingSafeEqual(a, b)).toBe(a === b);
        expect(timingSafeEqual(a, a)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('LosslessNumber', () => {
  it('keeps its text and serialises as a number', () => {
    const n = new LosslessNumber('10.50');
    expect(n.text).toBe('10.50');
    expect(String(n)).toBe('10.50');
    expect(n.toJSON()).toBe(10.5);
    expect(JSON.stringify({ n, big: new LosslessNumber('1E+2') })).toBe('{"n":10.5,"big":100}');
  });

  it('only holds JSON number text', () => {
    for (const text of ['', '01', '1.', '.5', '+1', '1e', 'NaN', '0x10', ' 1', '1;a:b']) {
      expect(() => new LosslessNumber(text), text).toThrow(TypeError);
    }
  });
});

describe('parseJsonLossless', () => {
  it('parses every kind of value, numbers as LosslessNumber', () => {
    const parsed = parseJsonLossless(
      ' {"a": [1, -0.5e+3, 2E-2, 0], "b": {"c": "d", "e": true, "f": false, "g": null}, "h": [], "i": {}}\n',
    );
    expect(parsed).toEqual({
      a: [
        new LosslessNumber('1'),
        new LosslessNumber('-0.5e+3'),
        new LosslessNumber('2E-2'),
        new LosslessNumber('0'),
      ],
      b: { c: 'd', e: true, f: false, g: null },
      h: [],
      i: {},
    });
    expect(parseJsonLossless('"x"')).toBe('x');
    expect(parseJsonLossless('\t null \r\n')).toBe(null);
    expect(parseJsonLossless('-0')).toEqual(new LosslessNumber('-0'));
  });

  it('keeps the text of 10.50 and of integers above 2^53', () => {
    const parsed = parseJsonLossless('{"sum":10.50,"id":12345678901234567890}') as Record<string, unknown>;
    expect((parsed.sum as LosslessNumber).text).toBe('10.50');
    expect((parsed.id as LosslessNumber).text).toBe('12345678901234567890');
    expect(toPlainJson(parsed)).toEqual({ sum: 10.5, id: 12345678901234567000 });
  });

  it('decodes escapes, including surrogate pairs and lone surrogates', () => {
    expect(parseJsonLossless(String.raw`"\"\\\/\b\f\n\r\t\u00e9\u00E9\ud83d\ude00\ud800x"`)).toBe(
      '"\\/\b\f\n\r\téé😀\ud800x',
    );
    expect(parseJsonLossless('"😀 raw é"')).toBe('😀 raw é');
    expect(parseJsonLossless('{"\\u0061\\u003a":1}')).toEqual({ 'a:': new LosslessNumber('1') });
  });

  it('makes __proto__ an own property and pollutes no prototype', () => {
    const parsed = parseJsonLossless(
      '{"__proto__":{"polluted":true},"constructor":{"prototype":1},"a":1}',
    ) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'constructor', 'a']);
    expect(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value).toEqual({ polluted: true });
    expect((parsed as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(stringToSign(parsed)).toBe('__proto__:polluted:1;a:1;constructor:prototype:1');

    const plain = toPlainJson(parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(plain, '__proto__')?.value).toEqual({ polluted: true });
    expect(plain).toEqual(JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":1},"a":1}'));
  });

  it('refuses a key repeated with another value (the body would mean two things), takes an exact repeat', () => {
    expect(() => parseJsonLossless('{"a":1,"b":2,"a":3}')).toThrow(SyntaxError);
    expect(toPlainJson(parseJsonLossless('{"a":1,"b":2,"a":1}'))).toEqual({ a: 1, b: 2 });
  });

  it("rejects invalid JSON with a SyntaxError giving the position (lossless-json's messages)", () => {
    const invalid: [string, RegExp][] = [
      ['', /position \d+/],
      ['   ', /position \d+/],
      ['{', /position \d+/],
      ['{"a"', /position \d+/],
      ['{"a":', /position \d+/],
      ['[1,', /position \d+/],
      ['[1', /position \d+/],
      ['{"a":1', /position \d+/],
      ['tru', /position \d+/],
      ['{a:1}', /position 1\b/],
      ['{"a" 1}', /position 5\b/],
      ['{"a":1,}', /position 7\b/],
      ['{"a":1 "b":2}', /position 7\b/],
      ['[1,]', /position 3\b/],
      ['[1 2]', /position 3\b/],
      ['1 2', /position 2\b/],
      ['truth', /position 0\b/],
      ['trueh', /position 4\b/],
      ['nul', /position \d+/],
      ['nulL', /position 0\b/],
      ['fals', /position \d+/],
      ['True', /position 0\b/],
      ['01', /position 1\b/],
      ['-', /position \d+/],
      ['-a', /position 1\b/],
      ['+1', /position 0\b/],
      ['.5', /position 0\b/],
      ['1.', /position 2\b/],
      ['1.e3', /position 2\b/],
      ['1e', /position 2\b/],
      ['1e+', /position 3\b/],
      ['NaN', /position 0\b/],
      ['"abc', /position 4\b/],
      ['"abc\\', /position 4\b/],
      ['"\\x"', /position 1\b/],
      ['"\\u12"', /position 1\b/],
      ['"\\u12G4"', /position 1\b/],
      ['"a\nb"', /position 2\b/],
      ['"\u0000"', /position 1\b/],
      ["'a'", /position 0\b/],
      ['\uFEFF{}', /position 0\b/],
      ['{"a":1}}', /position 7\b/],
      ['[1]\u00a0', /position 3\b/],
    ];
    for (const [text, message] of invalid) {
      expect(() => parseJsonLossless(text), JSON.stringify(text)).toThrow(SyntaxError);
      expect(() => parseJsonLossless(text), JSON.stringify(text)).toThrow(message);
      expect(() => JSON.parse(text), JSON.stringify(text)).toThrow(SyntaxError);
    }
    expect(() => parseJsonLossless(42 as unknown as string)).toThrow(TypeError);
  });

  it('accepts 256 levels of nesting and rejects deeper', () => {
    expect(() => parseJsonLossless('['.repeat(256) + ']'.repeat(256))).not.toThrow();
    expect(() => parseJsonLossless('{"a":'.repeat(256) + '1' + '}'.repeat(256))).not.toThrow();
    expect(() => parseJsonLossless('['.repeat(257) + ']'.repeat(257))).toThrow(/Nesting deeper than 256/);
    expect(() => parseJsonLossless('{"a":'.repeat(257) + '1' + '}'.repeat(257))).toThrow(SyntaxError);
    expect(() => parseJsonLossless('['.repeat(100_000))).toThrow(SyntaxError);
  });

  it('parses a large document', () => {
    const big = JSON.stringify(
      Array.from({ length: 20_000 }, (_, i) => ({
        id: i,
        name: `item ${i} "quoted" é`,
        price: i / 7,
        ok: i % 2 === 0,
      })),
    );
    expect(toPlainJson(parseJsonLossless(big))).toEqual(JSON.parse(big));
  });

  it('agrees with JSON.parse on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(toPlainJson(parseJsonLossless(text))).toEqual(JSON.parse(text));
        const pretty = JSON.stringify(value, null, 2);
        expect(toPlainJson(parseJsonLossless(pretty))).toEqual(JSON.parse(pretty));
      }),
      { numRuns: 100 },
    );
  });

  it('rejects exactly what JSON.parse rejects', () => {
    const jsonish = fc.stringMatching(/^[[\]{}",:0-9eE.+\- tfalsrun\\]{0,12}$/);
    fc.assert(
      fc.property(fc.oneof(jsonish, fc.string({ maxLength: 8 })), (text) => {
        let expected: unknown;
        let jsonError = false;
        try {
          expected = JSON.parse(text);
        } catch {
          jsonError = true;
        }
        if (jsonError) expect(() => parseJsonLossless(text)).toThrow(SyntaxError);
        else expect(toPlainJson(parseJsonLossless(text))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('toPlainJson', () => {
  it('converts LosslessNumber recursively and leaves other values alone', () => {
    const date = new Date(0);
    expect(
      toPlainJson({ a: [new LosslessNumber('1.50'), { b: new LosslessNumber('-2') }], c: 'x', d: date }),
    ).toEqual({
      a: [1.5, { b: -2 }],
      c: 'x',
      d: date,
    });
    expect(toPlainJson(new LosslessNumber('3'))).toBe(3);
    expect(toPlainJson(null)).toBe(null);
    expect(toPlainJson('s')).toBe('s');
  });
});

describe('verifyCallbackText', () => {
  it('verifies a callback signed over number text that JSON.parse would change', async () => {
    const signed =
      'operation:id:12345678901234567890;operation:sum_initial:amount:10.50;' +
      'operation:sum_initial:currency:EUR;payment:id:p-1;payment:status:success;project_id:123';
    const signature = await hmac(signed);
    const raw =
      '{"project_id":123,"payment":{"id":"p-1","status":"success"},' +
      '"operation":{"id":12345678901234567890,"sum_initial":{"amount":10.50,"currency":"EUR"}},' +
      `"signature":"${signature}"}`;

    const result = await verifyCallbackText(raw, SECRET);
    expect(result).toEqual({
      ok: true,
      data: {
        project_id: 123,
        payment: { id: 'p-1', status: 'success' },
        operation: { id: Number('12345678901234567890'), sum_initial: { amount: 10.5, currency: 'EUR' } },
        signature,
      },
    });
    // The same body through JSON.parse no longer verifies.
    expect(await verify(JSON.parse(raw) as Record<string, unknown>, SECRET)).toBe(false);
    expect(stringToSign(JSON.parse(raw) as Record<string, unknown>)).not.toBe(signed);
  });

  it('finds the signature in general too', async () => {
    const body = await signGateRequest({ general: { project_id: 1, payment_id: 'x' }, amount: 10 }, SECRET);
    expect(await verifyCallbackText(JSON.stringify(body), SECRET)).toEqual({ ok: true, data: body });
  });

  it('says why it refused', async () => {
    const signature = await sign({ a: 1 }, SECRET);
    expect(await verifyCallbackText('{"a":1,', SECRET)).toEqual({ ok: false, reason: 'invalid_json' });
    expect(await verifyCallbackText('', SECRET)).toEqual({ ok: false, reason: 'invalid_json' });
    expect(await verifyCallbackText('[1]', SECRET)).toEqual({ ok: false, reason: 'not_object' });
    expect(await verifyCallbackText('null', SECRET)).toEqual({ ok: false, reason: 'not_object' });
    expect(await verifyCallbackText('"{}"', SECRET)).toEqual({ ok: false, reason: 'not_object' });
    expect(await verifyCallbackText('{"a":1}', SECRET)).toEqual({ ok: false, reason: 'missing_signature' });
    expect(await verifyCallbackText('{"a":1,"signature":5}', SECRET)).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
    expect(await verifyCallbackText(`{"a":2,"signature":"${signature}"}`, SECRET)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(await verifyCallbackText(`{"a":1,"signature":"${signature}"}`, SECRET)).toEqual({
      ok: true,
      data: { a: 1, signature },
    });
    expect(await verifyCallbackText(`{"a":1.0,"signature":"${signature}"}`, SECRET)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

const key = fc.string({ maxLength: 6 }).filter((k) => k !== 'frame_mode' && k !== 'signature');

/** Nested JSON-ish objects; `number` decides which numbers appear. */
function objects(
  number: fc.Arbitrary<number>,
  string: fc.Arbitrary<string>,
): fc.Arbitrary<Record<string, Json>> {
  const { tree } = fc.letrec<{ tree: Json; leaf: Json }>((tie) => ({
    leaf: fc.oneof(string, number, fc.boolean(), fc.constant(null)),
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      tie('leaf'),
      fc.array(tie('tree'), { maxLength: 13 }),
      fc.dictionary(key, tie('tree'), { maxKeys: 5 }),
    ),
  }));
  return fc.dictionary(key, tree, { minKeys: 1, maxKeys: 6 });
}

const anyNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
);
/** Numbers that JSON.stringify writes in plain decimal (no exponent), as a callback would carry them. */
const plainNumber = fc.oneof(
  fc.integer(),
  fc
    .double({ min: -1e15, max: 1e15, noNaN: true })
    .filter((n) => !Object.is(n, -0) && !String(n).includes('e')),
);

function leafPaths(value: Json, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leafPaths(v, [...path, i]));
  if (value !== null && typeof value === 'object')
    return Object.keys(value).flatMap((k) => leafPaths(value[k] as Json, [...path, k]));
  return [path];
}

function getAt(value: Json, path: Path): Json {
  return path.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k] as Json, value);
}

/** A copy of `value` with the leaf at `path` replaced (own `__proto__` keys stay own data properties). */
function setAt(value: Json, path: Path, leaf: Json): Json {
  const [head, ...rest] = path;
  if (head === undefined) return leaf;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? setAt(v, rest, leaf) : v));
  const copy: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value as Record<string, Json>)) {
    Object.defineProperty(copy, k, {
      value: k === head ? setAt(v, rest, leaf) : v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/** A string whose signed text differs from the leaf's (numbers, booleans and null never render as "tampered"). */
function differentLeaf(old: Json): Json {
  return typeof old === 'string' ? `${old}x` : 'tampered';
}

describe('properties', () => {
  it('verify(sign(x)) holds, and changing any one leaf breaks it', async () => {
    await fc.assert(
      fc.asyncProperty(
        objects(anyNumber, fc.string({ unit: 'binary', maxLength: 8 })).filter(
          (x) => leafPaths(x).length > 0,
        ),
        fc.nat(),
        async (data, pick) => {
          const signature = await sign(data, SECRET);
          expect(await verify({ ...data, signature }, SECRET)).toBe(true);
          if (!('general' in data))
            expect(await verify({ ...data, general: { signature } }, SECRET)).toBe(true);

          const paths = leafPaths(data);
          const path = paths[pick % paths.length] as Path;
          const tampered = setAt(data, path, differentLeaf(getAt(data, path))) as Record<string, Json>;
          expect(stringToSign(tampered)).not.toBe(stringToSign(data));
          expect(await verify({ ...tampered, signature }, SECRET)).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a signed object survives JSON.stringify and verifyCallbackText', async () => {
    await fc.assert(
      fc.asyncProperty(objects(plainNumber, fc.string({ maxLength: 8 })), async (data) => {
        const signed = { ...data, signature: await sign(data, SECRET) };
        const text = JSON.stringify(signed);
        expect(await verifyCallbackText(text, SECRET)).toEqual({ ok: true, data: JSON.parse(text) });
      }),
      { numRuns: 100 },
    );
  });
});
