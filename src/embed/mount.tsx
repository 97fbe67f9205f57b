/**
 * `mount(element, options)`: the script-tag embed's entry point. Options mirror `<Checkout>`'s props and
 * events; the widget is `<Checkout>` (a view of the core checkout controller), rendered with Preact.
 */
import { createRoot, type Root } from 'react-dom/client';
import { Checkout, type CheckoutProps } from '../react/index.ts';
import '../react/styles.css';

export type MountOptions = CheckoutProps;

export interface MountedCheckout {
  /** Merges new options into the current ones and re-renders (callbacks are replaced, not stacked). */
  update(options: Partial<MountOptions>): void;
  /** Removes the widget and frees its resources; the element is left empty. */
  unmount(): void;
}

function resolveElement(target: Element | string): Element {
  const el = typeof target === 'string' ? document.querySelector(target) : target;
  if (!el || typeof (el as Element).appendChild !== 'function') {
    throw new TypeError(
      `EcommpayCheckout.mount: no element ${typeof target === 'string' ? `matches "${target}"` : 'given'}`,
    );
  }
  return el;
}

export function mount(target: Element | string, options: MountOptions): MountedCheckout {
  if (!options || typeof options.sessionId !== 'string' || options.sessionId === '') {
    throw new TypeError('EcommpayCheckout.mount: options.sessionId is required');
  }
  if (!options.apiBaseUrl && !options.client) {
    throw new TypeError('EcommpayCheckout.mount: options.apiBaseUrl is required');
  }
  const element = resolveElement(target);
  let current: MountOptions = { ...options };
  let root: Root | null = createRoot(element);
  root.render(<Checkout {...current} />);
  return {
    update(next) {
      if (!root) throw new Error('EcommpayCheckout: this widget was unmounted');
      current = { ...current, ...next };
      root.render(<Checkout {...current} />);
    },
    unmount() {
      root?.unmount();
      root = null;
    },
  };
}
