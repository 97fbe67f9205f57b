/**
 * Jeton vouchers are bearer instruments (whoever has the number and the security code can spend them), so
 * they are kept like card data:
 * - a payout's vouchers are stored encrypted (`payments.vouchers`): AES-256-GCM under the first key of
 *   `VOUCHER_KEYS`, the key id stored beside the ciphertext so that every configured key decrypts (keys
 *   rotate by putting a new one first and keeping the old ones until no row uses them);
 * - the raw Gate bodies kept for the record (`callbacks.raw_body`) carry, instead of a voucher number or a
 *   security code, a keyed hash (HMAC-SHA256) and, for a number, its last 4 digits.
 *
 * Hand-written on node:crypto: none of the stack's libraries encrypts, and GCM is a few lines there.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { SealedVouchers, StoredVoucher } from './db/schema.ts';

export type { SealedVouchers };

export interface VoucherKey {
  kid: string;
  key: Buffer;
}

/** The development key (refused in production): 32 fixed bytes, public on purpose. */
export const DEMO_VOUCHER_KEYS = `demo:${Buffer.alloc(32, 'ecommpay-demo-voucher-key').toString('base64')}`;

/** Reads `kid:base64key[,kid:base64key…]`; problems are returned, not thrown (the config lists them all). */
export function parseVoucherKeys(text: string): { keys: VoucherKey[]; problems: string[] } {
  const keys: VoucherKey[] = [];
  const problems: string[] = [];
  for (const part of text.split(',').map((s) => s.trim())) {
    if (part === '') continue;
    const colon = part.indexOf(':');
    const kid = colon > 0 ? part.slice(0, colon) : '';
    const b64 = colon > 0 ? part.slice(colon + 1) : '';
    if (!/^[A-Za-z0-9_.-]{1,32}$/.test(kid)) {
      problems.push('VOUCHER_KEYS: each key must be "kid:base64key" with a key id of letters, digits, _ . -');
      continue;
    }
    const key = Buffer.from(b64, 'base64');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || key.length !== 32) {
      problems.push(`VOUCHER_KEYS: the key "${kid}" must be 32 bytes in base64 (openssl rand -base64 32)`);
      continue;
    }
    if (keys.some((k) => k.kid === kid)) {
      problems.push(`VOUCHER_KEYS: the key id "${kid}" is used twice`);
      continue;
    }
    keys.push({ kid, key });
  }
  if (keys.length === 0 && problems.length === 0) problems.push('VOUCHER_KEYS must name at least one key');
  return { keys, problems };
}

export function isSealed(v: unknown): v is SealedVouchers {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return ['kid', 'iv', 'tag', 'data'].every((k) => typeof o[k] === 'string');
}

/** The ciphertext is bound to its payment: a sealed value copied to another row does not open. */
const aad = (paymentId: string): Buffer => Buffer.from(`payments.vouchers:${paymentId}`);

export class VoucherCipher {
  private readonly byKid: Map<string, Buffer>;
  private readonly current: VoucherKey;

  constructor(keys: readonly VoucherKey[]) {
    const [first] = keys;
    if (!first) throw new Error('VoucherCipher needs at least one key');
    this.current = first;
    this.byKid = new Map(keys.map((k) => [k.kid, k.key]));
  }

  seal(paymentId: string, vouchers: readonly StoredVoucher[]): SealedVouchers {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(aad(paymentId));
    const data = Buffer.concat([cipher.update(JSON.stringify(vouchers), 'utf8'), cipher.final()]);
    return {
      kid: this.current.kid,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
  }

  /**
   * The vouchers of a stored value: sealed ones decrypted, rows written in clear before encryption came
   * (an array) as they are. Throws when the key id is unknown or the ciphertext was tampered with.
   */
  open(paymentId: string, stored: unknown): StoredVoucher[] | null {
    if (stored === null || stored === undefined) return null;
    if (Array.isArray(stored)) return stored as StoredVoucher[];
    if (!isSealed(stored)) throw new Error('payments.vouchers holds neither vouchers nor a sealed value');
    const key = this.byKid.get(stored.kid);
    if (!key) throw new Error(`No VOUCHER_KEYS key has the id "${stored.kid}"`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(stored.iv, 'base64'));
    decipher.setAAD(aad(paymentId));
    decipher.setAuthTag(Buffer.from(stored.tag, 'base64'));
    const text = Buffer.concat([decipher.update(Buffer.from(stored.data, 'base64')), decipher.final()]);
    return JSON.parse(text.toString('utf8')) as StoredVoucher[];
  }

  /**
   * A voucher number's or security code's stand-in in a stored body. Keyed (HMAC under a key derived from
   * the current voucher key), not a bare SHA-256: a security code has 10,000 values and a voucher number
   * a fixed prefix, so an unkeyed hash would be reversed by trying them all. The key id is kept so the same
   * key can be used to match a voucher later. A number keeps its last 4 digits; a code (4 digits) none.
   */
  redactedValue(value: string, withLast4: boolean): string {
    const mac = createHmac('sha256', this.hashKey()).update(value).digest('hex');
    const tail = withLast4 ? `:last4=${value.replace(/\s/g, '').slice(-4)}` : '';
    return `redacted:hmac-sha256:${this.current.kid}:${mac}${tail}`;
  }

  private hashKeyCache: Buffer | undefined;
  private hashKey(): Buffer {
    this.hashKeyCache ??= createHmac('sha256', this.current.key).update('voucher-redaction').digest();
    return this.hashKeyCache;
  }
}

/** Keys naming a voucher number (the Jeton purchase's `account.number` too) or a security code. */
const NUMBER_KEYS = new Set(['vouchernumber', 'number']);
const CODE_KEYS = new Set(['securitycode']);
const norm = (key: string): string => key.toLowerCase().replace(/[_-]/g, '');

/** A copy of a Gate body with every voucher number and security code replaced by its redacted value. */
export function redactVoucherFields(cipher: VoucherCipher, value: unknown, key = ''): unknown {
  const k = norm(key);
  if (typeof value === 'string' || typeof value === 'number') {
    if (NUMBER_KEYS.has(k)) return cipher.redactedValue(String(value), true);
    if (CODE_KEYS.has(k)) return cipher.redactedValue(String(value), false);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => redactVoucherFields(cipher, v, key));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(value)) out[name] = redactVoucherFields(cipher, v, name);
    return out;
  }
  return value;
}

/**
 * The body to store for a verified Gate message: the parsed body redacted and written back as JSON when
 * it holds voucher fields; the raw text as received otherwise (nothing to hide, byte for byte).
 */
export function redactRawBody(cipher: VoucherCipher, rawBody: string, data: unknown): string {
  // Most bodies have no such field: those skip the copy (a callback's hot path).
  if (!/voucher_?number|"number"|security_?code/i.test(rawBody)) return rawBody;
  const redacted = redactVoucherFields(cipher, data);
  return JSON.stringify(redacted) === JSON.stringify(data) ? rawBody : JSON.stringify(redacted);
}
