import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { StorybookConfig } from '@storybook/react-vite';
import type { Plugin } from 'vite';

const WORKER = 'mockServiceWorker.js';

/**
 * MSW's service worker, straight from the installed `msw` package: served at `/mockServiceWorker.js` by
 * Storybook's dev server and by Vitest's browser runner, and emitted into the static build. Nothing is
 * generated into the repository, so the worker always matches the installed msw and no vendored file has
 * to be excluded from ESLint and Prettier.
 */
function mswWorker(): Plugin {
  const file = createRequire(import.meta.url).resolve(`msw/${WORKER}`);
  const source = () => readFileSync(file, 'utf8');
  return {
    name: 'ecp-msw-worker',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url?.split('?')[0] !== `/${WORKER}`) return next();
        res.setHeader('content-type', 'text/javascript; charset=utf-8');
        res.setHeader('cache-control', 'no-cache');
        res.end(source());
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: WORKER, source: source() });
    },
  };
}

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-vitest', '@storybook/addon-a11y'],
  framework: { name: '@storybook/react-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // vite.config.ts roots the demo build at public/; stories resolve from the project root.
  viteFinal: (config) => ({
    ...config,
    root: process.cwd(),
    publicDir: false,
    plugins: [...(config.plugins ?? []), mswWorker()],
  }),
};
export default config;
