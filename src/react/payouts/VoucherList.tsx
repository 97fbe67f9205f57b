import { useEffect, useId, useRef, useState } from 'react';
import type { Voucher } from '../../core/api.ts';
import { formatMoney, isCurrency } from '../../core/money.ts';
import { groupDigits } from '../format.ts';
import { useI18n } from '../i18n/index.tsx';

/** Copies text: the async Clipboard API where allowed, else a hidden textarea and `execCommand('copy')`. */
export async function copyText(text: string): Promise<boolean> {
  try {
    const clip = (globalThis as { navigator?: Navigator }).navigator?.clipboard;
    if (clip?.writeText) {
      await clip.writeText(text);
      return true;
    }
  } catch {
    // Refused (no permission, insecure context): try the old way.
  }
  try {
    const doc = (globalThis as { document?: Document }).document;
    if (!doc?.body) return false;
    const area = doc.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'ecp-offscreen';
    doc.body.appendChild(area);
    area.select();
    const ok = typeof doc.execCommand === 'function' && doc.execCommand('copy');
    area.remove();
    return ok;
  } catch {
    return false;
  }
}

function formatDate(iso: string | undefined, locale: string): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(d);
}

/** A voucher's expiry: MM/YYYY as it is; a full date (the Gate's payout callbacks send ISO) in the locale. */
function formatExpiration(value: string, locale: string): string {
  return /^\d{2}\/\d{4}$/.test(value) ? value : (formatDate(value, locale) ?? value);
}

export interface VoucherListProps {
  vouchers: readonly Voucher[];
  heading?: string | undefined;
}

/**
 * Jeton payout vouchers: number (in groups of 4), security code, expiry and value, each with copy
 * buttons. "Copied" is said in a polite live region that is there from the first render.
 */
export function VoucherList({ vouchers, heading }: VoucherListProps) {
  const { t, locale } = useI18n();
  const id = useId();
  const [status, setStatus] = useState('');
  const [copiedKey, setCopiedKey] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const copy = async (key: string, text: string) => {
    const ok = await copyText(text);
    const message = ok ? t('copied') : t('copy.failed');
    setStatus((prev) => (prev === message ? `${message}\u00a0` : message));
    setCopiedKey(ok ? key : null);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setCopiedKey(null), 2000);
  };

  return (
    <section className="ecp-vouchers" aria-labelledby={`${id}-title`}>
      <h2 className="ecp-heading" id={`${id}-title`}>
        {heading ?? t('vouchers.title')}
      </h2>
      <div className="ecp-sr-only" role="status" aria-live="polite" aria-atomic="true">
        {status}
      </div>
      <ol className="ecp-vouchers__list">
        {vouchers.map((v, i) => {
          const issued = formatDate(v.created_at, locale);
          const itemId = `${id}-v${i}`;
          return (
            <li key={`${v.number}-${i}`} className="ecp-voucher" aria-labelledby={`${itemId}-title`}>
              <h3 className="ecp-voucher__title" id={`${itemId}-title`}>
                {t('vouchers.item', { n: i + 1, total: vouchers.length })}
              </h3>
              <dl className="ecp-voucher__data">
                <div>
                  <dt>{t('vouchers.number')}</dt>
                  <dd className="ecp-mono">{groupDigits(v.number, 64)}</dd>
                  <dd>
                    <button
                      type="button"
                      className="ecp-button ecp-button--small"
                      aria-describedby={`${itemId}-title`}
                      onClick={() => void copy(`${i}:number`, v.number)}
                    >
                      {copiedKey === `${i}:number` ? t('copied') : t('copy.number')}
                    </button>
                  </dd>
                </div>
                <div>
                  <dt>{t('vouchers.security_code')}</dt>
                  <dd className="ecp-mono">{v.security_code}</dd>
                  <dd>
                    <button
                      type="button"
                      className="ecp-button ecp-button--small"
                      aria-describedby={`${itemId}-title`}
                      onClick={() => void copy(`${i}:code`, v.security_code)}
                    >
                      {copiedKey === `${i}:code` ? t('copied') : t('copy.security_code')}
                    </button>
                  </dd>
                </div>
                <div>
                  <dt>{t('vouchers.expiry')}</dt>
                  <dd className="ecp-mono">{formatExpiration(v.expiration, locale)}</dd>
                </div>
                {v.amount !== undefined && v.currency && isCurrency(v.currency) ? (
                  <div>
                    <dt>{t('vouchers.value')}</dt>
                    <dd>{formatMoney(v.amount, v.currency, locale)}</dd>
                  </div>
                ) : null}
              </dl>
              {issued ? <p className="ecp-hint">{t('vouchers.issued', { date: issued })}</p> : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
