import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Clock } from '../clock';
import { RateLimiter, type Limiter, type LimiterFactory, type RateLimitResult } from './rate-limiter';

/**
 * Limits every node counts against together: one fixed window per key in Redis (rate-limiter-flexible's
 * RateLimiterRedis, whose window starts with the key's first attempt, as the memory limiter's does).
 * While Redis cannot be reached each node counts in its own memory instead — the bounded memory
 * limiter, not rate-limiter-flexible's insurance store, which has no cap on keys — so an outage
 * loosens the limits for a while and never refuses or fails a request.
 */
export class RedisLimiter implements Limiter {
  private readonly shared: RateLimiterRedis;
  private readonly alone: RateLimiter;

  constructor(
    redis: Redis,
    name: string,
    readonly limit: number,
    windowMs: number,
    clock: Clock,
  ) {
    this.shared = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `switchboard:limit:${name}`,
      points: limit,
      // rate-limiter-flexible counts whole seconds.
      duration: Math.max(1, Math.ceil(windowMs / 1000)),
      // Not waiting for a connection that is down: this node's memory answers at once.
      rejectIfRedisNotReady: true,
    });
    this.alone = new RateLimiter(limit, windowMs, clock);
  }

  async consume(key: string): Promise<RateLimitResult> {
    try {
      return this.result(true, await this.shared.consume(key));
    } catch (rejection) {
      // A refusal comes as a rejected RateLimiterRes; an Error is Redis failing.
      if (rejection instanceof RateLimiterRes) return this.result(false, rejection);
      return this.alone.hit(key);
    }
  }

  private result(allowed: boolean, res: RateLimiterRes): RateLimitResult {
    return { allowed, remaining: Math.max(0, res.remainingPoints), retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
  }
}

export function redisLimiters(redis: Redis, clock: Clock): LimiterFactory {
  return (name, limit, windowMs) => new RedisLimiter(redis, name, limit, windowMs, clock);
}
