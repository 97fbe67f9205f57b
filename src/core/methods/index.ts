import { isCurrency, toMajorString, type Currency } from '../money.ts';
import { advcash, type AdvCashPaymentPageCode } from './advcash.ts';
import { grabpay } from './grabpay.ts';
import { DEFAULT_JETON_CURRENCIES, jetonMethod } from './jeton.ts';
import { payco } from './payco.ts';
import type { AmountLimits, MethodDefinition, MethodId } from './types.ts';

export * from './types.ts';
export { advcash, advCashFields, advCashPayoutAccount, type AdvCashFields } from './advcash.ts';
export {
  grabpay,
  grabPayMyrFields,
  grabPayPhpFields,
  grabPayPayoutAccount,
  type GrabPayFields,
} from './grabpay.ts';
export { payco, paycoFields, type PaycoFields } from './payco.ts';
export {
  jeton,
  jetonFields,
  jetonFieldsShape,
  jetonMethod,
  jetonPayoutAccount,
  isExpiryCurrent,
  splitIntoVouchers,
  VOUCHER_MAX_MAJOR,
  VOUCHER_MIN_MAJOR,
  type JetonFields,
} from './jeton.ts';
export {
  blankToUndefined,
  customerFieldSpec,
  fieldInput,
  fieldsSchemaFrom,
  formSchema,
  payoutAccountSchema,
} from './fields.ts';

/** The built-in methods, in the order the widget lists them. */
export const METHOD_IDS: readonly MethodId[] = ['grabpay', 'advcash', 'payco', 'jeton'];

/** Methods added with `registerMethod`, after the built-in ones. */
const registered: MethodDefinition[] = [];

/**
 * Adds a method to every catalog (the widget's, the backend's and the sandbox's read the same list):
 * its module is all the core needs. Register it before the backend or the sandbox is created; the
 * sandbox also needs its provider (`registerProvider` in src/sandbox/providers). docs/architecture.md,
 * "Adding a method".
 */
export function registerMethod(method: ExtraMethodDefinition): void {
  if (isMethodId(method.id)) throw new Error(`Payment method ${method.id} is already registered`);
  registered.push(method as MethodDefinition);
}

/** A method module outside this package: any id not taken. */
export type ExtraMethodDefinition<Fields = unknown> = Omit<MethodDefinition<Fields>, 'id'> & { id: string };

/** Removes a method added with `registerMethod` (tests). */
export function unregisterMethod(id: string): void {
  const i = registered.findIndex((m) => m.id === id);
  if (i >= 0) registered.splice(i, 1);
}

export function isMethodId(v: unknown): v is MethodId {
  return (
    typeof v === 'string' &&
    ((METHOD_IDS as readonly string[]).includes(v) || registered.some((m) => m.id === v))
  );
}

/** A registered method's text in a language (English when it has none there), for the widget's `t`. */
export function methodMessage(language: string, key: string): string | undefined {
  for (const m of registered) {
    const text = m.messages?.[language]?.[key] ?? m.messages?.en?.[key];
    if (text !== undefined) return text;
  }
  return undefined;
}

export interface CatalogConfig {
  /** Jeton Voucher currencies agreed with the account manager. */
  jetonCurrencies?: readonly Currency[];
  /** ADVCash Payment Page code agreed with the account manager. */
  advcashPaymentPageCode?: AdvCashPaymentPageCode;
  /** Test project: applies the test rules (ADVCash accepts UAH only). */
  testProject?: boolean;
}

export type UnavailableCode =
  'not_enabled' | 'currency_not_supported' | 'test_currency_only' | 'below_minimum' | 'above_maximum';

export interface UnavailableReason {
  code: UnavailableCode;
  /** English text, e.g. "GrabPay PHP minimum is 20.00". */
  message: string;
  currency?: Currency;
  /** The limit as a major-unit decimal string, for below_minimum / above_maximum. */
  limit?: string;
  currencies?: Currency[];
}

export interface AvailableMethod {
  method: MethodId;
  /** The session's prices this method can take, in the order given. */
  options: { currency: Currency; amount: number }[];
}

export interface Availability {
  available: AvailableMethod[];
  unavailable: { method: MethodId; reason: UnavailableReason }[];
}

export type Prices = Partial<Record<Currency, number>>;

export interface Catalog {
  readonly methods: readonly MethodDefinition[];
  get(id: MethodId): MethodDefinition;
  paymentPageCode(id: MethodId): string;
  /** Which currencies the method accepts here (test projects narrow ADVCash to UAH). */
  currenciesOf(id: MethodId): readonly Currency[];
  /** Why a method cannot take this amount, or null when it can. */
  check(id: MethodId, amount: number, currency: Currency): UnavailableReason | null;
  checkPayout(id: MethodId, amount: number, currency: Currency): UnavailableReason | null;
  availability(prices: Prices, enabled?: readonly MethodId[]): Availability;
}

/** The method a callback's `payment.method` names (its `callbackLabels`), if any. */
export function methodFromCallbackLabel(catalog: Catalog, label: string): MethodId | undefined {
  const key = label.toLowerCase().replace(/[^a-z]/g, '');
  return catalog.methods.find((m) => m.callbackLabels.some((l) => key.startsWith(l)))?.id;
}

