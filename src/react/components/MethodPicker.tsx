import { useId } from 'react';
import type { SessionMethod, SessionView } from '../../core/api.ts';
import type { MethodId } from '../../core/methods/index.ts';
import { formatMoney } from '../../core/money.ts';
import { useI18n, type MessageId } from '../i18n/index.tsx';
import { MethodMark } from './MethodMark.tsx';
import { UnavailableMethods } from './UnavailableMethods.tsx';

export interface MethodPickerProps {
  methods: readonly Pick<SessionMethod, 'method' | 'name' | 'options'>[];
  value: MethodId | undefined;
  onChange: (method: MethodId) => void;
  /** Methods that cannot take this order, and why; listed when `showUnavailable`. */
  unavailable?: SessionView['unavailable'] | undefined;
  showUnavailable?: boolean | undefined;
  /** The radio group's name (default: a unique id). */
  name?: string | undefined;
  legend?: string | undefined;
  /** Show each single-currency method's amount (default true); `<Checkout>` adds them after the first frame. */
  amounts?: boolean | undefined;
}

/**
 * The payment methods as a real radio group (`<fieldset>` + `<input type="radio">`): Tab moves into the
 * group, the arrow keys between methods, Space selects — all native. Each row: the radio, the method's
 * mark (decorative, `aria-hidden`), its name (the radio's name), the amount, and a hint (its description).
 */
export function MethodPicker({
  methods,
  value,
  onChange,
  unavailable,
  showUnavailable,
  name,
  legend,
  amounts = true,
}: MethodPickerProps) {
  const { t, locale } = useI18n();
  const id = useId();
  const group = name ?? `ecp-method-${id}`;
  return (
    <div className="ecp-methods">
      <fieldset className="ecp-methods__group">
        <legend className="ecp-methods__legend">{legend ?? t('methods.legend')}</legend>
        {methods.map((m) => {
          const hintId = `${id}-${m.method}-hint`;
          const only = m.options.length === 1 ? m.options[0] : undefined;
          return (
            <label key={m.method} className="ecp-method" data-method={m.method}>
              <input
                className="ecp-method__radio"
                type="radio"
                name={group}
                value={m.method}
                checked={value === m.method}
                onChange={() => onChange(m.method)}
                aria-describedby={hintId}
              />
              <MethodMark method={m.method} />
              <span className="ecp-method__name">{m.name}</span>
              {only ? (
                <span className="ecp-method__amount">
                  {amounts ? formatMoney(only.amount, only.currency, locale) : null}
                </span>
              ) : null}
              <span className="ecp-method__hint" id={hintId}>
                {t(`method.${m.method}.hint` as MessageId)}
              </span>
            </label>
          );
        })}
      </fieldset>
      {showUnavailable ? <UnavailableMethods unavailable={unavailable} methods={methods} /> : null}
    </div>
  );
}
