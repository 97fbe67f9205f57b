/**
 * The backend's configuration, read from the environment once at start and validated with clear messages.
 * Defaults point at the local Gate sandbox with demo keys; `APP_ENV=production` refuses demo keys and
 * plain-http URLs.
 */
import * as z from 'zod/mini';
import { isCurrency, type Currency } from '../core/money.ts';
import { DEMO_MERCHANT_API_KEY, DEMO_PROJECT_ID, DEMO_SECRET_KEY } from '../shared/demo-credentials.ts';
import { DEMO_VOUCHER_KEYS, parseVoucherKeys, type VoucherKey } from './voucher-crypto.ts';

/** The demo credentials (`src/shared/demo-credentials.ts`, shared with the sandbox); refused in production. */
export { DEMO_MERCHANT_API_KEY, DEMO_PROJECT_ID, DEMO_SECRET_KEY };

/** A URL's host name, lower case; null when not a URL. */
function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

export const DEFAULT_PORT = 8787;
export const DEFAULT_GATE_URL = 'http://127.0.0.1:8790';
export const DEFAULT_PAYMENT_PAGE_URL = 'http://127.0.0.1:8790/payment';
export const DEFAULT_PUBLIC_BASE_URL = 'http://127.0.0.1:8787';
export const DEFAULT_DATA_DIR = '.data/pglite';

export type Database = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string | null };

export interface ServerConfig {
  production: boolean;
  /** The interface to listen on (HOST; default 127.0.0.1, use 0.0.0.0 in a container). */
  host: string;
  port: number;
  projectId: number;
  secretKey: string;
  gateUrl: string;
  paymentPageUrl: string;
  /** No trailing slash. Callbacks go to `<publicBaseUrl>/api/callbacks/ecommpay`. */
  publicBaseUrl: string;
  merchantApiKey: string;
  /** Keys for payout vouchers at rest (`VOUCHER_KEYS`): the first encrypts, all decrypt. */
  voucherKeys: VoucherKey[];
  allowedOrigins: string[];
  database: Database;
  /** Hosts where plain-http redirect URLs are allowed (development). */
  redirectDevHosts: string[];
  advcashPaymentPageCode: 'advcash' | 'advcash_direct';
  jetonCurrencies: Currency[] | undefined;
  testProject: boolean;
  /** Use `X-Forwarded-For` for the customer's IP (only behind a trusted reverse proxy). */
  trustProxy: boolean;
  /** Milliseconds before a Gate request is abandoned. */
  gateTimeoutMs: number;
  /** The status sweeper: how often it runs, and the base time used when a method publishes none. */
  sweepIntervalMs: number;
  defaultBaseMs: number;
  /** Multiplies every method's base/limit time (tests use a small factor). */
  timeScale: number;
  /** Requests per minute per IP and route on the public endpoints. */
  rateLimitPerMinute: number;
  /** Failed merchant authentications per minute per client IP before 429s. */
  authFailuresPerMinute: number;
  /** Unsigned, forged or unreadable callbacks per minute per source IP before 429s. */
  rejectedCallbacksPerMinute: number;
  /** Longest `?wait=` of a payment long-poll, and of a payment request waiting for its next step (s). */
  longPollMaxS: number;
  createWaitMaxS: number;
  /**
   * Hosts a callback's `redirect_data` may send the shopper to: the Gate's and the Payment Page's hosts,
   * `REDIRECT_HOSTS` (providers' hosts; `*.example.com` for every subdomain). Plain-http dev hosts
   * (`REDIRECT_DEV_HOSTS`, the local sandbox's) pass too.
   */
  redirectHosts: string[];

