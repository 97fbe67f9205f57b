/** The guards in front of routes: the per-client rate limit and the merchant's API key. */
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';
import { FixedWindowLimiter } from '../limiter.ts';
import { clientIp, digest, type Env, type RouteParts } from './request.ts';

export interface Guards {
  /**
   * Failures counted per client (wrong API keys, forged callbacks): `check` answers 429 once a client has
   * had `limit` failures in the minute — before any work, even for a right key, so guessing cannot go on
   * — and `fail` counts one.
   */
  failures: { merchantAuth: FailureLimit; callbacks: FailureLimit };
  /** Counts the request against the client's limit for `route`; over it → 429 with Retry-After. */
  rateLimited(route: string): MiddlewareHandler<Env>;
  /** Requires `Authorization: Bearer <MERCHANT_API_KEY>`. */
  merchantOnly: MiddlewareHandler<Env>;
}

export interface FailureLimit {
  check(c: Context<Env>): void;
  fail(c: Context<Env>): void;
}

function tooMany(resetMs: number, what: string): ApiError {
  const retry = String(Math.max(1, Math.ceil(resetMs / 1000)));
  return new ApiError(429, 'rate_limited', `${what}; retry in ${retry} s`, undefined, {
    'Retry-After': retry,
  });
}

function failureLimit(
  limit: number,
  now: () => number,
  ip: (c: Context<Env>) => string,
  what: string,
): FailureLimit {
  const limiter = new FixedWindowLimiter({ limit, windowMs: 60_000, now });
  return {
    check(c) {
      const blocked = limiter.blocked(ip(c));
      if (blocked) throw tooMany(blocked.resetMs, what);
    },
    fail(c) {
      limiter.hit(ip(c));
    },
  };
}

export function createGuards({ config, now, log }: RouteParts): Guards {
  const apiKeyDigest = digest(config.merchantApiKey);
  const ipOf = (c: Context<Env>) => clientIp(c, config.trustProxy);
  const failures = {
    merchantAuth: failureLimit(config.authFailuresPerMinute, now, ipOf, 'Too many failed authentications'),
    callbacks: failureLimit(config.rejectedCallbacksPerMinute, now, ipOf, 'Too many rejected callbacks'),
  };
  const limiter = new FixedWindowLimiter({ limit: config.rateLimitPerMinute, windowMs: 60_000, now });
  const rateLimited =
    (route: string): MiddlewareHandler<Env> =>
    async (c, next) => {
      const r = limiter.hit(`${clientIp(c, config.trustProxy)} ${route}`);
      c.header('RateLimit-Limit', String(r.limit));
      c.header('RateLimit-Remaining', String(r.remaining));
      if (!r.allowed) {
        const retry = String(Math.max(1, Math.ceil(r.resetMs / 1000)));
        throw new ApiError(429, 'rate_limited', `Too many requests; retry in ${retry} s`, undefined, {
          'Retry-After': retry,
        });
      }
      await next();
    };

  const merchantOnly: MiddlewareHandler<Env> = async (c, next) => {
    failures.merchantAuth.check(c);
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    // Compare digests: equal length, constant time, and the key's length is not revealed.
    if (!m || !timingSafeEqual(digest(m[1] as string), apiKeyDigest)) {
      failures.merchantAuth.fail(c);
      log.warn('merchant.auth_failed', { request_id: c.var.requestId, ip: ipOf(c), path: c.req.path });
      throw new ApiError(
        401,
        'unauthorized',
        m ? 'The API key is wrong' : 'Send Authorization: Bearer <MERCHANT_API_KEY>',
        undefined,
        {
          'WWW-Authenticate': 'Bearer',
        },
      );
    }
    await next();
  };
  return { rateLimited, merchantOnly, failures };
}
