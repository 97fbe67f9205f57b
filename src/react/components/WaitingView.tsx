import { useEffect, useState } from 'react';
import { useT } from '../i18n/index.tsx';
import { StepHeading } from './StepHeading.tsx';

export interface WaitingViewProps {
  /** When the wait started (ms since epoch); default: when the view mounted. */
  startedAt?: number | undefined;
  /** How long the wait usually takes; the bar fills over this time, then "taking longer" shows. Default 60 s. */
  expectedMs?: number | undefined;
  /** Shows "Check again" (always once past `expectedMs`, or when polling stopped). */
  onCheckAgain?: (() => void) | undefined;
  /** Polling stopped (time limit): offer the check at once. */
  stopped?: boolean | undefined;
  heading?: string | undefined;
  message?: string | undefined;
  headingId?: string | undefined;
}

/** Waiting for the result, with a visible progress bar bounded by the expected time. */
export function WaitingView({
  startedAt,
  expectedMs = 60_000,
  onCheckAgain,
  stopped,
  heading,
  message,
  headingId,
}: WaitingViewProps) {
  const t = useT();
  const [start] = useState(() => startedAt ?? Date.now());
  // The clock now, not `start`: a wait that began earlier (`startedAt`) shows its progress at once.
  const [now, setNow] = useState(() => Date.now());
  const elapsed = Math.max(0, now - start);
  const slow = stopped || elapsed >= expectedMs;
  useEffect(() => {
    if (slow) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [slow]);
  const percent = Math.min(100, Math.round((elapsed / expectedMs) * 100));
  return (
    <section className="ecp-step ecp-step--waiting" aria-labelledby={headingId} aria-busy={!slow}>
      <StepHeading id={headingId}>{heading ?? t('step.waiting')}</StepHeading>
      <p>{message ?? t('waiting.body')}</p>
      <progress className="ecp-progress" max={100} value={percent} aria-label={t('waiting.progress')} />
      {slow ? (
        <div className="ecp-slow">
          <p>{t('waiting.slow')}</p>
          {onCheckAgain ? (
            <button type="button" className="ecp-button ecp-button--secondary" onClick={onCheckAgain}>
              {t('waiting.check')}
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
