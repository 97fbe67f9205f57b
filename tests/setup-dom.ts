import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// Globals are off, so Testing Library cannot register its own cleanup.
afterEach(() => cleanup());

// findBy*/waitFor give up after 1 s by default: an idle machine's bound. With both cores busy a render plus
// a mocked request can take longer, so they wait up to 10 s (they still answer as soon as the UI is there).
configure({ asyncUtilTimeout: 10_000 });
