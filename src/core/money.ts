/**
 * Money in ecommpay's terms: integer amounts in the currency's minor units.
 * 1000 PHP = 10.00 PHP; KRW has no minor units, so 1000 KRW = ₩1,000.
 */

/** ISO-4217 minor-unit exponents of every currency the four methods use. */
export const CURRENCY_EXPONENT = {
  BRL: 2,
  EUR: 2,
  GBP: 2,
  KRW: 0,
  KZT: 2,
  MYR: 2,
  PHP: 2,
  RUB: 2,
  UAH: 2,
  USD: 2,
} as const;

export type Currency = keyof typeof CURRENCY_EXPONENT;

export const CURRENCIES = Object.keys(CURRENCY_EXPONENT) as Currency[];

export function isCurrency(code: unknown): code is Currency {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(CURRENCY_EXPONENT, code);
}

export function exponentOf(currency: Currency): number {
  return CURRENCY_EXPONENT[currency];
}

export class MoneyError extends Error {
  override name = 'MoneyError';
}

/** Amounts are positive safe integers of minor units; anything else is refused. */
export function assertMinorAmount(amount: unknown): asserts amount is number {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) {
    throw new MoneyError(`Amount must be an integer number of minor units, got ${String(amount)}`);
  }
  if (amount <= 0) throw new MoneyError(`Amount must be positive, got ${amount}`);
}

/** Converts a major-unit decimal string ("20.00", "1000") to minor units without floating-point error. */
export function toMinor(major: string, currency: Currency): number {
  const exp = exponentOf(currency);
  const m = /^(\d+)(?:\.(\d+))?$/.exec(major.trim().replace(/[,_\s]/g, ''));
  if (!m) throw new MoneyError(`"${major}" is not a decimal amount`);
  const whole = m[1] ?? '0';
  const frac = m[2] ?? '';
  if (frac.length > exp) {
    throw new MoneyError(
      exp === 0
        ? `${currency} has no minor units: "${major}" must be a whole number`
        : `${currency} has ${exp} decimal places: "${major}" has ${frac.length}`,
    );
  }
  const value = Number(whole + frac.padEnd(exp, '0'));
  if (!Number.isSafeInteger(value)) throw new MoneyError(`"${major}" is too large`);
  return value;
}

/** Minor units → a plain major-unit decimal string: 2000 PHP → "20.00", 1000 KRW → "1000". */
export function toMajorString(minor: number, currency: Currency): string {
  const exp = exponentOf(currency);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(Math.trunc(minor)));
  if (exp === 0) return sign + digits;
  const padded = digits.padStart(exp + 1, '0');
  return `${sign}${padded.slice(0, -exp)}.${padded.slice(-exp)}`;
}

/**
 * How each currency's sign is shown, in every locale: one rule, chosen on purpose.
 *
 * - `narrowSymbol` (RM, ₸, ₱, ₽, ₴, ₩, €, £, R$) for every currency whose sign belongs to it alone. Intl's
 *   default (`symbol`) shows some of them as ISO codes in some locales — "MYR 50.00" and "KZT 13,000.00"
 *   beside "₱1,500.00" and "€25.00" in English, "1 500,00 PHP" in Russian — which reads as two styles on
 *   one page, and a code is not what a Malaysian or Kazakh shopper sees on price tags (RM, ₸). Among the
 *   ten currencies the methods take, these narrow signs are all different, so none can be mistaken for
 *   another in a currency picker.
 * - `symbol` for the US dollar: "$" is shared by dozens of currencies, so here the locale's own choice is
 *   the right one ("$" in en-US, "US$" in Korean and en-CA, "USD" in Malay, Ukrainian and en-AU), as a
 *   shopper whose own currency is a dollar must not read a US price as a local one.
 */
export function currencyDisplay(currency: Currency): 'narrowSymbol' | 'symbol' {
  return currency === 'USD' ? 'symbol' : 'narrowSymbol';
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Locale-aware display of a minor-unit amount, e.g. formatMoney(2000, 'PHP', 'en') → "₱20.00",
 * formatMoney(5000, 'MYR', 'en') → "RM 50.00" (the sign per `currencyDisplay`).
 */
export function formatMoney(minor: number, currency: Currency, locale = 'en'): string {
  // Format from the decimal string, not minor / 10^exp, so large amounts keep every digit.
  return formatMajor(toMajorString(minor, currency), currency, locale);
}

/** The same for a major-unit decimal string (a method's limit, "10.00"): formatMajor('10.00', 'EUR') → "€10.00". */
export function formatMajor(major: string, currency: Currency, locale = 'en'): string {
  const key = `${locale}|${currency}`;
  let fmt = formatters.get(key);
  if (!fmt) {
    const exp = exponentOf(currency);
    fmt = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      currencyDisplay: currencyDisplay(currency),
      minimumFractionDigits: exp,
      maximumFractionDigits: exp,
    });
    formatters.set(key, fmt);
  }
  return fmt.format(major as unknown as number);
}