function checkLimits(
  name: string,
  currency: Currency,
  amount: number,
  limits: AmountLimits | undefined,
  what = '',
): UnavailableReason | null {
  if (limits?.min !== undefined && amount < limits.min) {
    const limit = toMajorString(limits.min, currency);
    return {
      code: 'below_minimum',
      currency,
      limit,
      message: `${name} ${currency}${what} minimum is ${limit}`,
    };
  }
  if (limits?.max !== undefined && amount > limits.max) {
    const limit = toMajorString(limits.max, currency);
    return {
      code: 'above_maximum',
      currency,
      limit,
      message: `${name} ${currency}${what} maximum is ${limit}`,
    };
  }
  return null;
}

export function createCatalog(config: CatalogConfig = {}): Catalog {
  const jeton = jetonMethod(config.jetonCurrencies ?? DEFAULT_JETON_CURRENCIES);
  const builtIn = [grabpay, advcash, payco, jeton] as MethodDefinition[];
  // Read on every use, so a method registered after this catalog was made still shows.
  const list = (): readonly MethodDefinition[] =>
    registered.length > 0 ? [...builtIn, ...registered] : builtIn;

  const get = (id: MethodId): MethodDefinition => {
    const m = list().find((x) => x.id === id);
    if (!m) throw new Error(`Unknown payment method: ${String(id)}`);
    return m;
  };

  const currenciesOf = (id: MethodId): readonly Currency[] => {
    const m = get(id);
    return config.testProject && m.testProject.currencies ? m.testProject.currencies : m.currencies;
  };

  const check = (id: MethodId, amount: number, currency: Currency): UnavailableReason | null => {
    const m = get(id);
    if (!isCurrency(currency) || !m.currencies.includes(currency)) {
      return {
        code: 'currency_not_supported',
        currency,
        currencies: [...m.currencies],
        message: `${m.name} accepts ${m.currencies.join(', ')} only`,
      };
    }
    const allowed = currenciesOf(id);
    if (!allowed.includes(currency)) {
      return {
        code: 'test_currency_only',
        currency,
        currencies: [...allowed],
        message: `The ${m.name} test project accepts ${allowed.join(', ')} only`,
      };
    }
    return checkLimits(m.name, currency, amount, m.purchaseLimits[currency]);
  };

  const checkPayout = (id: MethodId, amount: number, currency: Currency): UnavailableReason | null => {
    const m = get(id);
    if (!m.payout) {
      return { code: 'not_enabled', message: `${m.name} has no payouts` };
    }
    if (!m.payout.currencies.includes(currency)) {
      return {
        code: 'currency_not_supported',
        currency,
        currencies: [...m.payout.currencies],
        message: `${m.name} payouts accept ${m.payout.currencies.join(', ')} only`,
      };
    }
    const testOnly = config.testProject ? m.testProject.currencies : undefined;
    if (testOnly && !testOnly.includes(currency)) {
      return {
        code: 'test_currency_only',
        currency,
        currencies: [...testOnly],
        message: `The ${m.name} test project accepts ${testOnly.join(', ')} only`,
      };
    }
    return checkLimits(m.name, currency, amount, m.payout.limits[currency], ' payout');
  };

  const availability = (prices: Prices, enabled?: readonly MethodId[]): Availability => {
    const methods = list();
    const result: Availability = { available: [], unavailable: [] };
    const entries = Object.entries(prices).filter(
      (e): e is [Currency, number] => isCurrency(e[0]) && typeof e[1] === 'number',
    );
    for (const m of methods) {
      if (enabled && !enabled.includes(m.id)) {
        result.unavailable.push({
          method: m.id,
          reason: { code: 'not_enabled', message: `${m.name} is not offered for this order` },
        });
        continue;
      }
      const options: AvailableMethod['options'] = [];
      let firstReason: UnavailableReason | null = null;
      for (const [currency, amount] of entries) {
        const reason = check(m.id, amount, currency);
        if (reason) {
          // Prefer the most telling reason: a limit on a currency it takes beats "wrong currency".
          if (
            !firstReason ||
            (firstReason.code === 'currency_not_supported' && reason.code !== firstReason.code)
          ) {
            firstReason = reason;
          }
        } else {
          options.push({ currency, amount });
        }
      }
      if (options.length > 0) result.available.push({ method: m.id, options });
      else
        result.unavailable.push({
          method: m.id,
          reason: firstReason ?? {
            code: 'currency_not_supported',
            message: `${m.name} accepts none of these currencies`,
          },
        });
    }
    return result;
  };

  return {
    get methods() {
      return list();
    },
    get,
    currenciesOf,
    paymentPageCode: (id) => {
      if (id === 'advcash') return config.advcashPaymentPageCode ?? 'advcash';
      return get(id).paymentPageCodes[0] as string;
    },
    check,
    checkPayout,
    availability,
  };
}

/** The catalog with default settings. */
export const catalog = createCatalog();
