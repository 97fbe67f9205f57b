import { describe, expect, it } from 'vitest';
import {
  assertMinorAmount,
  CURRENCIES,
  currencyDisplay,
  exponentOf,
  formatMajor,
  formatMoney,
  isCurrency,
  MoneyError,
  toMajorString,
  toMinor,
} from '../../src/core/money.ts';

describe('money', () => {
  it('knows the exponent of every currency the methods use; KRW has none', () => {
    expect(exponentOf('KRW')).toBe(0);
    for (const c of CURRENCIES.filter((c) => c !== 'KRW')) expect(exponentOf(c)).toBe(2);
    expect(CURRENCIES).toEqual(
      expect.arrayContaining(['PHP', 'MYR', 'EUR', 'BRL', 'GBP', 'KZT', 'RUB', 'UAH', 'USD']),
    );
  });

  it('recognises currencies', () => {
    expect(isCurrency('PHP')).toBe(true);
    expect(isCurrency('php')).toBe(false);
    expect(isCurrency('toString')).toBe(false);
    expect(isCurrency(5)).toBe(false);
  });

  it('accepts only positive safe integers as amounts', () => {
    expect(() => assertMinorAmount(1)).not.toThrow();
    for (const bad of [0, -1, 10.5, NaN, Infinity, 2 ** 53, '100', null]) {
      expect(() => assertMinorAmount(bad)).toThrow(MoneyError);
    }
  });

  it('converts major decimal strings to minor units exactly', () => {
    expect(toMinor('20.00', 'PHP')).toBe(2000);
    expect(toMinor('20', 'PHP')).toBe(2000);
    expect(toMinor('0.1', 'EUR')).toBe(10);
    expect(toMinor('1,250.00', 'EUR')).toBe(125000);
    expect(toMinor('1000', 'KRW')).toBe(1000);
    expect(() => toMinor('1000.5', 'KRW')).toThrow(/no minor units/);
    expect(() => toMinor('1.005', 'EUR')).toThrow(/2 decimal places/);
    expect(() => toMinor('abc', 'EUR')).toThrow(/not a decimal/);
    expect(() => toMinor('99999999999999999999', 'EUR')).toThrow(/too large/);
  });

  it('renders minor units as plain major strings', () => {
    expect(toMajorString(2000, 'PHP')).toBe('20.00');
    expect(toMajorString(5, 'PHP')).toBe('0.05');
    expect(toMajorString(1000, 'KRW')).toBe('1000');
    expect(toMajorString(-150, 'USD')).toBe('-1.50');
  });

  it('formats per locale with Intl', () => {
    expect(formatMoney(2000, 'PHP', 'en')).toBe('₱20.00');
    expect(formatMoney(1000, 'KRW', 'ko')).toBe('₩1,000');
    expect(formatMoney(1000, 'KRW', 'en')).toBe('₩1,000');
    expect(formatMoney(123456, 'EUR', 'de')).toMatch(/1\.234,56\s€/);
    // Big amounts keep every digit.
    expect(formatMoney(9007199254740991, 'USD', 'en')).toBe('$90,071,992,547,409.91');
  });

  // The style chosen in currencyDisplay: the currency's own sign, never its ISO code, except for the dollar.
  const LOCALES = ['en', 'ru', 'ko', 'ms', 'fil', 'uk'];
  const nbsp = (s: string) => s.replace(/\s/g, ' ');

  it('shows MYR and KZT with their own signs, as PHP and EUR are, in English', () => {
    expect(nbsp(formatMoney(5000, 'MYR', 'en'))).toBe('RM 50.00');
    expect(formatMoney(1_300_000, 'KZT', 'en')).toBe('₸13,000.00');
    expect(formatMoney(150_000, 'PHP', 'en')).toBe('₱1,500.00');
    expect(formatMoney(2500, 'EUR', 'en')).toBe('€25.00');
    expect(nbsp(formatMoney(150_000, 'PHP', 'ru'))).toBe('1 500,00 ₱');
    expect(nbsp(formatMoney(2500, 'EUR', 'uk'))).toBe('25,00 €');
  });

  it('never shows an ISO code but for the dollar, and no two currencies alike, in every widget locale', () => {
    for (const locale of LOCALES) {
      const shown = CURRENCIES.map((c) => formatMoney(c === 'KRW' ? 1000 : 100_000, c, locale));
      const signs = shown.map((s) => s.replace(/[\d\s.,]/g, ''));
      expect(new Set(signs).size, `${locale}: ${shown.join(' | ')}`).toBe(CURRENCIES.length);
      CURRENCIES.forEach((c, i) => {
        if (c !== 'USD') expect(shown[i], `${c} in ${locale}`).not.toContain(c);
      });
    }
  });

  it('shows the US dollar as the locale does: "$" in English, "US$" in Korean, "USD" in Malay', () => {
    expect(formatMoney(2700, 'USD', 'en')).toBe('$27.00');
    expect(formatMoney(2700, 'USD', 'ko')).toBe('US$27.00');
    expect(nbsp(formatMoney(2700, 'USD', 'ms'))).toBe('USD 27.00');
    expect(currencyDisplay('USD')).toBe('symbol');
  });

  it('formats a major-unit decimal string (a limit) the same way', () => {
    expect(formatMajor('10.00', 'EUR', 'en')).toBe('€10.00');
    expect(formatMajor('25000', 'KRW', 'ko')).toBe('₩25,000');
    expect(formatMajor('500.00', 'KZT', 'en')).toBe(formatMoney(50_000, 'KZT', 'en'));
  });
});
