import type { ButtonHTMLAttributes, MouseEvent } from 'react';
import type { Currency } from '../../core/money.ts';
import { formatMoney } from '../../core/money.ts';
import { useI18n } from '../i18n/index.tsx';

export interface PayButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'children'> {
  amount?: number | undefined;
  currency?: Currency | undefined;
  /** While busy the button stays focusable but ignores presses (`aria-disabled`), and says so. */
  busy?: boolean | undefined;
  label?: string | undefined;
}

/** The submit button: "Pay ₱20.00"; busy while the payment is being created. */
export function PayButton({
  amount,
  currency,
  busy,
  label,
  className,
  onClick,
  type = 'submit',
  ...rest
}: PayButtonProps) {
  const { t, locale } = useI18n();
  const text =
    label ??
    (amount !== undefined && currency
      ? t('pay', { amount: formatMoney(amount, currency, locale) })
      : t('continue'));
  const handleClick = (e: MouseEvent<HTMLButtonElement>) => {
    if (busy) {
      e.preventDefault();
      return;
    }
    onClick?.(e);
  };
  return (
    <button
      {...rest}
      type={type}
      className={`ecp-button ecp-button--primary${className ? ` ${className}` : ''}`}
      aria-disabled={busy ? true : undefined}
      onClick={handleClick}
    >
      {busy ? <span className="ecp-spinner" aria-hidden="true" /> : null}
      <span>{busy ? t('pay.busy') : text}</span>
    </button>
  );
}
