import type { MethodId } from '../../core/methods/index.ts';

/**
 * Each method's mark, drawn here (not the providers' logos, which are theirs to license and would be
 * requests to their hosts — the embed makes none): the method's initial in white on a tile of its colour.
 * One stroke path each, so that all four cost a few hundred bytes of the embed's size budget.
 */
const MARKS: Record<MethodId, [colour: string, path: string]> = {
  // GrabPay: a "G" on green.
  grabpay: ['#00803a', 'M16.2 7.8A6 6 0 1 0 18 12h-5'],
  // ADVCash: an "A" on slate.
  advcash: ['#2b3a4d', 'M7 18l5-12 5 12m-8-4h6'],
  // Payco: a "P" on red.
  payco: ['#d6232b', 'M9 18V6h4.5a3.5 3.5 0 0 1 0 7H9'],
  // Jeton Voucher: a "J" on orange.
  jeton: ['#c2410c', 'M10 6h5v8.5a3.5 3.5 0 0 1-7 0'],
};

/**
 * A method's mark for lists and headings. Decorative: the row or heading it sits in names the method, so
 * the mark is hidden from screen readers (`aria-hidden`), never announced twice.
 */
export function MethodMark({ method }: { method: MethodId }) {
  const mark = MARKS[method];
  return (
    <svg className="ecp-mark" viewBox="0 0 24 24" aria-hidden="true">
      <rect width="24" height="24" rx="6" fill={mark[0]} />
      <path d={mark[1]} fill="none" stroke="#fff" strokeWidth="2.5" strokeLinecap="round" />
    </svg>
  );
}
