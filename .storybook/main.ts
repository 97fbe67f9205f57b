import type { StorybookConfig } from '@storybook/react-vite';

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-vitest', '@storybook/addon-a11y'],
  framework: { name: '@storybook/react-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // vite.config.ts roots the demo build at public/; stories resolve from the project root.
  viteFinal: (config) => ({ ...config, root: process.cwd(), publicDir: false }),
};
export default config;
