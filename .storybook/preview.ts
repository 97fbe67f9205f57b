import type { Preview } from '@storybook/react-vite';
import { mswLoader } from 'msw-storybook-addon/csf3';
import { configure } from 'storybook/test';
import { API } from '../stories/support/backend.ts';
import { LANGUAGE_NAMES, withCheckoutProvider } from '../stories/support/decorators.tsx';
import '../src/react/styles.css';
import '../src/react/payouts/payouts.css';

/** The worker script next to iframe.html (works when the static site is served from a sub-path too). */
function workerUrl(): string {
  const vitest = '__vitest_browser__' in globalThis;
  return vitest ? '/mockServiceWorker.js' : new URL('mockServiceWorker.js', window.location.href).pathname;
}

/** Removes what the widget keeps per tab (the current payment, completed flags) so no story resumes another's. */
function clearWidgetStorage(): void {
  for (const key of Object.keys(sessionStorage)) if (key.startsWith('ecp:')) sessionStorage.removeItem(key);
}

// Texts the widget also says in its live region are looked up in the visible steps only. `findBy…` and
// `waitFor` get 3 s (not 1 s): a busy CI machine must not fail a story, and a failure still reports
// before Vitest's 5 s test timeout.
configure({ defaultIgnore: 'script, style, [data-ecp-live]', asyncUtilTimeout: 3_000 });

/**
 * On a browser's first visit the worker is active before it controls the page (`clients.claim()` runs
 * a moment later), and a fetch in between would reach the network: wait for the page to be controlled.
 */
async function controlled(): Promise<void> {
  const sw = navigator.serviceWorker;
  if (sw.controller) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      sw.removeEventListener('controllerchange', done);
      resolve();
    };
    const timer = setTimeout(done, 3_000);
    sw.addEventListener('controllerchange', done);
  });
}

/** The mocked backend: MSW's service worker, started once per page and only for stories that use it. */
const loadMsw = mswLoader(async () => {
  const { setupWorker } = await import('msw/browser');
  const worker = setupWorker();
  await worker.start({
    quiet: true,
    serviceWorker: { url: workerUrl() },
    // A request to the mocked backend that no handler answers is a broken story: say so loudly.
    onUnhandledRequest(request, print) {
      if (new URL(request.url).pathname.startsWith(`${API}/`)) print.error();
    },
  });
  await controlled();
  return worker;
});
let mswStarted = false;

const preview: Preview = {
  // Stories without `parameters.msw` make no requests; they skip the worker's start (once it runs, every
  // story's loader resets its handlers).
  loaders: [
    async (context) => {
      if (!context.parameters.msw && !mswStarted) return {};
      mswStarted = true;
      return loadMsw(context);
    },
  ],
  beforeEach() {
    clearWidgetStorage();
    return clearWidgetStorage;
  },
  decorators: [withCheckoutProvider],
  globalTypes: {
    locale: {
      description: 'Language of the widget',
      toolbar: {
        title: 'Locale',
        icon: 'globe',
        items: Object.entries(LANGUAGE_NAMES).map(([value, title]) => ({ value, title })),
        dynamicTitle: true,
      },
    },
    theme: {
      description: 'appearance.theme',
      toolbar: {
        title: 'Theme',
        icon: 'contrast',
        items: [
          { value: 'light', title: 'Light', icon: 'sun' },
          { value: 'dark', title: 'Dark', icon: 'moon' },
          { value: 'auto', title: 'Auto (system)', icon: 'browser' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { locale: 'en', theme: 'light' },
  parameters: {
    controls: { matchers: { color: /(background|color)$/i, date: /Date$/i } },
    // Axe violations fail the story tests.
    a11y: { test: 'error' },
    viewport: {
      options: {
        narrow320: {
          name: 'Narrow phone (320 px)',
          styles: { width: '320px', height: '640px' },
          type: 'mobile',
        },
      },
    },
  },
};
export default preview;
