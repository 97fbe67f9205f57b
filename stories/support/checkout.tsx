import type { Meta, StoryContext } from '@storybook/react-vite';
import { fn } from 'storybook/test';
import type { PaymentView } from '../../src/core/api.ts';
import { planRedirect } from '../../src/core/redirect.ts';
import { Checkout, LANGUAGES, type BeforeRedirectEvent, type CheckoutProps } from '../../src/react/index.ts';
import { paymentStorageKey } from '../../src/core/checkout/storage.ts';
import { API, createBackend, type Backend, type BackendOptions } from './backend.ts';
import { toolbar } from './decorators.tsx';

/**
 * `<Checkout>` for stories: on the mocked backend of the surrounding provider, in the toolbar's
 * language, and unable to leave the page — `beforeRedirect` (the story's spy, if any) is always
 * followed by `false`, so the widget stops at "Continue to …" instead of navigating (only a redirect the
 * core refuses before navigating is let through, to show the "could not open" state). `mode` is pinned to
 * `gate`: the Payment Page modes navigate or open windows without asking `beforeRedirect`.
 */
export function StoryCheckout(props: CheckoutProps) {
  const { beforeRedirect } = props;
  const hold = async (e: BeforeRedirectEvent) => {
    await beforeRedirect?.(e);
    // A redirect the widget will refuse anyway (bad URL, http, host not allowed) may go ahead: it throws
    // before any navigation, and the story shows the "could not open" state.
    try {
      planRedirect(e.redirect, props.redirectPolicy ? { policy: props.redirectPolicy } : {});
    } catch {
      return true;
    }
    return false;
  };
  return <Checkout {...props} mode="gate" beforeRedirect={hold} />;
}

/**
 * Renders the story's `<Checkout>` with its own provider on the mocked backend, so every prop (locale,
 * messages, appearance) is live in the Controls panel. The toolbar's locale and theme apply unless the
 * story's args set them. Keyed by the story: nothing (query cache, flow state) carries over.
 */
export function renderCheckout(args: CheckoutProps, context: StoryContext) {
  const { locale, theme } = toolbar(context.globals);
  return (
    <StoryCheckout
      key={context.id}
      apiBaseUrl={API}
      {...args}
      locale={args.locale ?? locale}
      appearance={{ ...args.appearance, theme: args.appearance?.theme ?? theme }}
    />
  );
}

export const checkoutMeta = {
  component: StoryCheckout,
  render: renderCheckout,
  parameters: { checkoutProvider: false },
  args: {
    sessionId: 'ses_story',
    beforeRedirect: fn(),
    onReady: fn(),
    onMethodChange: fn(),
    onSubmit: fn(),
    onRedirect: fn(),
    onComplete: fn(),
    onError: fn(),
    polling: { intervalMs: 300 },
  },
  argTypes: {
    locale: { control: 'select', options: [...LANGUAGES, 'fil-PH', 'ko-KR'] },
    mode: { control: false },
    client: { control: false },
    apiBaseUrl: { control: false },
    paymentPage: { control: false },
    redirectTarget: { control: false },
  },
} satisfies Partial<Meta<typeof StoryCheckout>>;

export interface Scenario {
  backend: Backend;
  /** Spread into a story: the MSW handlers, and a `beforeEach` that rewinds the backend. */
  story: {
    args: { sessionId: string };
    parameters: { msw: { handlers: Backend['handlers'] } };
    beforeEach: () => () => void;
  };
}

/**
 * A story's backend. `resume`: a payment id the tab "already has" (sessionStorage, as after a reload or
 * the return trip), so the widget opens on that payment's step without any clicking.
 */
export function scenario(opts: BackendOptions & { resume?: PaymentView }): Scenario {
  const backend = createBackend(
    opts.resume ? { ...opts, script: { [opts.resume.id]: [opts.resume], ...opts.script } } : opts,
  );
  const key = paymentStorageKey(opts.session.id);
  return {
    backend,
    story: {
      args: { sessionId: opts.session.id },
      parameters: { msw: { handlers: backend.handlers } },
      beforeEach: () => {
        backend.reset();
        if (opts.resume) sessionStorage.setItem(key, opts.resume.id);
        return () => sessionStorage.removeItem(key);
      },
    },
  };
}
