import type { Next } from 'koa';
import type { ApiContext } from './context';
import { TooManyRequestsError } from './errors';

interface Window {
  count: number;
  resetAt: number;
}

/** Fixed one-window counters per key, as Laravel's RateLimiter keeps them. In memory: one server process. */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one attempt; the result says whether it may proceed and what the headers should say. */
  hit(key: string): { allowed: boolean; remaining: number; retryAfterSeconds: number } {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      if (this.windows.size > 10_000) this.prune(now);
      window = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    return {
      allowed: window.count <= this.limit,
      remaining: Math.max(0, this.limit - window.count),
      retryAfterSeconds: Math.max(1, Math.ceil((window.resetAt - now) / 1000)),
    };
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}

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
