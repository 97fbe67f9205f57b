/**
 * FakePay's texts (file 3 of 3 of "Adding a method", docs/architecture.md): the message ids its form spec,
 * its rules and the method picker use, per language. English is the fallback for the others.
 */
export const fakePayMessages = {
  en: {
    'method.fakepay.hint': 'Confirm in the FakePay app',
    'fakepay.phone': 'Phone number of your FakePay wallet',
    'fakepay.phone.hint': 'With the country code, e.g. +63 917 123 4567',
    'fakepay.phone.invalid': 'Enter the phone number with its country code, like +639171234567',
    'fakepay.note': 'You will confirm the payment in the FakePay app.',
  },
  ru: {
    'method.fakepay.hint': 'Подтвердите в приложении FakePay',
    'fakepay.phone': 'Номер телефона кошелька FakePay',
    'fakepay.phone.hint': 'С кодом страны, например +63 917 123 4567',
    'fakepay.phone.invalid': 'Введите номер с кодом страны, например +639171234567',
    'fakepay.note': 'Вы подтвердите платёж в приложении FakePay.',
  },
};
