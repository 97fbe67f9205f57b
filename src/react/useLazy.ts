import { useCallback, useEffect, useState } from 'react';
import type * as Lazy from './lazy.ts';

export type LazyModule = typeof Lazy;

export interface LazyState {
  /** `./lazy.ts` once loaded; at once when an earlier checkout on the page loaded it. */
  module: LazyModule | undefined;
  /** Why it did not load (a network error, mostly); `retry()` tries again. */
  error: Error | undefined;
  retry(): void;
}

let loaded: LazyModule | undefined;
let loading: Promise<LazyModule> | undefined;

/** Loads `./lazy.ts` once for the page; after a failure the next call tries again. */
function load(): Promise<LazyModule> {
  loading ??= import('./lazy.ts').then(
    (m) => (loaded = m),
    (e: unknown) => {
      loading = undefined;
      throw e;
    },
  );
  return loading;
}

/**
 * The forms `<Checkout>` loads lazily (`./lazy.ts`, a chunk of its own): loading starts at mount when
 * `enabled`, so it runs alongside the session request. In the script-tag embed (one IIFE file, which cannot
 * split) the build inlines the `import()`: the same code, resolved a microtask later.
 */
export function useLazy(enabled: boolean): LazyState {
  const [state, setState] = useState<Omit<LazyState, 'retry'>>(() => {
    // The request starts in the first render, like the session's, not after the first paint.
    if (enabled && !loaded) load().catch(() => undefined);
    return { module: loaded, error: undefined };
  });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!enabled || state.module) return;
    let live = true;
    load().then(
      (module) => live && setState({ module, error: undefined }),
      (e: unknown) =>
        live && setState({ module: undefined, error: e instanceof Error ? e : new Error(String(e)) }),
    );
    return () => {
      live = false;
    };
  }, [enabled, state.module, attempt]);
  const retry = useCallback(() => {
    setState({ module: undefined, error: undefined });
    setAttempt((n) => n + 1);
  }, []);
  return { ...state, retry };
}
