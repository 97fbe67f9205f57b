import { StrictMode } from 'react';
import { cleanup, configure, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES_EN } from '../../src/core/messages.ts';
import {
  Checkout,
  CheckoutProvider,
  LANGUAGES,
  en,
  loadMessages,
  resolveLanguage,
  type CheckoutProps,
  type CheckoutProviderProps,
} from '../../src/react/index.ts';
import { API, fakeBackend, payment, session } from './helpers.tsx';

configure({ defaultIgnore: 'script, style, [data-ecp-live]' });

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  sessionStorage.clear();
  window.history.replaceState(null, '', '/');
});
afterAll(() => server.close());

function renderCheckout(props: Partial<CheckoutProps> = {}) {
  return render(
    <StrictMode>
      <Checkout sessionId="ses_1" apiBaseUrl={API} {...props} />
    </StrictMode>,
  );
}

describe('language resolution', () => {
  it('goes region → language → English', () => {
    expect(resolveLanguage('fil-PH')).toBe('fil');
    expect(resolveLanguage('ru_RU')).toBe('ru');
    expect(resolveLanguage('uk')).toBe('uk');
    expect(resolveLanguage('ko-KR')).toBe('ko');
    expect(resolveLanguage('ms-MY')).toBe('ms');
    expect(resolveLanguage('tl')).toBe('fil');
    expect(resolveLanguage('pt-BR')).toBe('en');
    expect(resolveLanguage('')).toBe('en');
    expect(resolveLanguage(undefined)).toBe('en');
  });

  it('has every key in every language, with the same placeholders, and every core message', async () => {
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join(',');
    for (const key of Object.keys(MESSAGES_EN)) expect(en).toHaveProperty(key);
    for (const lang of LANGUAGES) {
      const table = await loadMessages(lang);
      expect(Object.keys(table).sort(), lang).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(en)) {
        const translated = (table as Record<string, string>)[key]!;
        expect(translated.trim(), `${lang} ${key}`).not.toBe('');
        expect(placeholders(translated), `${lang} ${key}`).toBe(placeholders(text));
      }
    }
  });
});

