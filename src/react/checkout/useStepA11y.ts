import { useEffect, useRef, type RefObject } from 'react';
import { useIsomorphicLayoutEffect } from '../context.tsx';

/**
 * Focus moves to the new step's heading on every change of step (not on the first render, and not from
 * "loading": never steal focus when the page opens).
 */
export function useStepFocus(root: RefObject<HTMLElement | null>, stepKey: string): void {
  const previous = useRef<string | null>(null);
  useIsomorphicLayoutEffect(() => {
    const before = previous.current;
    previous.current = stepKey;
    if (before === null || before.startsWith('loading') || before === stepKey) return;
    root.current?.querySelector<HTMLElement>('[data-ecp-step-heading]')?.focus();
  }, [stepKey]);
}

/**
 * What the step on screen is, in the live region, on every change of step (or of what the step says: the
 * redirect step on the way / held / refused, a result's status). The page opening (loading, then the
 * methods) says nothing: its content is there to be read. `text` is read only when the key changes.
 */
export function useStepAnnouncement(
  key: string,
  quietOnOpening: boolean,
  text: () => string,
  announce: (text: string) => void,
): void {
  const announced = useRef<string | null>(null);
  useEffect(() => {
    const before = announced.current;
    if (before === key) return;
    announced.current = key;
    const opening = before === null || before.startsWith('loading:');
    if (quietOnOpening && opening) return;
    announce(text());
    // On step changes only (not on every re-render of the same step): the key says what changed.
  }, [key]);
}

/**
 * The methods first, the chosen method's form and the amounts right after: the list shows (and takes a
 * choice) as soon as the session is there, and the form, the heavier render, follows once that frame has
 * been painted (or once its chunk has loaded). The amounts wait with it because the page's first
 * `Intl.NumberFormat` loads the locale's number data (~50 ms on a throttled phone CPU); they have a cell
 * of their own, so nothing moves when they appear. This brings the list forward by 80–150 ms there.
 */
export function useAfterFirstPaint(active: boolean, shown: boolean, show: () => void): void {
  useEffect(() => {
    if (!active || shown) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const later = () => {
      timer = setTimeout(show, 0);
    };
    // After the next paint: a frame callback runs before painting, the timeout it queues after it.
    const frame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(later) : undefined;
    if (frame === undefined) later();
    return () => {
      if (frame !== undefined) cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [active, shown]);
}
