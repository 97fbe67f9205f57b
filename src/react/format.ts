/** Input masks and display helpers (pure; no DOM). */

/** Digits only, in groups: `1234567890123456789` → `1234 5678 9012 3456 789`. */
export function groupDigits(value: string, maxDigits = 19, size = 4): string {
  const digits = value.replace(/\D/g, '').slice(0, maxDigits);
  return digits.replace(new RegExp(`(\\d{${size}})(?=\\d)`, 'g'), '$1 ');
}

/**
 * MM/YYYY as it is typed: `0` `8` → `08/`, `8` → `08/`, `082027` → `08/2027`. Deleting (the new value is
 * shorter than the old one) never adds the slash back, so Backspace works.
 */
export function formatExpiry(next: string, prev = ''): string {
  let digits = next.replace(/\D/g, '');
  if (/^[2-9]$/.test(digits)) digits = `0${digits}`;
  digits = digits.slice(0, 6);
  const deleting = next.length < prev.length;
  if (digits.length > 2) return `${digits.slice(0, 2)}/${digits.slice(2)}`;
  if (digits.length === 2 && !deleting) return `${digits}/`;
  return digits;
}

/** Digits only, at most `max`. */
export function digitsOnly(value: string, max: number): string {
  return value.replace(/\D/g, '').slice(0, max);
}
