/**
 * The embed's languages other than English: `locales/<lang>.json` next to the script (the embed build
 * writes them from the same modules the package imports, `src/react/i18n/locales/*.ts`). It replaces
 * `src/react/i18n/loaders.ts` in the embed build only (vite.config.ts): a JSON file needs no script
 * evaluation and no CSP script source. A failed load shows English (the I18nProvider falls back).
 *
 * Under a Content-Security-Policy, `connect-src` must allow the embed's origin (`'self'` when the files
 * are hosted with the page); from another origin they also need CORS (`Access-Control-Allow-Origin`).
 */
import type { Messages } from '../react/i18n/en.ts';
import type { Language } from '../react/i18n/index.tsx';
import type { LocaleLoader } from '../react/i18n/loaders.ts';

/** Where the files are: next to this chunk (which is next to the loader). */
const base = new URL(/* @vite-ignore */ 'locales/', import.meta.url).href;

function fetchLocale(lang: Exclude<Language, 'en'>): LocaleLoader {
  return async () => {
    const res = await fetch(`${base}${lang}.json`);
    if (!res.ok) throw new Error(`EcommpayCheckout: the ${lang} texts did not load (HTTP ${res.status})`);
    const data: unknown = await res.json();
    // Strings only: a missing (or odd) key shows its English text.
    const messages: Record<string, string> = {};
    if (data && typeof data === 'object')
      for (const [k, v] of Object.entries(data)) if (typeof v === 'string') messages[k] = v;
    return { default: messages as Messages };
  };
}

export const LOADERS: Record<Exclude<Language, 'en'>, LocaleLoader> = {
  ru: fetchLocale('ru'),
  ko: fetchLocale('ko'),
  ms: fetchLocale('ms'),
  fil: fetchLocale('fil'),
  uk: fetchLocale('uk'),
};
