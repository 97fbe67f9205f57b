/** The guards in front of routes: the per-client rate limit and the merchant's API key. */
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';
import { FixedWindowLimiter } from '../limiter.ts';
import { clientIp, digest, type Env, type RouteParts } from './request.ts';

export interface Guards {
  /** Counts the request against the client's limit for `route`; over it → 429 with Retry-After. */
  rateLimited(route: string): MiddlewareHandler<Env>;
  /** Requires `Authorization: Bearer <MERCHANT_API_KEY>`. */
  merchantOnly: MiddlewareHandler<Env>;
}

export function createGuards({ config, now }: RouteParts): Guards {
  const apiKeyDigest = digest(config.merchantApiKey);
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
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    // Compare digests: equal length, constant time, and the key's length is not revealed.
    if (!m || !timingSafeEqual(digest(m[1] as string), apiKeyDigest)) {
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
  return { rateLimited, merchantOnly };
}
