// Debian's Chromium (never a downloaded browser) and the flags this machine needs (toolchain.md §0): one
// list for every launcher — Playwright (e2e), Vitest's browser mode (Storybook), Lighthouse and the widget
// benchmark. Plain JavaScript so that the Node scripts can import it without a TypeScript loader.

/** The browser's path (CHROMIUM_PATH, else Debian's). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