  /** Largest accepted request body. */
  bodyLimitBytes: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const boolText = z.optional(z.enum(['true', 'false', '1', '0', 'yes', 'no', '']));
const asBool = (v: string | undefined): boolean => v === 'true' || v === '1' || v === 'yes';

const envSchema = z.object({
  APP_ENV: z.optional(z.string()),
  NODE_ENV: z.optional(z.string()),
  PORT: z.optional(z.string()),
  HOST: z.optional(z.string()),
  ECOMMPAY_PROJECT_ID: z.optional(z.string()),
  ECOMMPAY_SECRET_KEY: z.optional(z.string()),
  ECOMMPAY_GATE_URL: z.optional(z.string()),
  ECOMMPAY_PAYMENT_PAGE_URL: z.optional(z.string()),
  PUBLIC_BASE_URL: z.optional(z.string()),
  MERCHANT_API_KEY: z.optional(z.string()),
  VOUCHER_KEYS: z.optional(z.string()),
  ALLOWED_ORIGINS: z.optional(z.string()),
  DATABASE_URL: z.optional(z.string()),
  DATA_DIR: z.optional(z.string()),
  REDIRECT_DEV_HOSTS: z.optional(z.string()),
  ADVCASH_PAYMENT_PAGE_CODE: z.optional(z.string()),
  JETON_CURRENCIES: z.optional(z.string()),
  ECOMMPAY_TEST_PROJECT: boolText,
  TRUST_PROXY: boolText,
  GATE_TIMEOUT_MS: z.optional(z.string()),
  STATUS_SWEEP_INTERVAL_MS: z.optional(z.string()),
  STATUS_DEFAULT_BASE_MS: z.optional(z.string()),
  STATUS_TIME_SCALE: z.optional(z.string()),
  RATE_LIMIT_PER_MINUTE: z.optional(z.string()),
  AUTH_FAILURES_PER_MINUTE: z.optional(z.string()),
  REJECTED_CALLBACKS_PER_MINUTE: z.optional(z.string()),
  LONG_POLL_MAX_S: z.optional(z.string()),
  PAYMENT_CREATE_WAIT_MAX_S: z.optional(z.string()),
  REDIRECT_HOSTS: z.optional(z.string()),
  BODY_LIMIT_BYTES: z.optional(z.string()),
  LOG_LEVEL: z.optional(z.string()),
});

const blank = (v: string | undefined): string | undefined =>
  v === undefined || v.trim() === '' ? undefined : v.trim();
const list = (v: string | undefined): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/**
 * Reads the configuration from an environment (usually `process.env`). Throws a `ConfigError` that lists
 * every problem at once, so one start shows everything to fix.
 */
export function loadConfig(env: Record<string, string | undefined>): ServerConfig {
  const problems: string[] = [];
  const parsed = z.safeParse(envSchema, env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.map(String).join('.')}: expected one of true/false/1/0/yes/no`);
    }
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const production = blank(e.APP_ENV) === 'production';

  const int = (name: string, raw: string | undefined, fallback: number, min: number, max: number): number => {
    const v = blank(raw);
    if (v === undefined) return fallback;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      problems.push(`${name} must be a whole number between ${min} and ${max} (got "${v}")`);
      return fallback;
    }
    return Number(v);
  };
  const num = (name: string, raw: string | undefined, fallback: number): number => {
    const v = blank(raw);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) {
      problems.push(`${name} must be a positive number (got "${v}")`);
      return fallback;
    }
    return n;
  };
  const url = (name: string, raw: string | undefined, fallback: string): string => {
    const v = blank(raw) ?? (production ? undefined : fallback);
    if (v === undefined) {
      problems.push(`${name} is required in production`);
      return fallback;
    }
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      problems.push(`${name} must be an absolute URL (got "${v}")`);
      return fallback;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      problems.push(`${name} must be an http(s) URL (got "${v}")`);
    } else if (production && u.protocol !== 'https:') {
      problems.push(`${name} must use https in production (got "${v}")`);
    }
    return v.replace(/\/+$/, '');
  };

  const port = int('PORT', e.PORT, DEFAULT_PORT, 0, 65535);
  const projectRaw = blank(e.ECOMMPAY_PROJECT_ID);
  let projectId = DEMO_PROJECT_ID;
  if (projectRaw === undefined) {
    if (production) problems.push('ECOMMPAY_PROJECT_ID is required in production');
  } else if (!/^[1-9]\d*$/.test(projectRaw) || !Number.isSafeInteger(Number(projectRaw))) {
    problems.push(`ECOMMPAY_PROJECT_ID must be a positive whole number (got "${projectRaw}")`);
  } else projectId = Number(projectRaw);
  if (production && projectId === DEMO_PROJECT_ID) {
    problems.push(`ECOMMPAY_PROJECT_ID must not be the demo project ${DEMO_PROJECT_ID} in production`);
  }

  const secretKey = blank(e.ECOMMPAY_SECRET_KEY) ?? DEMO_SECRET_KEY;
  if (production) {
    if (blank(e.ECOMMPAY_SECRET_KEY) === undefined)
      problems.push('ECOMMPAY_SECRET_KEY is required in production');
    else if (secretKey === DEMO_SECRET_KEY)
      problems.push('ECOMMPAY_SECRET_KEY must not be the demo key in production');
  }
  const merchantApiKey = blank(e.MERCHANT_API_KEY) ?? DEMO_MERCHANT_API_KEY;
  if (production) {
    if (blank(e.MERCHANT_API_KEY) === undefined) problems.push('MERCHANT_API_KEY is required in production');
    else if (merchantApiKey === DEMO_MERCHANT_API_KEY)
      problems.push('MERCHANT_API_KEY must not be the demo key in production');
    else if (merchantApiKey.length < 24)
      problems.push('MERCHANT_API_KEY must be at least 24 characters in production');
  }

  const voucherKeysRaw = blank(e.VOUCHER_KEYS);
  if (production && voucherKeysRaw === undefined) problems.push('VOUCHER_KEYS is required in production');
  const parsedVoucherKeys = parseVoucherKeys(voucherKeysRaw ?? DEMO_VOUCHER_KEYS);
  problems.push(...parsedVoucherKeys.problems);
  const demoVoucherKey = parseVoucherKeys(DEMO_VOUCHER_KEYS).keys[0]?.key;
  if (
    production &&
    voucherKeysRaw !== undefined &&
    parsedVoucherKeys.keys.some((k) => demoVoucherKey && k.key.equals(demoVoucherKey))
  )
    problems.push('VOUCHER_KEYS must not hold the demo key in production');

  const gateUrl = url('ECOMMPAY_GATE_URL', e.ECOMMPAY_GATE_URL, DEFAULT_GATE_URL);
  const paymentPageUrl = url(
    'ECOMMPAY_PAYMENT_PAGE_URL',
    e.ECOMMPAY_PAYMENT_PAGE_URL,
    DEFAULT_PAYMENT_PAGE_URL,
  );
  const publicBaseUrl = url('PUBLIC_BASE_URL', e.PUBLIC_BASE_URL, DEFAULT_PUBLIC_BASE_URL);

  const allowedOrigins: string[] = [];
  for (const origin of list(e.ALLOWED_ORIGINS)) {
    let u: URL | undefined;
    try {
      u = new URL(origin);
    } catch {
      u = undefined;
    }
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.origin !== origin.replace(/\/$/, '')) {
      problems.push(`ALLOWED_ORIGINS: "${origin}" is not an origin like https://shop.example.com`);
    } else if (production && u.protocol !== 'https:') {
      problems.push(`ALLOWED_ORIGINS: "${origin}" must use https in production`);
    } else allowedOrigins.push(u.origin);
  }

  let database: Database;
  const databaseUrl = blank(e.DATABASE_URL);
  if (databaseUrl !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
      problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
    }
    database = { kind: 'postgres', url: databaseUrl };
  } else {
    const dir = blank(e.DATA_DIR) ?? DEFAULT_DATA_DIR;
    database = { kind: 'pglite', dataDir: dir === 'memory://' ? null : dir };
  }

  const devHostsRaw = blank(e.REDIRECT_DEV_HOSTS);
  const redirectDevHosts =
    devHostsRaw !== undefined ? list(devHostsRaw) : production ? [] : ['localhost', '127.0.0.1'];

  const advRaw = blank(e.ADVCASH_PAYMENT_PAGE_CODE) ?? 'advcash';
  if (advRaw !== 'advcash' && advRaw !== 'advcash_direct') {
    problems.push(`ADVCASH_PAYMENT_PAGE_CODE must be "advcash" or "advcash_direct" (got "${advRaw}")`);
  }
  const advcashPaymentPageCode = advRaw === 'advcash_direct' ? 'advcash_direct' : 'advcash';

  let jetonCurrencies: Currency[] | undefined;
  if (blank(e.JETON_CURRENCIES) !== undefined) {
    jetonCurrencies = [];
    for (const c of list(e.JETON_CURRENCIES).map((s) => s.toUpperCase())) {
      if (isCurrency(c)) jetonCurrencies.push(c);
      else problems.push(`JETON_CURRENCIES: "${c}" is not a supported currency`);
    }
    if (jetonCurrencies.length === 0) problems.push('JETON_CURRENCIES must name at least one currency');
  }

  const redirectHosts = [
    ...new Set(
      [hostOf(gateUrl), hostOf(paymentPageUrl), ...list(e.REDIRECT_HOSTS).map((h) => h.toLowerCase())].filter(
        (h): h is string => h !== null,
      ),
    ),
  ];
  for (const h of list(e.REDIRECT_HOSTS)) {
    if (!/^(?:\*\.)?[a-z0-9.-]+$/i.test(h))
      problems.push(`REDIRECT_HOSTS: "${h}" is not a host name (or *.domain)`);
  }

  const level = blank(e.LOG_LEVEL) ?? 'info';
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(level)) {
    problems.push(`LOG_LEVEL must be one of debug, info, warn, error, silent (got "${level}")`);
  }

  const config: ServerConfig = {
    production,
    host: blank(e.HOST) ?? '127.0.0.1',
    port,
    projectId,
    secretKey,
    gateUrl,
    paymentPageUrl,
    publicBaseUrl,
    merchantApiKey,
    voucherKeys: parsedVoucherKeys.keys,
    allowedOrigins,
    database,
    redirectDevHosts,
    advcashPaymentPageCode,
    jetonCurrencies,
    testProject: asBool(e.ECOMMPAY_TEST_PROJECT),
    trustProxy: asBool(e.TRUST_PROXY),
    gateTimeoutMs: int('GATE_TIMEOUT_MS', e.GATE_TIMEOUT_MS, 15_000, 100, 120_000),
    sweepIntervalMs: int('STATUS_SWEEP_INTERVAL_MS', e.STATUS_SWEEP_INTERVAL_MS, 30_000, 10, 3_600_000),
    defaultBaseMs: int('STATUS_DEFAULT_BASE_MS', e.STATUS_DEFAULT_BASE_MS, 5 * 60_000, 1, 86_400_000),
    timeScale: num('STATUS_TIME_SCALE', e.STATUS_TIME_SCALE, 1),
    rateLimitPerMinute: int('RATE_LIMIT_PER_MINUTE', e.RATE_LIMIT_PER_MINUTE, 120, 1, 1_000_000),
    authFailuresPerMinute: int('AUTH_FAILURES_PER_MINUTE', e.AUTH_FAILURES_PER_MINUTE, 10, 1, 1_000_000),
    rejectedCallbacksPerMinute: int(
      'REJECTED_CALLBACKS_PER_MINUTE',
      e.REJECTED_CALLBACKS_PER_MINUTE,
      30,
      1,
      1_000_000,
    ),
    longPollMaxS: int('LONG_POLL_MAX_S', e.LONG_POLL_MAX_S, 30, 1, 300),
    createWaitMaxS: int('PAYMENT_CREATE_WAIT_MAX_S', e.PAYMENT_CREATE_WAIT_MAX_S, 10, 0, 120),
    redirectHosts,
    bodyLimitBytes: int('BODY_LIMIT_BYTES', e.BODY_LIMIT_BYTES, 64 * 1024, 1024, 10 * 1024 * 1024),
    logLevel: (['debug', 'info', 'warn', 'error', 'silent'].includes(level)
      ? level
      : 'info') as ServerConfig['logLevel'],
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
