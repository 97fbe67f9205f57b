/**
 * `<ecommpay-checkout session-id="…" api-base-url="…" locale="…">`: the checkout as a custom element, for
 * pages without React (Vue, Angular, Svelte, plain HTML). It mounts the same `<Checkout>` (the same core
 * controller) as `mount()`, and reports its events as DOM `CustomEvent`s that bubble: `ready`,
 * `method-change`, `submit` (cancelable: `preventDefault()` stops the payment), `redirect`, `complete`
 * (`detail` is the payment) and `error` (`detail: { error, stage }`).
 *
 * Light DOM, not a shadow root: the embed's stylesheet (`ecommpay-checkout.css`, which the page already
 * links) and the page's `--ecp-*` theme variables and fonts apply as they are, focus and the live region
 * behave as in the rest of the page, and a strict CSP needs nothing more (a shadow root would need the
 * stylesheet linked again inside it).
 */
import { mount, type MountedCheckout, type MountOptions } from './loader.ts';

const ATTRIBUTES = ['session-id', 'api-base-url', 'locale'] as const;

export function defineCheckoutElement(name = 'ecommpay-checkout'): void {
  if (typeof customElements === 'undefined' || customElements.get(name)) return;

  class EcommpayCheckoutElement extends HTMLElement {
    static observedAttributes = [...ATTRIBUTES];
    private widget: MountedCheckout | null = null;

    private emit(type: string, detail: unknown, cancelable = false): boolean {
      return this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
    }

    private options(): MountOptions | null {
      const sessionId = this.getAttribute('session-id');
      const apiBaseUrl = this.getAttribute('api-base-url');
      if (!sessionId || !apiBaseUrl) return null;
      const locale = this.getAttribute('locale');
      return {
        sessionId,
        apiBaseUrl,
        ...(locale ? { locale } : {}),
        onReady: (e) => this.emit('ready', e),
        onMethodChange: (e) => this.emit('method-change', e),
        onSubmit: (e) => this.emit('submit', e, true),
        onRedirect: (e) => this.emit('redirect', e),
        onComplete: (payment) => this.emit('complete', payment),
        onError: (error, { stage }) => this.emit('error', { error, stage }),
      };
    }

    private render(): void {
      this.widget?.unmount();
      this.widget = null;
      const options = this.options();
      if (options && this.isConnected) this.widget = mount(this, options);
    }

    connectedCallback(): void {
      this.render();
    }

    disconnectedCallback(): void {
      this.widget?.unmount();
      this.widget = null;
    }

    attributeChangedCallback(_name: string, before: string | null, after: string | null): void {
      if (before !== after && this.isConnected) this.render();
    }
  }

  customElements.define(name, EcommpayCheckoutElement);
}
