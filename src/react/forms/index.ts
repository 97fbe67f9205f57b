import type { ComponentType } from 'react';
import type { MethodId } from '../../core/methods/index.ts';
import { AdvCashForm } from './AdvCashForm.tsx';
import { GrabPayForm } from './GrabPayForm.tsx';
import { JetonVoucherForm } from './JetonVoucherForm.tsx';
import { PaycoForm } from './PaycoForm.tsx';
import type { MethodFormProps } from './shared.tsx';

/** The form of each method. */
export const METHOD_FORMS: Record<MethodId, ComponentType<MethodFormProps>> = {
  grabpay: GrabPayForm,
  advcash: AdvCashForm,
  payco: PaycoForm,
  jeton: JetonVoucherForm,
};
