/** The emulated providers' own key (they sign their fields like the real ones do). */
export const PROVIDER_KEY = 'sandbox-provider-key';
