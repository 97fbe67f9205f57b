import { expect, within } from 'storybook/test';

/**
 * Asserts the inline error a field shows: the text under it, `aria-invalid`, and the error being part of
 * the input's accessible description (so a screen reader says it with the field).
 */
export async function expectFieldError(input: HTMLElement, message: string): Promise<void> {
  const field = input.closest('.ecp-field');
  if (!(field instanceof HTMLElement)) throw new Error('The input is not inside an .ecp-field');
  await expect(within(field).getByText(message)).toBeVisible();
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(input).toHaveAccessibleDescription(expect.stringContaining(message));
}

/** Asserts a field shows no error. */
export async function expectNoFieldError(input: HTMLElement): Promise<void> {
  await expect(input).not.toHaveAttribute('aria-invalid');
  await expect(input.closest('.ecp-field')?.querySelector('.ecp-error') ?? null).toBeNull();
}

/** Spaces as `Intl.NumberFormat` writes them (no-break, narrow no-break) → plain spaces. */
export function plainSpaces(text: string | null | undefined): string {
  return (text ?? '').replace(/[\s\u00a0\u202f]/g, ' ');
}
