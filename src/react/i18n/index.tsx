import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { methodMessage } from '../../core/methods/index.ts';
import { en, type MessageId, type Messages } from './en.ts';
import { LOADERS } from './loaders.ts';

export { en, type MessageId, type Messages };

/** Languages with a translation. English is bundled; the others are loaded when asked for (`./loaders.ts`). */
export const LANGUAGES = ['en', 'ru', 'ko', 'ms', 'fil', 'uk'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Other names of the same language. */
const ALIASES: Record<string, Language> = { tl: 'fil' };

const loaded = new Map<Language, Messages>([['en', en]]);

/**
 * The language to show for a BCP 47 tag: the tag itself, then its language, then English.
 * `fil-PH` → `fil`, `ru-RU` → `ru`, `pt-BR` → `en`, `tl` → `fil`, garbage → `en`.
 */
export function resolveLanguage(tag: string | undefined | null): Language {
  if (!tag) return 'en';
  const lower = tag.trim().replace(/_/g, '-').toLowerCase();
  const candidates = [lower, lower.split('-')[0] ?? ''];
  for (const c of candidates) {
    if ((LANGUAGES as readonly string[]).includes(c)) return c as Language;
    const alias = ALIASES[c];
    if (alias) return alias;
  }
  return 'en';
}

/** Loads (once) and returns a language's messages. English never loads anything. */
export async function loadMessages(lang: Language): Promise<Messages> {
  const cached = loaded.get(lang);
  if (cached) return cached;
  const mod = await LOADERS[lang as Exclude<Language, 'en'>]();
  loaded.set(lang, mod.default);
  return mod.default;
}

/** Per-key overrides of the shown language's texts, e.g. `{ pay: 'Buy now · {amount}' }`. */
export type MessageOverrides = Partial<Record<MessageId, string>>;

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageId | (string & {}), vars?: Vars) => string;

export interface I18n {
  /** The locale asked for (for Intl: amounts, dates), e.g. `fil-PH`. */
  locale: string;
  /** The language of the texts shown. */
  language: Language;
  /** False while a language other than English is loading (English is shown meanwhile). */
  ready: boolean;
  t: Translate;
  /** The per-key overrides in use (a nested provider, e.g. `<Checkout>`'s, builds on them). */
  overrides?: MessageOverrides | undefined;
}

function interpolate(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/**
 * `t` over a language's table: the overrides first, then the table, then the texts of a method added with
 * `registerMethod` (its module's `messages`), then English, then the key itself.
 */
export function createTranslate(
  messages: Messages,
  overrides?: MessageOverrides,
  language: string = 'en',
): Translate {
  return (key, vars) => {
    const text =
      (overrides as Record<string, string | undefined> | undefined)?.[key] ??
      (messages as Record<string, string | undefined>)[key] ??
      methodMessage(language, key) ??
      (en as Record<string, string | undefined>)[key] ??
      key;
    return interpolate(text, vars);
  };
}

const defaultI18n: I18n = { locale: 'en', language: 'en', ready: true, t: createTranslate(en) };

const I18nContext = createContext<I18n>(defaultI18n);

export function useI18n(): I18n {
  return useContext(I18nContext);
}

export function useT(): Translate {
  return useContext(I18nContext).t;
}

export interface I18nProviderProps {
  /** A BCP 47 tag; default `en`. */
  locale?: string | undefined;
  messages?: MessageOverrides | undefined;
  children?: ReactNode;
}

export function I18nProvider({ locale = 'en', messages: overrides, children }: I18nProviderProps) {
  const language = resolveLanguage(locale);
  // `for`: the language asked for; `shown`: the one whose texts we have (English if loading failed).
  const [table, setTable] = useState<{ for: Language; shown: Language; messages: Messages } | null>(() => {
    const m = loaded.get(language);
    return m ? { for: language, shown: language, messages: m } : null;
  });

  useEffect(() => {
    if (table?.for === language) return;
    let live = true;
    loadMessages(language).then(
      (messages) => live && setTable({ for: language, shown: language, messages }),
      () => live && setTable({ for: language, shown: 'en', messages: en }),
    );
    return () => {
      live = false;
    };
  }, [language, table?.for]);

  const ready = table?.for === language;
  const shown = table ?? { shown: 'en' as Language, messages: en };
  const value = useMemo<I18n>(
    () => ({
      locale,
      language: shown.shown,
      ready,
      t: createTranslate(shown.messages, overrides, shown.shown),
      overrides,
    }),
    [locale, shown.shown, shown.messages, overrides, ready],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}
