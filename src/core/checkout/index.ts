/** The checkout controller: the flow of a payment, framework-free (docs/architecture.md → Checkout controller). */
export { createCheckout } from './controller.ts';
export type {
  BeforeRedirectEvent,
  CheckoutController,
  CheckoutEvents,
  CheckoutNotice,
  CheckoutOptions,
  CheckoutSettings,
  CheckoutSnapshot,
  CheckoutStep,
} from './types.ts';
export type { CheckoutErrorKind, CheckoutErrorStage } from './errors.ts';
export type { CheckoutEnvironment, PopupLike } from './environment.ts';
export type { FlowState, Phase } from './machine.ts';
export type { PollOptions } from './poll.ts';
export type { Scheduler } from './scheduler.ts';
