/**
 * Everything the checkout controller needs from a browser, behind one seam: the defaults look up
 * `window`, `location`, `history` and `sessionStorage` lazily through `globalThis` (never at import, so
 * the module is SSR-safe), and tests pass stand-ins. Nothing else in `src/core/checkout/` touches the DOM.
 */
import { RETURN_PARAMS } from '../api.ts';
import {
  isInIframe,
  performRedirect,
  type Navigation,
  type RedirectData,
  type RedirectPolicy,
  type RedirectTarget,
} from '../redirect.ts';
import { readStored, writeStored } from './storage.ts';

/** A popup window, as far as the checkout uses it. */
export interface PopupLike {
  close(): void;
  location: { href: string };
}

export interface CheckoutEnvironment {
  /** sessionStorage-like memory of the tab (resume after a reload, onComplete once per payment). */
  storage: { get(key: string): string | null; set(key: string, value: string | null): void };
  /** The payment id of the return URL (`?ecp_payment=`), if the page was opened with one. */
  returnedPayment(): string | null;
  /** Removes the return parameters from the address bar (after "try again", a reload starts afresh). */
  clearReturnParams(): void;
  /** Calls `listener` when the page is shown from the back/forward cache; returns the unsubscribe. */
  onPageRestored(listener: () => void): () => void;
  /** Whether the checkout runs in a frame (the `auto` redirect target is then the top window). */
  inIframe(): boolean;
  /** Leaves for the provider: GET navigation or auto-submitted POST form (core `performRedirect`). */
  navigate(data: RedirectData, opts: { target: RedirectTarget; policy?: RedirectPolicy }): Navigation;
  /** Opens (`url` '' for a blank one, pointed at the URL later) the Payment Page's popup; null if blocked. */
  openPopup(url: string): PopupLike | null;
}

type Globals = {
  location?: Location;
  history?: History;
  addEventListener?: (type: string, l: (e: Event) => void) => void;
  removeEventListener?: (type: string, l: (e: Event) => void) => void;
  open?: (url: string, name: string, features: string) => PopupLike | null;
};
const g = () => globalThis as unknown as Globals;

export const browserEnvironment: CheckoutEnvironment = {
  storage: { get: readStored, set: writeStored },
  returnedPayment() {
    try {
      const id = new URLSearchParams(g().location?.search ?? '').get(RETURN_PARAMS.payment);
      return id && id.trim() !== '' ? id : null;
    } catch {
      return null;
    }
  },
  clearReturnParams() {
    try {
      const { location: loc, history: hist } = g();
      if (!loc || !hist) return;
      const url = new URL(loc.href);
      if (!url.searchParams.has(RETURN_PARAMS.payment)) return;
      url.searchParams.delete(RETURN_PARAMS.payment);
      url.searchParams.delete(RETURN_PARAMS.result);
      hist.replaceState(hist.state, '', url.href);
    } catch {
      // Not allowed here (sandboxed frame): harmless.
    }
  },
  onPageRestored(listener) {
    const w = g();
    if (typeof w.addEventListener !== 'function') return () => {};
    const onShow = (e: Event) => {
      if ((e as PageTransitionEvent).persisted) listener();
    };
    w.addEventListener('pageshow', onShow);
    return () => w.removeEventListener?.('pageshow', onShow);
  },
  inIframe: () => isInIframe(),
  navigate: (data, opts) => performRedirect(data, opts),
  openPopup(url) {
    const w = g();
    return typeof w.open === 'function'
      ? w.open(url, 'ecp_payment_page', 'popup,width=520,height=760')
      : null;
  },
};
