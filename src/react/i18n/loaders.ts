import type { Messages } from './en.ts';
import type { Language } from './index.tsx';

export type LocaleLoader = () => Promise<{ default: Messages }>;

/**
 * How each language but English (which is bundled) is loaded: `import()`, so that bundlers put each in a
 * chunk of its own. Kept in this small module on purpose: the script-tag embed, one IIFE file that cannot
 * split, replaces it with `src/embed/locales.ts` (JSON files next to the script, built from these modules).
 */
export const LOADERS: Record<Exclude<Language, 'en'>, LocaleLoader> = {
  ru: () => import('./locales/ru.ts'),
  ko: () => import('./locales/ko.ts'),
  ms: () => import('./locales/ms.ts'),
  fil: () => import('./locales/fil.ts'),
  uk: () => import('./locales/uk.ts'),
};
