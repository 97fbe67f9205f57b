/** Every method the demo can pay with: which cart, what to fill in, what the provider page shows. */
import type { MethodId } from '../src/core/methods/index.ts';
import type { Currency } from '../src/core/money.ts';
import type { CartId } from '../src/demo/merchant-server.ts';
import type { MethodLabel, ProviderName, Shop } from './shop.ts';

export interface Order {
  cart: CartId;
  /** As the widget and the provider page show it. */
  amount: string;
  minor: number;
  currency: Currency;
}

export interface MethodCase {
  name: string;
  method: MethodId;
  label: MethodLabel;
  /** The sandbox's provider page; none for Jeton Voucher (no redirect: the result comes by callback). */
  provider?: ProviderName;
  success: Order;
  /**
   * `test-amount`: 400.00, which the test rules decline (the provider page puts Decline first and
   * focuses it; Jeton declines it by itself). `button`: an ordinary amount declined on the provider page.
   */
  decline: Order & { by: 'test-amount' | 'button' };
  /**
   * The `ecp_result` a declined payment comes back with. GrabPay has only a success return URL, so a
   * decline comes back as `success` — the widget must show what the backend says, not the URL.
   */
  declineReturn: 'decline' | 'success';
  fill?: (shop: Shop) => Promise<void>;
}

export const METHOD_CASES: readonly MethodCase[] = [
  {
    name: 'GrabPay PHP',
    method: 'grabpay',
    label: 'GrabPay',
    provider: 'GrabPay',
    success: { cart: 'ph-1500', amount: '₱1,500.00', minor: 150_000, currency: 'PHP' },
    decline: { cart: 'decline-400', amount: '₱400.00', minor: 40_000, currency: 'PHP', by: 'test-amount' },
    declineReturn: 'success',
    // GrabPay needs the e-mail for PHP.
    fill: (shop) => shop.fillGrabPayEmail(),
  },
  {
    name: 'GrabPay MYR',
    method: 'grabpay',
    label: 'GrabPay',
    provider: 'GrabPay',
    success: { cart: 'my-50', amount: 'RM 50.00', minor: 5_000, currency: 'MYR' },
    decline: { cart: 'my-50', amount: 'RM 50.00', minor: 5_000, currency: 'MYR', by: 'button' },
    declineReturn: 'success',
    // With e-mail and names given up front there is no clarification (clarification.spec.ts has that path).
    fill: async (shop) => {
      await shop.fillGrabPayEmail('siti@example.com');
      await shop.fillGrabPayNames();
    },
  },
  {
    name: 'ADVCash',
    method: 'advcash',
    label: 'ADVCash',
    provider: 'ADVCash',
    success: { cart: 'eu-25', amount: '€25.00', minor: 2_500, currency: 'EUR' },
    decline: { cart: 'decline-400', amount: '€400.00', minor: 40_000, currency: 'EUR', by: 'test-amount' },
    declineReturn: 'decline',
  },
  {
    name: 'Payco',
    method: 'payco',
    label: 'Payco',
    provider: 'PAYCO',
    success: { cart: 'kr-25000', amount: '₩25,000', minor: 25_000, currency: 'KRW' },
    decline: { cart: 'kr-25000', amount: '₩25,000', minor: 25_000, currency: 'KRW', by: 'button' },
    declineReturn: 'decline',
  },
  {
    name: 'Jeton Voucher',
    method: 'jeton',
    label: 'Jeton Voucher',
    success: { cart: 'eu-25', amount: '€25.00', minor: 2_500, currency: 'EUR' },
    decline: { cart: 'decline-400', amount: '€400.00', minor: 40_000, currency: 'EUR', by: 'test-amount' },
    declineReturn: 'decline',
    fill: (shop) => shop.fillVoucher(),
  },
];

export const methodCase = (name: string): MethodCase => {
  const c = METHOD_CASES.find((m) => m.name === name);
  if (!c) throw new Error(`No method case ${name}`);
  return c;
};
