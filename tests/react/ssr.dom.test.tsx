// @vitest-environment node
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

describe('server rendering', () => {
  it('imports without window/document and renders the loading step, with no inline styles', async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    const { Checkout, MethodForm, VoucherList } = await import('../../src/react/index.ts');
    const html = renderToString(
      <Checkout
        sessionId="ses_1"
        apiBaseUrl="https://api.shop.example"
        appearance={{ variables: { colorPrimary: '#000' } }}
      />,
    );
    expect(html).toContain('Loading checkout…');
    expect(html).toContain('aria-live="polite"');
    expect(html).not.toMatch(/\sstyle="/);
    const form = renderToString(
      <MethodForm method="grabpay" options={[{ currency: 'PHP', amount: 2000 }]} onSubmit={() => {}} />,
    );
    expect(form).toContain('Pay ₱20.00');
    const list = renderToString(
      <VoucherList
        vouchers={[{ number: '1234567890123456789', security_code: '1', expiration: '08/2027' }]}
      />,
    );
    expect(list).toContain('1234 5678 9012 3456 789');
  });
});
