/**
 * A masked input's change handler: `filterInput(event.target, groupDigits)` returns the masked value for
 * the form and puts it in the input at once.
 *
 * React resets a controlled input to its value after the change handler; Preact (preact/compat, the
 * script-tag embed) does so only when it re-renders, and when the mask gives back the value the input
 * had before (a letter typed after digits: `12a` → `12`) nothing changes, nothing re-renders, and the
 * letter would stay on screen while the form holds `12`. Writing the masked value here makes both
 * runtimes show what the form holds. The caret keeps its place among the kept characters (a letter typed
 * in the middle of a number does not throw the caret to the end); typing at the end stays at the end.
 */
export function filterInput(
  input: HTMLInputElement,
  mask: (raw: string) => string,
  /** The characters the mask keeps (one at a time, no `g` flag): digits by default. */
  kept: RegExp = /\d/,
): string {
  const raw = input.value;
  const next = mask(raw);
  if (raw === next) return next;
  const focused = input.ownerDocument.activeElement === input;
  const caret = focused ? input.selectionStart : null;
  input.value = next;
  // Setting the value puts the caret at the end: right when typing at the end.
  if (caret === null || caret >= raw.length) return next;
  let count = 0;
  for (let i = 0; i < caret; i++) if (kept.test(raw.charAt(i))) count++;
  let at = 0;
  for (let seen = 0; at < next.length && seen < count; at++) if (kept.test(next.charAt(at))) seen++;
  try {
    input.setSelectionRange(at, at);
  } catch {
    // An input type without a selection (e-mail, number): the caret stays at the end.
  }
  return next;
}
