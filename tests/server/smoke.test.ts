import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type Stack } from './helpers.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

it('grabpay php success', async () => {
  const s = await stack.createSession();
  console.log(JSON.stringify(s).slice(0, 500));
  const r = await stack.pay(
    s.id,
    { method: 'grabpay', currency: 'PHP', fields: { email: 'a@example.com' } },
    'k1',
  );
  console.log(r.status, JSON.stringify(r.body));
  const p = await stack.settle(r.body.id);
  console.log(JSON.stringify(p));
  await stack.sandbox.decide(1001, p.id, 'success');
  const done = await stack.settle(p.id);
  console.log(JSON.stringify(done));
  expect(done.status).toBe('success');
  console.log(stack.logs.join('\n'));
});
