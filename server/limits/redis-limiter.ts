import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Limiter, LimiterFactory, RateLimitResult } from './rate-limiter';

/**
 * Limits every node counts against together: one fixed window per key in Redis (rate-limiter-flexible's
 * RateLimiterRedis, whose window starts with the key's first attempt, as the memory limiter's does).
 * While Redis cannot be reached each node counts in its own memory instead (the insurance limiter),
 * so a Redis outage loosens the limits for a while and never refuses or fails a request.
 */
export class RedisLimiter implements Limiter {
  private readonly limiter: RateLimiterRedis;

  constructor(
    redis: Redis,
    name: string,
    readonly limit: number,
    windowMs: number,
  ) {
    // rate-limiter-flexible counts whole seconds.
    const duration = Math.max(1, Math.ceil(windowMs / 1000));
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `switchboard:limit:${name}`,
      points: limit,
      duration,
      // Not waiting for a connection that is down: the memory limiter answers at once.
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points: limit, duration }),
    });
  }

  async consume(key: string): Promise<RateLimitResult> {
    try {
      return this.result(true, await this.limiter.consume(key));
    } catch (rejection) {
      // A refusal comes as a rejected RateLimiterRes; anything else is a fault of both stores.
      if (rejection instanceof RateLimiterRes) return this.result(false, rejection);
      throw rejection;
    }
  }

  private result(allowed: boolean, res: RateLimiterRes): RateLimitResult {
    return { allowed, remaining: Math.max(0, res.remainingPoints), retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
  }
}

export function redisLimiters(redis: Redis): LimiterFactory {
  return (name, limit, windowMs) => new RedisLimiter(redis, name, limit, windowMs);
}
