import { useState, useSyncExternalStore } from 'react';
import type { Client } from '../../core/client.ts';
import {
  createCheckout,
  type CheckoutController,
  type CheckoutOptions,
  type CheckoutSettings,
  type CheckoutSnapshot,
} from '../../core/checkout/index.ts';
import { useIsomorphicLayoutEffect } from '../context.tsx';

export type UseCheckoutControllerOptions = Omit<CheckoutOptions, 'client' | 'apiBaseUrl' | 'autoStart'>;

/**
 * A core checkout controller for this component's life, and its snapshot (`useSyncExternalStore`). The
 * session request starts in the first render (in a browser), not after the first paint; the rest (resume,
 * polling, page listeners) starts in an effect and stops on unmount (and starts again under StrictMode's
 * second mount). The events and redirect settings follow the latest props; the rest is read once.
 */
export function useCheckoutController(
  client: Client,
  options: UseCheckoutControllerOptions,
): [CheckoutSnapshot, CheckoutController] {
  const [controller] = useState(() => {
    const c = createCheckout({ ...options, client, autoStart: false });
    if (typeof document !== 'undefined') c.prefetch();
    return c;
  });
  const settings: CheckoutSettings = options;
  useIsomorphicLayoutEffect(() => controller.update(settings));
  useIsomorphicLayoutEffect(() => {
    controller.start();
    return () => controller.destroy();
  }, [controller]);
  const snapshot = useSyncExternalStore(controller.subscribe, controller.getSnapshot, controller.getSnapshot);
  return [snapshot, controller];
}
