import type { Preview } from '@storybook/react-vite';
import '../src/react/styles.css';

const preview: Preview = {
  parameters: {
    controls: { matchers: { color: /(background|color)$/i, date: /Date$/i } },
    // Axe violations fail the story tests.
    a11y: { test: 'error' },
  },
};
export default preview;
