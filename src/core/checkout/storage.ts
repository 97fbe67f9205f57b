/**
 * The tab's memory of a checkout: sessionStorage, tolerating its absence (SSR) and its refusals (private
 * modes, sandboxed frames). The controller reaches it through `CheckoutEnvironment.storage` (a seam).
 */

function store(): Storage | undefined {
  try {
    return (globalThis as { sessionStorage?: Storage }).sessionStorage;
  } catch {
    return undefined;
  }
}

export function readStored(key: string): string | null {
  try {
    return store()?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

export function writeStored(key: string, value: string | null): void {
  try {
    const s = store();
    if (!s) return;
    if (value === null) s.removeItem(key);
    else s.setItem(key, value);
  } catch {
    // Storage full or refused: resuming after a reload is a convenience, the flow works without it.
  }
}

/** Where a session's current payment id is kept, so a reload mid-payment resumes it. */
export const paymentStorageKey = (sessionId: string) => `ecp:payment:${sessionId}`;
/** Marks a payment whose `onComplete` has fired in this tab. */
export const completedStorageKey = (paymentId: string) => `ecp:completed:${paymentId}`;
