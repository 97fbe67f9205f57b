import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { createClient, isApiError, type Client } from '../core/client.ts';
import { I18nProvider, useI18n, type MessageOverrides } from './i18n/index.tsx';

/** `useLayoutEffect` in browsers, `useEffect` on the server (no warning, nothing runs there). */
export const useIsomorphicLayoutEffect = typeof document !== 'undefined' ? useLayoutEffect : useEffect;

/** Keeps the latest value in a ref, so callbacks fired later always see the latest props. */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  useIsomorphicLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}

// ── client ─────────────────────────────────────────────────────────────────────────────────────────

const ClientContext = createContext<Client | null>(null);

/** The API client of the nearest `<CheckoutProvider>`. */
export function useClient(): Client {
  const client = useContext(ClientContext);
  if (!client) throw new Error('ecommpay checkout: wrap this component in <CheckoutProvider apiBaseUrl="…">');
  return client;
}

// ── live region ────────────────────────────────────────────────────────────────────────────────────

type Announce = (text: string) => void;
/** What the live region says, and in which language (the caller's, which may differ from the provider's). */
type Say = (text: string, lang: string) => void;
const AnnounceContext = createContext<Say>(() => {});

/**
 * Says `text` in the provider's polite live region (present from the first render), marked with the
 * language of the texts where it is called (`lang`), so it is read in that language (WCAG 3.1.2).
 */
export function useAnnounce(): Announce {
  const say = useContext(AnnounceContext);
  const { language } = useI18n();
  return useCallback((text) => say(text, language), [say, language]);
}

// ── theme ──────────────────────────────────────────────────────────────────────────────────────────

export interface AppearanceVariables {
  colorPrimary?: string;
  colorPrimaryText?: string;
  colorBackground?: string;
  colorSurface?: string;
  colorText?: string;
  colorTextMuted?: string;
  colorDanger?: string;
  colorSuccess?: string;
  colorBorder?: string;
  colorFocus?: string;
  borderRadius?: string;
  spacingUnit?: string;
  fontFamily?: string;
  fontSizeBase?: string;
}

export interface Appearance {
  /** `light` (default), `dark`, or `auto` to follow the system's `prefers-color-scheme`. */
  theme?: 'light' | 'dark' | 'auto';
  /** CSS custom properties: `colorPrimary` sets `--ecp-color-primary`, and so on. */
  variables?: AppearanceVariables;
}

/** `colorPrimary` → `--ecp-color-primary`. */
export function cssVariableName(key: string): string {
  return `--ecp-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * Sets the appearance's variables on an element through the CSSOM (`style.setProperty`), which a
 * Content-Security-Policy without `'unsafe-inline'` allows (unlike `<style>` elements and `style="…"`
 * attributes in markup). Nothing is rendered into the server's HTML; the stylesheet's defaults apply
 * until the effect runs.
 */
export function useAppearanceVariables(
  ref: { readonly current: HTMLElement | null },
  variables: AppearanceVariables | undefined,
): void {
  const key = JSON.stringify(variables ?? {});
  useIsomorphicLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const entries = Object.entries(JSON.parse(key) as Record<string, string>);
    for (const [k, v] of entries) if (typeof v === 'string') el.style.setProperty(cssVariableName(k), v);
    return () => {
      for (const [k] of entries) el.style.removeProperty(cssVariableName(k));
    };
  }, [key]);
}

// ── the provider's appearance, which a `<Checkout>` inside it builds on ──────────────────────────────

const AppearanceContext = createContext<Appearance | undefined>(undefined);

/**
 * `appearance` over the nearest provider's: its own theme, else the provider's; the provider's variables
 * with its own on top (an element restyled as `.ecp-root` starts from the stylesheet's defaults again).
 */
export function useMergedAppearance(appearance: Appearance | undefined): Appearance {
  const outer = useContext(AppearanceContext);
  const theme = appearance?.theme ?? outer?.theme;
  const variables = { ...outer?.variables, ...appearance?.variables };
  return theme ? { theme, variables } : { variables };
}

interface RootProps {
  appearance?: Appearance | undefined;
  className?: string | undefined;
  children?: ReactNode;
}

/** The themed root: `.ecp-root`, the theme, the language, and the live region. */
function Root({ appearance, className, children }: RootProps) {
  const ref = useRef<HTMLDivElement>(null);
  const { language } = useI18n();
  const [message, setMessage] = useState<{ text: string; lang?: string }>({ text: '' });
  // The same text twice would not be read again: alternate a trailing no-break space.
  const say = useCallback<Say>(
    (text, lang) =>
      setMessage((prev) => ({
        text: prev.text === text && prev.lang === lang ? `${text}\u00a0` : text,
        lang,
      })),
    [],
  );
  useAppearanceVariables(ref, appearance?.variables);
  const theme = appearance?.theme ?? 'light';
  return (
    <div
      ref={ref}
      className={className ? `ecp-root ${className}` : 'ecp-root'}
      data-theme={theme === 'auto' ? undefined : theme}
      lang={language}
    >
      <div
        className="ecp-sr-only"
        role="status"
        aria-live="polite"
        aria-atomic="true"
        data-ecp-live=""
        lang={message.lang}
      >
        {message.text}
      </div>
      <AppearanceContext.Provider value={appearance}>
        <AnnounceContext.Provider value={say}>{children}</AnnounceContext.Provider>
      </AppearanceContext.Provider>
    </div>
  );
}

// ── provider ───────────────────────────────────────────────────────────────────────────────────────

export interface CheckoutProviderProps {
  /** The backend's base URL (`https://shop.example`); or pass a ready `client`. */
  apiBaseUrl?: string;
  client?: Client;
  /** Default: a query client of the widget's own. */
  queryClient?: QueryClient;
  /** A BCP 47 tag (`ru`, `fil-PH`); default `en`. */
  locale?: string;
  /** Per-key text overrides. */
  messages?: MessageOverrides;
  appearance?: Appearance;
  className?: string;
  children?: ReactNode;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        retry: (count, error) => isApiError(error) && error.retryable && count < 2,
      },
      mutations: { retry: false },
    },
  });
}

/** Query client, API client, locale and theme for the widget's pieces (`<Checkout>` makes its own). */
export function CheckoutProvider(props: CheckoutProviderProps) {
  const [ownQueryClient] = useState(() => (props.queryClient ? null : createQueryClient()));
  const queryClient = props.queryClient ?? (ownQueryClient as QueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <WidgetProvider {...props} />
    </QueryClientProvider>
  );
}

type WidgetProviderProps = {
  [K in keyof Omit<CheckoutProviderProps, 'queryClient'>]?: CheckoutProviderProps[K] | undefined;
};

/**
 * API client, locale, theme and live region, without a query client: what `<Checkout>` makes for itself
 * (its flow runs in the core controller, not in queries), so a page (the embed) that uses `<Checkout>`
 * alone does not bundle @tanstack/react-query.
 */
export function WidgetProvider(props: WidgetProviderProps) {
  const { apiBaseUrl, client: given } = props;
  const client = useMemo(
    () => given ?? (apiBaseUrl !== undefined ? createClient({ baseUrl: apiBaseUrl }) : null),
    [given, apiBaseUrl],
  );
  return (
    <ClientContext.Provider value={client}>
      <I18nProvider locale={props.locale} messages={props.messages}>
        <Root appearance={props.appearance} className={props.className}>
          {props.children}
        </Root>
      </I18nProvider>
    </ClientContext.Provider>
  );
}

/** Whether a `<CheckoutProvider>` with a client is above. */
export function useHasProvider(): boolean {
  return useContext(ClientContext) !== null;
}
