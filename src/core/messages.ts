/**
 * Validation and availability messages, keyed. Schemas and the availability check emit the key as the
 * issue message; the backend answers with the English text, the widget with its locale's text
 * (src/react/i18n falls back to these). One rule, one key, one place.
 */
export const MESSAGES_EN = {
  required: 'This field is required',
  'email.invalid': 'Enter a valid e-mail address, like name@example.com',
  'email.required_php': 'GrabPay needs your e-mail address for payments in PHP',
  'name.invalid': 'Use letters, spaces, apostrophes and hyphens only',
  'name.too_long': 'This name is too long',
  'voucher.number': 'The voucher number has 19 digits',
  'voucher.expiration_format': 'Enter the expiry as MM/YYYY, e.g. 08/2027',
  'voucher.expired': 'This voucher has expired',
  'voucher.security_code': 'The security code has 4 digits',
  'grabpay.account': 'A GrabPay account number has 11 digits and starts with 09',
  'payout.customer_name': 'Enter the account holder’s full name (first and last)',
  'amount.integer': 'Amounts are whole numbers of minor units (cents)',
  'amount.positive': 'The amount must be greater than zero',
  'currency.invalid': 'This currency is not supported',
  'url.invalid': 'Enter an absolute http(s) URL',
  'ip.invalid': 'Enter an IPv4 or IPv6 address',
  'description.required': 'A description is required',
  'text.too_long': 'This text is too long',
  'prices.required': 'Give either amount and currency, or prices',
  'prices.conflict': 'Give amount and currency, or prices, not both',
} as const;

export type MessageKey = keyof typeof MESSAGES_EN;

export function isMessageKey(key: unknown): key is MessageKey {
  return typeof key === 'string' && Object.prototype.hasOwnProperty.call(MESSAGES_EN, key);
}

/** The English text of a message key; unknown keys (e.g. zod's own messages) pass through unchanged. */
export function messageText(key: string): string {
  return isMessageKey(key) ? MESSAGES_EN[key] : key;
}
