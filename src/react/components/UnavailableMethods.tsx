import type { SessionMethod, SessionView } from '../../core/api.ts';
import type { MethodId } from '../../core/methods/index.ts';
import { useI18n, type MessageId } from '../i18n/index.tsx';

export interface UnavailableMethodsProps {
  /** The session's `unavailable`: the methods that cannot take this order, and why. Nothing shows when empty. */
  unavailable: SessionView['unavailable'] | undefined;
  /** Display names (e.g. the session's methods); the methods' own names otherwise. */
  methods?: readonly Pick<SessionMethod, 'method' | 'name'>[] | undefined;
}

/**
 * "Not available for this order": each method that cannot take it, with the reason (currency, limits…).
 * `MethodPicker` shows it under the radio group (`showUnavailable`), and `<Checkout>` on its own when no
 * method can take the order.
 */
export function UnavailableMethods({ unavailable, methods }: UnavailableMethodsProps) {
  const { t } = useI18n();
  if (!unavailable || unavailable.length === 0) return null;
  return (
    <div className="ecp-unavailable">
      <p className="ecp-unavailable__title">{t('methods.unavailable')}</p>
      <ul>
        {unavailable.map(({ method, reason }) => (
          <li key={method}>
            {t(`unavailable.${reason.code}` as MessageId, {
              method: methods?.find((m) => m.method === method)?.name ?? NAMES[method],
              currencies: (reason.currencies ?? []).join(', '),
              currency: reason.currency ?? '',
              limit: reason.limit ?? '',
            })}
          </li>
        ))}
      </ul>
    </div>
  );
}

const NAMES: Record<MethodId, string> = {
  grabpay: 'GrabPay',
  advcash: 'ADVCash',
  payco: 'Payco',
  jeton: 'Jeton Voucher',
};
