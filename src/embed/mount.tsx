/**
 * The embed's `mount` in stage one (`./app.tsx`; the page calls the loader's, `./loader.ts`): `<Checkout>`
 * (a view of the core checkout controller) rendered with Preact.
 */
import { createRoot, type Root } from 'react-dom/client';
import { createClient, type Client } from '../core/client.ts';
import { Checkout, type CheckoutProps } from '../react/Checkout.tsx';
import '../react/styles.css';

export type MountOptions = CheckoutProps;

export interface MountedCheckout {
  /** Merges new options into the current ones and re-renders (callbacks are replaced, not stacked). */
  update(options: Partial<MountOptions>): void;
  /** Removes the widget and frees its resources; the element is left empty. */
  unmount(): void;
}

/** The session request the loader started before this file had loaded. */
export interface PrefetchedSession {
  url: string;
  response: Promise<Response>;
}

/**
 * The embed's client: the payment POST as a CORS-simple request (no preflight round trip before Pay), and
 * the first request for the session answered by the loader's request, when it started one.
 */
function embedClient(baseUrl: string, prefetched: PrefetchedSession | undefined): Client {
  let early: Promise<Response> | undefined = prefetched?.response;
  return createClient({
    baseUrl,
    simpleRequests: true,
    fetch: (input, init) => {
      if (early && input === prefetched?.url && (init?.method ?? 'GET') === 'GET') {
        const r = early;
        early = undefined;
        return r;
      }
      return fetch(input, init);
    },
  });
}

export function mount(
  element: Element,
  options: MountOptions,
  prefetched?: PrefetchedSession,
): MountedCheckout {
  let current: MountOptions =
    options.apiBaseUrl && !options.client
      ? { ...options, client: embedClient(options.apiBaseUrl, prefetched) }
      : { ...options };
  let root: Root | null = createRoot(element);
  root.render(<Checkout {...current} />);
  return {
    update(next) {
      if (!root) throw new Error('EcommpayCheckout: this widget was unmounted');
      current = { ...current, ...next };
      // A new backend URL: a client for it (unless the page gave its own).
      if (next.apiBaseUrl !== undefined && !next.client && !options.client)
        current.client = embedClient(next.apiBaseUrl, undefined);
      root.render(<Checkout {...current} />);
    },
    unmount() {
      root?.unmount();
      root = null;
    },
  };
}
