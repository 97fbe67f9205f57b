/**
 * ecommpay checkout for React (18 and 19). Named exports only, no side effects at import (SSR-safe):
 * import what you use. Styles: `import '…/react/styles.css'` (a static file; no CSS-in-JS).
 */
export { Checkout } from './Checkout.tsx';
export type {
  BeforeRedirectEvent,
  CheckoutErrorStage,
  CheckoutEvents,
  CheckoutProps,
  CheckoutStep,
} from './Checkout.tsx';
export {
  CheckoutProvider,
  createQueryClient,
  useAnnounce,
  useAppearanceVariables,
  useClient,
} from './context.tsx';
export type { Appearance, AppearanceVariables, CheckoutProviderProps } from './context.tsx';
export { useClarify, useCreatePayment, usePayment, usePaymentPage, useSession } from './hooks.ts';
export type { UsePaymentOptions, UsePaymentResult } from './hooks.ts';
export { useCheckoutController } from './checkout/useCheckoutController.ts';
export type { UseCheckoutControllerOptions } from './checkout/useCheckoutController.ts';

export { MethodPicker } from './components/MethodPicker.tsx';
export type { MethodPickerProps } from './components/MethodPicker.tsx';
export { MethodMark } from './components/MethodMark.tsx';
export { UnavailableMethods } from './components/UnavailableMethods.tsx';
export type { UnavailableMethodsProps } from './components/UnavailableMethods.tsx';
export { PayButton } from './components/PayButton.tsx';
export type { PayButtonProps } from './components/PayButton.tsx';
export { RedirectNotice } from './components/RedirectNotice.tsx';
export type { RedirectNoticeProps } from './components/RedirectNotice.tsx';
export { ClarificationForm } from './components/ClarificationForm.tsx';
export type { ClarificationFormProps } from './components/ClarificationForm.tsx';
export { ResultView, resultMessageKey } from './components/ResultView.tsx';
export type { ResultViewProps } from './components/ResultView.tsx';
export { WaitingView } from './components/WaitingView.tsx';
export type { WaitingViewProps } from './components/WaitingView.tsx';
export { Field, TextField } from './components/Field.tsx';
export type { FieldProps, TextFieldProps } from './components/Field.tsx';

export { METHOD_FORMS } from './forms/index.ts';
export { MethodForm } from './forms/MethodForm.tsx';
export type { MethodFormOwnProps } from './forms/MethodForm.tsx';
export { CurrencySelect } from './forms/CurrencySelect.tsx';
export type { MethodFormProps, MethodSubmit, PriceOption } from './forms/shared.tsx';
export { digitsOnly, formatExpiry, groupDigits } from './format.ts';
export { filterInput } from './forms/filter.ts';

export { PayoutForm } from './payouts/PayoutForm.tsx';
export type { PayoutFormProps } from './payouts/PayoutForm.tsx';
export { VoucherList, copyText } from './payouts/VoucherList.tsx';
export type { VoucherListProps } from './payouts/VoucherList.tsx';

export {
  I18nProvider,
  LANGUAGES,
  createTranslate,
  en,
  loadMessages,
  resolveLanguage,
  useI18n,
  useT,
} from './i18n/index.tsx';
export type {
  I18n,
  I18nProviderProps,
  Language,
  MessageId,
  MessageOverrides,
  Messages,
  Translate,
} from './i18n/index.tsx';
