/**
 * The script-tag embed: `<script src="ecommpay-checkout.js">` + `<link rel="stylesheet" href="ecommpay-checkout.css">`,
 * then `EcommpayCheckout.mount(element, options)` — or the `<ecommpay-checkout>` element, defined on load.
 * Built with preact/compat in place of React (vite.config.ts, mode `embed`).
 */
import { defineCheckoutElement } from './element.tsx';

export { mount } from './mount.tsx';
export type { MountedCheckout, MountOptions } from './mount.tsx';

defineCheckoutElement();
