import type { MethodId } from '../../core/methods/index.ts';
import { advcashProvider } from './advcash.ts';
import { grabpayProvider } from './grabpay.ts';
import { jetonProvider } from './jeton.ts';
import { paycoProvider } from './payco.ts';
import type { SandboxProvider } from './types.ts';

export type * from './types.ts';

const providers = new Map<string, SandboxProvider>(
  [grabpayProvider, advcashProvider, paycoProvider, jetonProvider].map((p) => [p.method, p]),
);

/**
 * Adds the sandbox's provider of a method added with `registerMethod` (core). Register it before the
 * sandbox is created: its page's routes are set up then.
 */
export function registerProvider(provider: Omit<SandboxProvider, 'method'> & { method: string }): void {
  if (providers.has(provider.method)) throw new Error(`A provider for ${provider.method} is registered`);
  providers.set(provider.method, provider as SandboxProvider);
}

/** Removes a provider added with `registerProvider` (tests). */
export function unregisterProvider(method: string): void {
  if (![grabpayProvider, advcashProvider, paycoProvider, jetonProvider].some((p) => p.method === method))
    providers.delete(method);
}

/** The provider of a method; every method of the catalog has one. */
export function providerOf(method: MethodId): SandboxProvider {
  const p = providers.get(method);
  if (!p) throw new Error(`The sandbox has no provider for ${method}`);
  return p;
}

/** The providers with a page to redirect to. */
export function providerPages(): (SandboxProvider & { page: NonNullable<SandboxProvider['page']> })[] {
  return [...providers.values()].filter(
    (p): p is SandboxProvider & { page: NonNullable<SandboxProvider['page']> } => p.page !== undefined,
  );
}
