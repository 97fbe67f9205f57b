import type { SessionMethod, SessionView } from '../../core/api.ts';
import { catalog, type MethodId } from '../../core/methods/index.ts';
import { formatMajor, isCurrency } from '../../core/money.ts';
import { useI18n, type MessageId } from '../i18n/index.tsx';

export interface UnavailableMethodsProps {
  /** The session's `unavailable`: the methods that cannot take this order, and why. Nothing shows when empty. */
  unavailable: SessionView['unavailable'] | undefined;
  /** Display names (e.g. the session's methods); the methods' own names otherwise. */
  methods?: readonly Pick<SessionMethod, 'method' | 'name'>[] | undefined;
}

type Reason = SessionView['unavailable'][number]['reason'];

/**
 * The methods that cannot take this order, behind a disclosure (`<details>`) whose summary names them as
 * a shopper would ask: "Why can't I pay with ADVCash or Payco?". Opened, each gets one plain sentence —
 * the shop does not offer it, it does not take the order's currency, or the order is under its smallest
 * (over its largest) payment, as an amount in the shopper's format. `MethodPicker` shows it under the
 * radio group (`showUnavailable`), and `<Checkout>` on its own when no method can take the order.
 *
 * Messages get `{method}`, `{amount}` (the limit, formatted), and the raw `{limit}`, `{currency}`,
 * `{currencies}` for custom texts.
 */
export function UnavailableMethods({ unavailable, methods }: UnavailableMethodsProps) {
  const { t, locale } = useI18n();
  if (!unavailable || unavailable.length === 0) return null;
  const nameOf = (id: MethodId) => methods?.find((m) => m.method === id)?.name ?? catalog.get(id).name;
  return (
    <details className="ecp-unavailable">
      <summary className="ecp-unavailable__summary">
        {t('methods.unavailable.why', {
          methods: listOf(
            unavailable.map((u) => nameOf(u.method)),
            locale,
          ),
        })}
      </summary>
      <ul className="ecp-unavailable__list">
        {unavailable.map(({ method, reason }) => (
          <li key={method}>
            {t(`unavailable.${reason.code}` as MessageId, {
              method: nameOf(method),
              amount: limitAmount(reason, locale),
              currencies: (reason.currencies ?? []).join(', '),
              currency: reason.currency ?? '',
              limit: reason.limit ?? '',
            })}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** "ADVCash, Payco or Jeton Voucher", in the locale's words. */
const listOf = (names: string[], locale: string): string =>
  new Intl.ListFormat(locale, { type: 'disjunction' }).format(names);

/** A limit ("10.00" EUR) as the shopper reads amounts: "€10.00", "10,00 €". */
const limitAmount = ({ limit = '', currency }: Reason, locale: string): string =>
  isCurrency(currency) ? formatMajor(limit, currency, locale) : limit;
