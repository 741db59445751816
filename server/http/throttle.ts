import type { Next } from 'koa';
import type { AppLimits, Limiter } from '../limits/rate-limiter';
import { currentAuth, type ApiContext } from './context';
import { TooManyRequestsError } from './errors';

/**
 * Counts one attempt against `limiter` under `key`: a 429 with `Retry-After` when it is over the
 * limit, else `X-RateLimit-Limit` and `X-RateLimit-Remaining` on the response (the last limiter
 * consumed sets them, as with Laravel's named limiters).
 */
export async function consumeLimit(ctx: ApiContext, limiter: Limiter, key: string): Promise<void> {
  const result = await limiter.consume(key);
  if (!result.allowed) {
    ctx.state.limitedBy = limiter;
    throw new TooManyRequestsError(result.retryAfterSeconds, limiter.limit);
  }
  ctx.set('X-RateLimit-Limit', String(limiter.limit));
  ctx.set('X-RateLimit-Remaining', String(result.remaining));
}

/** Throttles a route; allowed responses carry `X-RateLimit-Limit` and `X-RateLimit-Remaining`. */
export function throttle(limiter: Limiter, keyOf: (ctx: ApiContext) => string) {
  return async (ctx: ApiContext, next: Next): Promise<void> => {
    await consumeLimit(ctx, limiter, keyOf(ctx));
    await next();
  };
}

/** The send quota (30 a minute by default): one per user, whichever dialect the messages go through (DESIGN §8). */
export function sendQuota(limits: AppLimits) {
  return throttle(limits.send, (ctx) => String(currentAuth(ctx).user.id));
}
