/**
 * FakePay registered in the widget's catalog and the sandbox's providers, and a backend + sandbox stack
 * (in-process, in-memory PGlite) for the tests of one file; both are undone after them.
 */
import { afterAll, beforeAll } from 'vitest';
import { registerMethod, unregisterMethod, type MethodId } from '../../src/core/methods/index.ts';
import { registerProvider, unregisterProvider } from '../../src/sandbox/providers/index.ts';
import { startStack, type Stack } from '../server/helpers.ts';
import { fakePay } from './fake-method.ts';
import { fakePayProvider } from './fake-sandbox-provider.ts';

export const FAKE = 'fakepay' as MethodId;

/** Registers FakePay and starts a stack before the file's tests; `.stack` is there from then on. */
export function withFakePay(): { readonly stack: Stack } {
  let stack: Stack | undefined;
  beforeAll(async () => {
    registerMethod(fakePay);
    registerProvider(fakePayProvider);
    stack = await startStack();
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    unregisterProvider('fakepay');
    unregisterMethod('fakepay');
  });
  return {
    get stack(): Stack {
      if (!stack) throw new Error('the FakePay stack is not started yet');
      return stack;
    },
  };
}
