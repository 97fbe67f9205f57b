import type { Decorator } from '@storybook/react-vite';
import { CheckoutProvider, LANGUAGES, type Appearance, type Language } from '../../src/react/index.ts';
import { API } from './backend.ts';

export type Theme = NonNullable<Appearance['theme']>;

export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  ru: 'Русский',
  ko: '한국어',
  ms: 'Bahasa Melayu',
  fil: 'Filipino',
  uk: 'Українська',
};

export function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}

function isTheme(v: unknown): v is Theme {
  return v === 'light' || v === 'dark' || v === 'auto';
}

/** The toolbar's locale and theme (globals `locale`, `theme`), read safely. */
export function toolbar(globals: Record<string, unknown>): { locale: Language; theme: Theme } {
  return {
    locale: isLanguage(globals.locale) ? globals.locale : 'en',
    theme: isTheme(globals.theme) ? globals.theme : 'light',
  };
}

/**
 * Every story sits in a `<CheckoutProvider>` (API client on the mocked backend, query client, language,
 * theme, live region), keyed by the story so no cache or state leaks from one story to the next.
 * `parameters.checkoutProvider: false` opts out (stories that render their own provider).
 */
export const withCheckoutProvider: Decorator = (Story, context) => {
  if (context.parameters.checkoutProvider === false) return <Story />;
  const { locale, theme } = toolbar(context.globals);
  return (
    <CheckoutProvider key={context.id} apiBaseUrl={API} locale={locale} appearance={{ theme }}>
      <Story />
    </CheckoutProvider>
  );
};
