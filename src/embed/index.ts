/**
 * The script-tag embed's loader, `ecommpay-checkout.js`: `<script src="ecommpay-checkout.js">` +
 * `<link rel="stylesheet" href="ecommpay-checkout.css">`, then `EcommpayCheckout.mount(element, options)` —
 * or the `<ecommpay-checkout>` element, defined here at once.
 *
 * Two stages (vite.config.ts → `embedStages`): this classic script only starts loading the widget — stage
 * one (Preact, the core controller, the method list, the amounts, Pay) and, behind it, stage two (the forms
 * with react-hook-form and zod) — and `mount()` starts the session request at once, in parallel with both.
 * It holds no widget code itself: a few hundred bytes to evaluate before the page goes on.
 */
import { defineCheckoutElement } from './element.ts';
import { mount, preloadStages } from './loader.ts';

export type { MountedCheckout, MountOptions } from './loader.ts';

declare global {
  interface Window {
    EcommpayCheckout?: { mount: typeof mount };
  }
}

preloadStages();
window.EcommpayCheckout = { mount };
defineCheckoutElement();
