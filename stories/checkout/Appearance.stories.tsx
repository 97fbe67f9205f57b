import type { Meta, StoryContext, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { formatMoney } from '../../src/core/money.ts';
import {
  createTranslate,
  loadMessages,
  type AppearanceVariables,
  type CheckoutProps,
  type Language,
} from '../../src/react/index.ts';
import { API } from '../support/backend.ts';
import { checkoutMeta, scenario, StoryCheckout } from '../support/checkout.tsx';
import { toolbar } from '../support/decorators.tsx';
import { METHODS, paymentOf, RESULT, session, sessionFor } from '../support/fixtures.ts';
import { expectFieldError } from '../support/play.ts';

/**
 * How the checkout looks and speaks: every appearance variable as a control (they set the `--ecp-*`
 * custom properties of src/react/styles.css), the dark theme, a narrow 320 px phone, and each language
 * it ships (English bundled, the others loaded when asked for) — the locale stories compare every text
 * with the language's own table and check the `lang` attribute.
 */

/** The appearance variables with the stylesheet's light defaults, as separate controls. */
const DEFAULTS = {
  colorPrimary: '#0b57d0',
  colorPrimaryText: '#ffffff',
  colorBackground: '#ffffff',
  colorSurface: '#f4f6fa',
  colorText: '#1a1d23',
  colorTextMuted: '#555d6b',
  colorDanger: '#b3261e',
  colorSuccess: '#1e7b34',
  colorBorder: '#7d8594',
  colorFocus: '#0b57d0',
  borderRadius: '8px',
  spacingUnit: '4px',
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif",
  fontSizeBase: '16px',
} satisfies Required<AppearanceVariables>;

type VariableArgs = Partial<Record<keyof AppearanceVariables, string>>;
type PlaygroundArgs = CheckoutProps & VariableArgs & { theme?: 'light' | 'dark' | 'auto' };

const VARIABLE_KEYS = Object.keys(DEFAULTS) as (keyof AppearanceVariables)[];

/** Only the variables that differ from the stylesheet are passed: the dark theme keeps its own colors. */
function variablesOf(args: VariableArgs): AppearanceVariables {
  const out: AppearanceVariables = {};
  for (const key of VARIABLE_KEYS) {
    const v = args[key];
    if (v && v !== DEFAULTS[key]) out[key] = v;
  }
  return out;
}

function renderPlayground(args: PlaygroundArgs, context: StoryContext) {
  const { theme, ...rest } = args;
  const checkout: CheckoutProps = { ...rest };
  for (const key of VARIABLE_KEYS) delete (checkout as Record<string, unknown>)[key];
  const globals = toolbar(context.globals);
  return (
    <StoryCheckout
      key={context.id}
      apiBaseUrl={API}
      {...checkout}
      locale={args.locale ?? globals.locale}
      appearance={{ theme: theme ?? globals.theme, variables: variablesOf(args) }}
    />
  );
}

const sizeControl = { control: 'text' } as const;

const meta = {
  title: 'Checkout/Appearance and locales',
  ...checkoutMeta,
  render: renderPlayground,
  args: { ...checkoutMeta.args, ...DEFAULTS },
  argTypes: {
    ...checkoutMeta.argTypes,
    appearance: { control: false },
    theme: { control: 'inline-radio', options: ['light', 'dark', 'auto'] },
    ...Object.fromEntries(
      VARIABLE_KEYS.filter((k) => k.startsWith('color')).map((k) => [
        k,
        { control: 'color', table: { category: 'appearance.variables' } },
      ]),
    ),
    borderRadius: { ...sizeControl, table: { category: 'appearance.variables' } },
    spacingUnit: { ...sizeControl, table: { category: 'appearance.variables' } },
    fontFamily: { ...sizeControl, table: { category: 'appearance.variables' } },
    fontSizeBase: { ...sizeControl, table: { category: 'appearance.variables' } },
  },
} satisfies Meta<PlaygroundArgs>;
export default meta;
type Story = StoryObj<typeof meta>;

const all = scenario({
  session: session('ses_appearance', {
    customer: {},
    prices: [
      { currency: 'PHP', amount: 150_000 },
      { currency: 'EUR', amount: 2_500 },
    ],
    methods: [METHODS.grabpayPhp, METHODS.jeton],
  }),
});

function cssVar(el: Element, name: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim();
}

/** Every variable is a control; the play function checks a few reach the CSS and the rendering. */
export const Playground: Story = {
  ...all.story,
  args: {
    ...all.story.args,
    colorPrimary: '#6a1b9a',
    borderRadius: '2px',
    spacingUnit: '6px',
    fontFamily: 'Georgia, serif',
    fontSizeBase: '18px',
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const pay = await canvas.findByRole('button', { name: 'Pay ₱1,500.00' });
    const root = pay.closest('.ecp-root');
    if (!root) throw new Error('No .ecp-root');
    await expect(cssVar(root, '--ecp-color-primary')).toBe('#6a1b9a');
    const style = getComputedStyle(pay);
    await expect(style.backgroundColor).toBe('rgb(106, 27, 154)');
    await expect(style.borderTopLeftRadius).toBe('2px');
    await expect(style.fontFamily).toBe('Georgia, serif');
    await expect(getComputedStyle(root).fontSize).toBe('18px');
    // Unchanged variables are not set inline: the stylesheet's (or the theme's) value stays.
    await expect((root as HTMLElement).style.getPropertyValue('--ecp-color-danger')).toBe('');
  },
};

/** The dark theme (`appearance.theme: 'dark'`) on a dark page, with an error shown. */
export const Dark: Story = {
  ...all.story,
  globals: { theme: 'dark', backgrounds: { value: 'dark' } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const pay = await canvas.findByRole('button', { name: 'Pay ₱1,500.00' });
    const root = pay.closest('.ecp-root');
    await expect(root).toHaveAttribute('data-theme', 'dark');
    // The checkout is a dark card (its own background and edge) on the page.
    const card = pay.closest('.ecp-checkout') as Element;
    await expect(getComputedStyle(card).backgroundColor).toBe('rgb(21, 23, 28)');
    await expect(getComputedStyle(card).borderTopColor).toBe('rgb(53, 59, 71)');
    await userEvent.click(pay);
    await expectFieldError(canvas.getByRole('textbox', { name: /E-mail/ }), 'This field is required');
  },
};

const declined = paymentOf('jeton', {
  id: 'pay_dark_decline',
  session_id: 'ses_dark_decline',
  status: 'decline',
  code: '20602',
  next_action: RESULT,
});

export const DarkDecline: Story = {
  ...scenario({ session: sessionFor('ses_dark_decline', 'jeton'), resume: declined }).story,
  globals: { theme: 'dark', backgrounds: { value: 'dark' } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByRole('heading', { name: 'Payment declined' });
    await expect(
      canvas.getByText('The payment timed out. No money was taken; please try again.'),
    ).toBeVisible();
  },
};

/** A merchant brand on the dark theme: only the primary color changes. */
export const DarkWithBrandColor: Story = {
  ...all.story,
  args: {
    ...all.story.args,
    theme: 'dark',
    colorPrimary: '#ffb4a9',
    colorPrimaryText: '#410001',
    colorFocus: '#ffb4a9',
  },
  globals: { backgrounds: { value: 'dark' } },
  play: async ({ canvasElement }) => {
    const pay = await within(canvasElement).findByRole('button', { name: 'Pay ₱1,500.00' });
    await expect(getComputedStyle(pay).backgroundColor).toBe('rgb(255, 180, 169)');
    await expect(getComputedStyle(pay).color).toBe('rgb(65, 0, 1)');
  },
};

// ── a narrow phone ─────────────────────────────────────────────────────────────────────────────────

const mobile = scenario({
  session: session('ses_mobile', {
    customer: {},
    prices: [
      { currency: 'PHP', amount: 150_000 },
      { currency: 'EUR', amount: 2_500 },
      { currency: 'USD', amount: 2_700 },
      { currency: 'UAH', amount: 112_000 },
      { currency: 'GBP', amount: 2_150 },
    ],
    methods: [METHODS.grabpayPhp, METHODS.advcash, METHODS.jeton],
  }),
});

/** Nothing may stick out sideways: the widget's width is the page's. */
async function expectNoHorizontalOverflow(canvasElement: HTMLElement) {
  const root = canvasElement.querySelector('.ecp-root');
  if (!root) throw new Error('No .ecp-root');
  await expect(document.documentElement.scrollWidth).toBeLessThanOrEqual(window.innerWidth);
  for (const el of root.querySelectorAll<HTMLElement>('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || el.closest('.ecp-sr-only')) continue;
    if (r.right > window.innerWidth + 0.5)
      throw new Error(`${el.className || el.tagName} overflows: right ${r.right}px`);
  }
}

/** 320 px wide (the narrowest phones): the Jeton fields stack, nothing overflows, targets stay 44 px. */
export const Mobile320: Story = {
  ...mobile.story,
  globals: { viewport: { value: 'narrow320', isRotated: false } },
  parameters: { ...mobile.story.parameters, layout: 'fullscreen' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const pay = await canvas.findByRole('button', { name: 'Pay ₱1,500.00' });
    await expect(window.innerWidth).toBe(320);
    await expectNoHorizontalOverflow(canvasElement);
    await expect(pay.getBoundingClientRect().height).toBeGreaterThanOrEqual(44);
    await userEvent.click(canvas.getByRole('radio', { name: /Jeton Voucher/ }));
    const number = await canvas.findByRole('textbox', { name: /Voucher number/ });
    const expiry = canvas.getByRole('textbox', { name: /Expiry date/ });
    const code = canvas.getByLabelText(/Security code/);
    // Expiry and security code wrap onto their own lines rather than squeeze.
    await expect(code.getBoundingClientRect().top).toBeGreaterThan(expiry.getBoundingClientRect().bottom);
    await userEvent.click(canvas.getByRole('button', { name: 'Pay €25.00' }));
    await expectFieldError(number, 'This field is required');
    await expectNoHorizontalOverflow(canvasElement);
    await userEvent.click(canvas.getByRole('radio', { name: /ADVCash/ }));
    await canvas.findByRole('combobox', { name: 'Currency' });
    await expectNoHorizontalOverflow(canvasElement);
  },
};

/** The decline step on the same phone: both buttons fit (they wrap). */
const mobileDecline = scenario({
  session: sessionFor('ses_mobile_decline', 'grabpayPhp'),
  resume: paymentOf('grabpayPhp', {
    id: 'pay_mobile_decline',
    session_id: 'ses_mobile_decline',
    status: 'decline',
    code: '20101',
    next_action: RESULT,
  }),
});

export const Mobile320Decline: Story = {
  ...mobileDecline.story,
  globals: { viewport: { value: 'narrow320', isRotated: false } },
  parameters: { ...mobileDecline.story.parameters, layout: 'fullscreen' },
  play: async ({ canvasElement }) => {
    await within(canvasElement).findByRole('button', { name: 'Pick another method' });
    await expectNoHorizontalOverflow(canvasElement);
  },
};

// ── locales ────────────────────────────────────────────────────────────────────────────────────────

const multi = scenario({
  session: session('ses_locales', {
    customer: {},
    prices: [
      { currency: 'PHP', amount: 150_000 },
      { currency: 'KRW', amount: 35_000 },
      { currency: 'EUR', amount: 2_500 },
    ],
    methods: [METHODS.grabpayPhp, METHODS.payco, METHODS.jeton],
    unavailable: [
      {
        method: 'advcash',
        reason: {
          code: 'test_currency_only',
          message: 'The ADVCash test project accepts UAH only',
          currencies: ['UAH'],
        },
      },
    ],
  }),
});

function localeStory(language: Language): Story {
  return {
    ...multi.story,
    args: { ...multi.story.args, showUnavailable: true },
    globals: { locale: language },
    play: async ({ canvasElement }) => {
      const t = createTranslate(await loadMessages(language));
      const canvas = within(canvasElement);
      const heading = await canvas.findByRole('heading', { name: t('step.method') });
      await expect(heading.closest('[lang]')).toHaveAttribute('lang', language);
      await expect(canvas.getByRole('group', { name: t('methods.legend') })).toBeVisible();
      await userEvent.click(canvas.getByText(t('methods.unavailable.why', { methods: 'ADVCash' })));
      await expect(
        canvas.getByText(t('unavailable.test_currency_only', { method: 'ADVCash', currencies: 'UAH' })),
      ).toBeVisible();
      const pay = await canvas.findByRole('button', {
        name: t('pay', { amount: formatMoney(150_000, 'PHP', language) }),
      });
      // A translated validation message.
      await userEvent.click(pay);
      await expectFieldError(
        canvas.getByRole('textbox', { name: new RegExp(t('field.email')) }),
        t('required'),
      );
      // Payco in this language's number format, still in whole won.
      await userEvent.click(canvas.getByRole('radio', { name: /Payco/ }));
      await canvas.findByRole('button', { name: t('pay', { amount: formatMoney(35_000, 'KRW', language) }) });
      await expect(canvas.getByText(t('form.payco_note'), { exact: false })).toBeVisible();
    },
  };
}

export const English = localeStory('en');
export const Russian = localeStory('ru');
export const Korean = localeStory('ko');
export const Malay = localeStory('ms');
export const Filipino = localeStory('fil');
export const Ukrainian = localeStory('uk');

const fromSession = scenario({
  session: session('ses_locale_from_session', { locale: 'ko-KR', methods: [METHODS.payco] }),
});

/** No `locale` prop: the session's own locale (`ko-KR`) is used once the session is loaded. */
export const LocaleFromTheSession: Story = {
  ...fromSession.story,
  render: (args, context) => <StoryCheckout key={context.id} apiBaseUrl={API} {...args} locale={undefined} />,
  play: async ({ canvasElement }) => {
    const t = createTranslate(await loadMessages('ko'));
    const canvas = within(canvasElement);
    const heading = await canvas.findByRole('heading', { name: t('step.method') });
    await waitFor(() => expect(heading.closest('[lang]')).toHaveAttribute('lang', 'ko'));
    await expect(
      await canvas.findByRole('button', { name: t('pay', { amount: formatMoney(35_000, 'KRW', 'ko-KR') }) }),
    ).toBeVisible();
  },
};
