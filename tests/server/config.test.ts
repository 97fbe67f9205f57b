import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEMO_MERCHANT_API_KEY,
  DEMO_PROJECT_ID,
  DEMO_SECRET_KEY,
  loadConfig,
} from '../../src/server/config.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const PRODUCTION = {
  APP_ENV: 'production',
  ECOMMPAY_PROJECT_ID: '4242',
  ECOMMPAY_SECRET_KEY: 'a-real-secret-key-from-the-dashboard',
  ECOMMPAY_GATE_URL: 'https://api.ecommpay.com',
  ECOMMPAY_PAYMENT_PAGE_URL: 'https://paymentpage.ecommpay.com/payment',
  PUBLIC_BASE_URL: 'https://shop.example.com/',
  MERCHANT_API_KEY: 'merchant-key-0123456789abcdef',
  ALLOWED_ORIGINS: 'https://shop.example.com',
  DATABASE_URL: 'postgres://app:app@db:5432/app',
  VOUCHER_KEYS: `live1:${Buffer.alloc(32, 7).toString('base64')}`,
};

describe('loadConfig', () => {
  it('defaults to the sandbox with demo keys', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      production: false,
      port: 8787,
      projectId: DEMO_PROJECT_ID,
      secretKey: DEMO_SECRET_KEY,
      merchantApiKey: DEMO_MERCHANT_API_KEY,
      gateUrl: 'http://127.0.0.1:8790',
      paymentPageUrl: 'http://127.0.0.1:8790/payment',
      publicBaseUrl: 'http://127.0.0.1:8787',
      database: { kind: 'pglite', dataDir: '.data/pglite' },
      redirectDevHosts: ['localhost', '127.0.0.1'],
      advcashPaymentPageCode: 'advcash',
      allowedOrigins: [],
      testProject: false,
    });
    expect(DEMO_PROJECT_ID).toBe(1001);
  });

  it('reads every setting', () => {
    const c = loadConfig({
      ...PRODUCTION,
      APP_ENV: '',
      PORT: '9000',
      DATABASE_URL: '',
      DATA_DIR: 'memory://',
      ALLOWED_ORIGINS: 'https://a.example, http://localhost:5173',
      REDIRECT_DEV_HOSTS: 'sandbox.local',
      ADVCASH_PAYMENT_PAGE_CODE: 'advcash_direct',
      JETON_CURRENCIES: 'eur,USD',
      ECOMMPAY_TEST_PROJECT: 'true',
      TRUST_PROXY: '1',
    });
    expect(c).toMatchObject({
      port: 9000,
      projectId: 4242,
      publicBaseUrl: 'https://shop.example.com',
      database: { kind: 'pglite', dataDir: null },
      allowedOrigins: ['https://a.example', 'http://localhost:5173'],
      redirectDevHosts: ['sandbox.local'],
      advcashPaymentPageCode: 'advcash_direct',
      jetonCurrencies: ['EUR', 'USD'],
      testProject: true,
      trustProxy: true,
    });
    expect(loadConfig({ DATABASE_URL: 'postgresql://x@h/db' }).database).toEqual({
      kind: 'postgres',
      url: 'postgresql://x@h/db',
    });
  });

  it('lists every problem at once, in clear words', () => {
    const p = problems({
      PORT: 'eighty',
      ECOMMPAY_PROJECT_ID: '-3',
      ECOMMPAY_GATE_URL: 'not a url',
      PUBLIC_BASE_URL: 'ftp://x',
      ALLOWED_ORIGINS: 'https://ok.example,https://bad.example/path',
      DATABASE_URL: 'mysql://x',
      ADVCASH_PAYMENT_PAGE_CODE: 'other',
      JETON_CURRENCIES: 'EUR,XXX',
      LOG_LEVEL: 'loud',
    });
    expect(p).toHaveLength(9);
    expect(p.join('\n')).toMatch(/PORT must be a whole number/);
    expect(p.join('\n')).toMatch(/ECOMMPAY_GATE_URL must be an absolute URL/);
    expect(p.join('\n')).toMatch(/"XXX" is not a supported currency/);
    expect(() => loadConfig({ PORT: 'x' })).toThrow(/Invalid configuration:\n {2}- PORT/);
  });

  it('accepts a production setup', () => {
    const c = loadConfig(PRODUCTION);
    expect(c.production).toBe(true);
    expect(c.redirectDevHosts).toEqual([]);
    expect(c.redirectHosts).toEqual(['api.ecommpay.com', 'paymentpage.ecommpay.com']);
    expect(
      loadConfig({ ...PRODUCTION, REDIRECT_HOSTS: 'pay.grab.com, Wallet.Jeton.com' }).redirectHosts,
    ).toEqual(['api.ecommpay.com', 'paymentpage.ecommpay.com', 'pay.grab.com', 'wallet.jeton.com']);
  });

  it('refuses demo keys, missing keys and plain http in production', () => {
    const p = problems({
      ...PRODUCTION,
      ECOMMPAY_PROJECT_ID: String(DEMO_PROJECT_ID),
      ECOMMPAY_SECRET_KEY: DEMO_SECRET_KEY,
      MERCHANT_API_KEY: DEMO_MERCHANT_API_KEY,
      ECOMMPAY_GATE_URL: 'http://api.ecommpay.com',
      PUBLIC_BASE_URL: 'http://shop.example.com',
      ALLOWED_ORIGINS: 'http://shop.example.com',
    });
    expect(p).toEqual([
      'ECOMMPAY_PROJECT_ID must not be the demo project 1001 in production',
      'ECOMMPAY_SECRET_KEY must not be the demo key in production',
      'MERCHANT_API_KEY must not be the demo key in production',
      'ECOMMPAY_GATE_URL must use https in production (got "http://api.ecommpay.com")',
      'PUBLIC_BASE_URL must use https in production (got "http://shop.example.com")',
      'ALLOWED_ORIGINS: "http://shop.example.com" must use https in production',
    ]);
    const missing = problems({ APP_ENV: 'production' });
    expect(missing).toContain('ECOMMPAY_SECRET_KEY is required in production');
    expect(missing).toContain('MERCHANT_API_KEY is required in production');
    expect(missing).toContain('ECOMMPAY_GATE_URL is required in production');
    expect(problems({ ...PRODUCTION, MERCHANT_API_KEY: 'short' })).toEqual([
      'MERCHANT_API_KEY must be at least 24 characters in production',
    ]);
  });

  it('never puts a secret into its messages', () => {
    const p = problems({ ...PRODUCTION, ECOMMPAY_GATE_URL: 'nope' });
    expect(p.join('\n')).not.toContain(PRODUCTION.ECOMMPAY_SECRET_KEY);
  });
});
