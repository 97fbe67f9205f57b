import { MESSAGES_EN } from '../../core/messages.ts';

/**
 * English, the bundled default. Every other locale must translate every key (the `Messages` type checks
 * it). `{name}` placeholders are filled by `t(key, { name })`.
 */
export const en = {
  // Validation messages of the core's schemas (their issue messages are these keys).
  ...MESSAGES_EN,

  'checkout.label': 'Checkout',
  'checkout.total': 'Total',
  'checkout.test_mode': 'Test mode: no real money is moved',
  'step.loading': 'Loading checkout…',
  'step.method': 'Choose a payment method',
  'step.redirect': 'Continue to {method}',
  'step.clarification': 'A few more details',
  'step.waiting': 'Confirming your payment',
  'step.success': 'Payment successful',
  'step.decline': 'Payment declined',
  'step.failed': 'Payment not completed',
  'step.error': 'Checkout unavailable',
  'step.payment_page': 'Complete your payment',

  'methods.legend': 'Payment method',
  'methods.none': 'No payment method can take this order.',
  'methods.unavailable.why': 'Why can’t I pay with {methods}?',
  'method.grabpay.hint': 'Confirm in the GrabPay app',
  'method.advcash.hint': 'Pay from your ADVCash wallet',
  'method.payco.hint': 'Confirm with PAYCO',
  'method.jeton.hint': 'Pay with a Jeton voucher',
  'unavailable.not_enabled': '{method} isn’t offered for this order.',
  'unavailable.currency_not_supported': '{method} doesn’t take this currency.',
  'unavailable.test_currency_only': 'In test mode, {method} takes {currencies} only.',
  'unavailable.below_minimum': '{method} takes payments from {amount}.',
  'unavailable.above_maximum': '{method} takes payments up to {amount}.',

  'field.optional': 'optional',
  'field.email': 'E-mail',
  'field.email.hint': 'For your receipt',
  'field.email.hint_php': 'GrabPay needs it for payments in PHP',
  'field.first_name': 'First name',
  'field.last_name': 'Last name',
  'field.currency': 'Currency',
  'field.currency.hint': 'The amount changes with the currency',
  'field.voucher_number': 'Voucher number',
  'field.voucher_number.hint': '19 digits, as printed on the voucher',
  'field.expiration': 'Expiry date',
  'field.expiration.hint': 'MM/YYYY',
  'field.security_code': 'Security code',
  'field.security_code.hint': '4 digits',
  'form.redirect_note': 'You will confirm the payment with {method}, then come back here.',
  'form.payco_note': 'Korean won are charged in whole won.',
  'form.errors': 'Please correct the highlighted fields.',

  pay: 'Pay {amount}',
  'pay.busy': 'Processing…',
  continue: 'Continue',

  'redirect.body': 'Taking you to {method} to confirm the payment…',
  'redirect.paused': 'Press the button to continue to {method}.',
  'redirect.button': 'Continue to {method}',
  'redirect.failed': 'We could not open {method}. Please pick another method.',

  'clarification.body': '{method} needs these details to finish the payment.',

  'waiting.body': 'This usually takes a few moments. Please keep this page open.',
  'waiting.progress': 'Waiting for confirmation',
  'waiting.slow': 'This is taking longer than usual. You will not be charged twice.',
  'waiting.check': 'Check again',

  'result.success.body': 'You paid {amount} with {method}.',
  'result.reference': 'Reference: {id}',
  'result.decline.generic': 'The payment was declined. No money was taken.',
  'result.code.100': 'The payment was declined. No money was taken.',
  'result.code.20000': 'The payment was declined. No money was taken.',
  'result.code.20101':
    'The payment exceeds an amount or frequency limit. Try a smaller amount or another method.',
  'result.code.20602': 'The payment timed out. No money was taken; please try again.',
  'result.code.3028': 'The shop cannot take this payment right now. Please try again later.',
  'result.code.3041': 'This payment was already submitted. Please start a new one.',
  'result.code.3061': 'We could not find this payment. Please try again.',
  'result.expired': 'The time to pay ran out. No money was taken.',
  'result.cancelled': 'The payment was cancelled. No money was taken.',
  'result.error': 'Something went wrong while processing the payment. No money was taken.',
  'result.refunded': 'This payment was refunded.',
  'result.try_again': 'Try again',
  'result.other_method': 'Pick another method',

  'error.network': 'We could not reach the payment service. Check your connection and try again.',
  'error.generic': 'Something went wrong. Please try again.',
  'error.session_not_found': 'This checkout link is not valid.',
  'error.session_expired': 'This checkout has expired. Please return to the shop and start again.',
  'error.session_completed': 'This order has already been paid.',
  'error.retry': 'Try again',

  'status.submitting': 'Creating your payment…',
  'status.redirecting': 'Redirecting to {method}…',

  'payment_page.open': 'Open the payment page',
  'payment_page.popup': 'Complete the payment in the window that opened.',
  'payment_page.popup_blocked': 'Your browser blocked the payment window. Use the button to open it.',
  'payment_page.frame_title': 'ecommpay payment page',

  'payout.submit': 'Request payout',
  'payout.busy': 'Sending…',
  'payout.sent': 'Payout requested.',
  'payout.grabpay.title': 'GrabPay payout',
  'payout.advcash.title': 'ADVCash payout',
  'field.account_number': 'GrabPay account number',
  'field.account_number.hint': '11 digits, starting with 09',
  'field.customer_name': 'Account holder’s full name',
  'field.customer_name.hint': 'First and last name, as on the account',
  'field.wallet_email': 'ADVCash wallet e-mail',
  'field.wallet_email.hint': 'The e-mail your wallet is registered with',

  'vouchers.title': 'Your Jeton vouchers',
  'vouchers.item': 'Voucher {n} of {total}',
  'vouchers.number': 'Number',
  'vouchers.security_code': 'Security code',
  'vouchers.expiry': 'Valid until',
  'vouchers.value': 'Value',
  'vouchers.issued': 'Issued {date}',
  'copy.number': 'Copy number',
  'copy.security_code': 'Copy security code',
  copied: 'Copied',
  'copy.failed': 'Could not copy. Select the text and copy it.',
};

export type MessageId = keyof typeof en;
/** A complete translation: every key of the English table. */
export type Messages = Record<MessageId, string>;
