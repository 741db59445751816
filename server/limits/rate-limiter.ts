import type { Clock } from '../clock';

interface Window {
  count: number;
  resetAt: number;
}

export interface RateLimitResult {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
}

/** Fixed one-window counters per key, as Laravel's RateLimiter keeps them. In memory: one server process. */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
  ) {}

  /** Counts one attempt; the result says whether it may proceed and what the headers should say. */
  hit(key: string): RateLimitResult {
    const now = this.clock.now();
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

/** The limits every dialect shares: one send quota per user, one login budget per email and address. */
export interface AppLimits {
  send: RateLimiter;
  login: RateLimiter;
}

export function createLimits(config: { sendPerMinute: number; loginPerMinute: number }, clock: Clock): AppLimits {
  return {
    send: new RateLimiter(config.sendPerMinute, 60_000, clock),
    login: new RateLimiter(config.loginPerMinute, 60_000, clock),
  };
}