describe('localized checkout', () => {
  it('loads Russian on demand: texts, amounts and validation messages', async () => {
    server.use(...fakeBackend({ session: session() }).handlers);
    const user = userEvent.setup();
    const { container } = renderCheckout({ locale: 'ru-RU' });
    expect(await screen.findByRole('heading', { name: 'Выберите способ оплаты' })).toBeInTheDocument();
    expect(container.querySelector('.ecp-root')).toHaveAttribute('lang', 'ru');
    expect(await screen.findByRole('button', { name: /^Оплатить 20,00\s₱$/ })).toBeInTheDocument();
    const email = screen.getByLabelText(/^E-mail/);
    await user.clear(email);
    await user.tab();
    expect(await screen.findByText('Заполните это поле')).toBeInTheDocument();
  });

  it('falls back from fil-PH to Filipino', async () => {
    server.use(...fakeBackend({ session: session() }).handlers);
    renderCheckout({ locale: 'fil-PH' });
    expect(
      await screen.findByRole('heading', { name: 'Pumili ng paraan ng pagbabayad' }),
    ).toBeInTheDocument();
  });

  it('falls back from an unknown locale to English', async () => {
    server.use(...fakeBackend({ session: session() }).handlers);
    renderCheckout({ locale: 'pt-BR' });
    expect(await screen.findByRole('heading', { name: 'Choose a payment method' })).toBeInTheDocument();
  });

  it("uses the session's locale when none is passed, and translates result codes", async () => {
    window.history.replaceState(null, '', '/?ecp_payment=pay_k');
    const backend = fakeBackend({ session: session({ locale: 'ko-KR' }) });
    backend.script('pay_k', [
      payment({ id: 'pay_k', status: 'decline', code: '20101', next_action: { type: 'result' } }),
    ]);
    server.use(...backend.handlers);
    renderCheckout();
    expect(await screen.findByRole('heading', { name: '결제 거절' })).toBeInTheDocument();
    expect(
      screen.getByText('금액 또는 횟수 한도를 초과했습니다. 더 적은 금액이나 다른 결제 수단을 이용하세요.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '다시 시도' })).toBeInTheDocument();
  });

  it("marks the live region with the language it speaks: the session's, not the provider's", async () => {
    window.history.replaceState(null, '', '/?ecp_payment=pay_k');
    const backend = fakeBackend({ session: session({ locale: 'ko-KR' }) });
    backend.script('pay_k', [
      payment({ id: 'pay_k', status: 'decline', code: '20101', next_action: { type: 'result' } }),
    ]);
    server.use(...backend.handlers);
    const { container } = renderCheckout();
    await screen.findByRole('heading', { name: '결제 거절' });
    // One live region, there from the first render, inside the provider's root (lang="en").
    const regions = container.querySelectorAll('[data-ecp-live]');
    expect(regions).toHaveLength(1);
    const live = regions[0]!;
    expect(container.querySelector('.ecp-root')).toHaveAttribute('lang', 'en');
    await waitFor(() => expect(live).toHaveTextContent(/^결제 거절\./));
    expect(live.closest('[lang]')).toHaveAttribute('lang', 'ko');
  });

  it('takes per-key overrides', async () => {
    server.use(...fakeBackend({ session: session() }).handlers);
    renderCheckout({ locale: 'uk', messages: { pay: 'Купити · {amount}' } });
    expect(await screen.findByRole('button', { name: /^Купити · 20,00\s₱$/ })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Оберіть спосіб оплати' })).toBeInTheDocument();
  });
});

describe('Checkout inside a CheckoutProvider', () => {
  function renderInside(provider: Partial<CheckoutProviderProps>, props: Partial<CheckoutProps> = {}) {
    return render(
      <StrictMode>
        <CheckoutProvider apiBaseUrl={API} {...provider}>
          <Checkout sessionId="ses_1" {...props} />
        </CheckoutProvider>
      </StrictMode>,
    );
  }

  it("takes its own locale over the provider's", async () => {
    server.use(...fakeBackend({ session: session() }).handlers);
    renderInside({ locale: 'en' }, { locale: 'ru' });
    expect(await screen.findByRole('heading', { name: 'Выберите способ оплаты' })).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: /^Оплатить 20,00\s₱$/ })).toBeInTheDocument();
  });

  it("uses the provider's message overrides, with its own on top", async () => {
    server.use(...fakeBackend({ session: session() }).handlers);
    const { unmount } = renderInside({
      messages: { pay: 'Buy · {amount}', 'step.method': 'How would you like to pay?' },
    });
    expect(await screen.findByRole('button', { name: 'Buy · ₱20.00' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'How would you like to pay?' })).toBeInTheDocument();
    unmount();
    renderInside(
      { messages: { pay: 'Buy · {amount}', 'step.method': 'How would you like to pay?' } },
      { messages: { pay: 'Order · {amount}' } },
    );
    expect(await screen.findByRole('button', { name: 'Order · ₱20.00' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'How would you like to pay?' })).toBeInTheDocument();
  });

  it("applies its own appearance and class over the provider's, on its root", async () => {
    server.use(...fakeBackend({ session: session() }).handlers);
    const { container } = renderInside(
      { appearance: { theme: 'light', variables: { colorPrimary: '#7c3aed', borderRadius: '4px' } } },
      { appearance: { theme: 'dark', variables: { borderRadius: '12px' } }, className: 'shop-checkout' },
    );
    await screen.findByRole('heading', { name: 'Choose a payment method' });
    const checkout = container.querySelector<HTMLElement>('.ecp-checkout')!;
    expect(checkout).toHaveClass('ecp-root', 'shop-checkout');
    expect(checkout).toHaveAttribute('data-theme', 'dark');
    expect(checkout.style.getPropertyValue('--ecp-border-radius')).toBe('12px');
    expect(checkout.style.getPropertyValue('--ecp-color-primary')).toBe('#7c3aed');
    // Still one live region, the provider's.
    expect(container.querySelectorAll('[data-ecp-live]')).toHaveLength(1);
  });

  it("keeps the provider's look when it has none of its own", async () => {
    server.use(...fakeBackend({ session: session() }).handlers);
    const { container } = renderInside({ appearance: { theme: 'dark' }, className: 'shop' });
    await screen.findByRole('heading', { name: 'Choose a payment method' });
    const checkout = container.querySelector<HTMLElement>('.ecp-checkout')!;
    expect(checkout.className).toBe('ecp-checkout ecp-checkout--select');
    expect(checkout).not.toHaveAttribute('data-theme');
    expect(checkout.closest('.ecp-root')).toHaveAttribute('data-theme', 'dark');
    expect(checkout.closest('.ecp-root')).toHaveClass('shop');
  });
});
