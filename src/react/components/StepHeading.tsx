import type { ReactNode } from 'react';

/**
 * A step's heading: focusable from script (`tabIndex={-1}`), so focus can move to it when the step
 * changes; `<Checkout>` finds it by `data-ecp-step-heading`.
 */
export function StepHeading({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <h2 className="ecp-heading" id={id} tabIndex={-1} data-ecp-step-heading="">
      {children}
    </h2>
  );
}
