import type { Next } from 'koa';
import type { RateLimiter } from '../limits/rate-limiter';
import type { ApiContext } from './context';
import { TooManyRequestsError } from './errors';

/** Throttles a route; allowed responses carry `X-RateLimit-Limit` and `X-RateLimit-Remaining`. */
export function throttle(limiter: RateLimiter, keyOf: (ctx: ApiContext) => string) {
  return async (ctx: ApiContext, next: Next): Promise<void> => {
    const result = limiter.hit(keyOf(ctx));
    if (!result.allowed) throw new TooManyRequestsError(result.retryAfterSeconds, limiter.limit);
    ctx.set('X-RateLimit-Limit', String(limiter.limit));
    ctx.set('X-RateLimit-Remaining', String(result.remaining));
    await next();
  };
}
