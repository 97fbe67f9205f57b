import { rmSync } from 'node:fs';
import { resolve } from 'node:path';

/** Screenshots of the last run only: stale ones (renamed or removed tests) would mislead. */
export default function globalSetup(): void {
  rmSync(resolve(import.meta.dirname, '../reports/e2e-screens'), { recursive: true, force: true });
}
