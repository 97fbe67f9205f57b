/**
 * The embed's `src/react/useLazy.ts` (vite.config.ts swaps it in the embed build only): one IIFE file
 * cannot split off the forms' chunk, so they are in the script, with no lazy-loading code around them.
 */
import { ClarificationForm, METHOD_FORMS } from '../react/lazy.ts';
import type { LazyState } from '../react/useLazy.ts';

const state: LazyState = { module: { ClarificationForm, METHOD_FORMS }, error: undefined, retry() {} };

export function useLazy(): LazyState {
  return state;
}
