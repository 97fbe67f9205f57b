import { describe, expect, it } from 'vitest';
import { createSandbox, type RequestLogEntry } from '../../src/sandbox/app.ts';
import { loadSandboxConfig, SandboxConfigError } from '../../src/sandbox/config.ts';

const demo = { id: 1001, secret: 'demo' };

describe('loadSandboxConfig', () => {
  it('defaults to 127.0.0.1:8790 and the demo project', () => {
    expect(loadSandboxConfig({}, demo)).toEqual({
      port: 8790,
      host: '127.0.0.1',
      options: {
        projects: [demo],
        publicUrl: 'http://127.0.0.1:8790',
        timeScale: 1,
        testProject: false,
        redirectMethod: {},
      },
    });
  });

  it('reads every variable', () => {
    const c = loadSandboxConfig(
      {
        SANDBOX_PORT: '9000',
        SANDBOX_HOST: '0.0.0.0',
        SANDBOX_PUBLIC_URL: 'https://sandbox.example.com/',
        SANDBOX_PROJECTS: '[{"id": 7, "secret": "s", "callbackUrl": "http://m.test/cb"}]',
        SANDBOX_TIME_SCALE: '0.1',
        SANDBOX_REDIRECT_POST: 'grabpay, advcash',
        SANDBOX_TEST_PROJECT: 'true',
        JETON_CURRENCIES: 'EUR,PHP',
        SANDBOX_CALLBACK_TRIES: '6',
      },
      demo,
    );
    expect(c).toEqual({
      port: 9000,
      host: '0.0.0.0',
      options: {
        projects: [{ id: 7, secret: 's', callbackUrl: 'http://m.test/cb' }],
        publicUrl: 'https://sandbox.example.com',
        timeScale: 0.1,
        testProject: true,
        redirectMethod: { grabpay: 'POST', advcash: 'POST' },
        jetonCurrencies: ['EUR', 'PHP'],
        callbackRetry: { maxAttempts: 6 },
      },
    });
  });

  it('lists every problem at once', () => {
    try {
      loadSandboxConfig(
        {
          SANDBOX_PORT: 'x',
          SANDBOX_PROJECTS: '[{"id": "a"}]',
          SANDBOX_TIME_SCALE: '-1',
          SANDBOX_REDIRECT_POST: 'jeton',
          SANDBOX_JETON_CURRENCIES: 'XXX',
          SANDBOX_CALLBACK_TRIES: '0',
        },
        demo,
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SandboxConfigError);
      expect((error as SandboxConfigError).problems).toHaveLength(6);
    }
    expect(() => loadSandboxConfig({ SANDBOX_PROJECTS: '{not json' }, demo)).toThrow(/must be JSON/);
  });
});

describe('createSandbox options', () => {
  it('logs one entry per request through `log`', async () => {
    const entries: RequestLogEntry[] = [];
    const sb = createSandbox({
      projects: [demo],
      publicUrl: 'http://127.0.0.1:8790',
      log: (e) => entries.push(e),
    });
    await sb.app.request('/health');
    await sb.app.request('/nope');
    sb.close();
    expect(entries.map((e) => [e.method, e.path, e.status])).toEqual([
      ['GET', '/health', 200],
      ['GET', '/nope', 404],
    ]);
    expect(typeof entries[0]?.ms).toBe('number');
  });

  it('refuses bad options', () => {
    expect(() => createSandbox({ projects: [], publicUrl: 'http://x' })).toThrow(/project/);
    expect(() => createSandbox({ projects: [demo], publicUrl: 'x' })).toThrow(/publicUrl/);
    expect(() => createSandbox({ projects: [{ id: 1, secret: '' }], publicUrl: 'http://x' })).toThrow(
      /secret/,
    );
  });
});
