import { LRUCache } from 'lru-cache';
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

/**
 * Keys a limiter remembers at most. Beyond it the least recently used key is forgotten (its window
 * starts again), so a flood of distinct keys costs a bounded amount of memory — a few MB — instead
 * of growing until the process dies.
 */
export const DEFAULT_MAX_KEYS = 50_000;

/**
 * Fixed one-window counters per key, as Laravel's RateLimiter keeps them. In memory: one server
 * process. Windows live in an LRU cache with a cap and a TTL of one window, so state stays bounded
 * however many keys are tried; times come from the server's clock, so tests can move them forward.
 */
export class RateLimiter {
  private readonly windows: LRUCache<string, Window>;

  constructor(
    readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
    readonly maxKeys: number = DEFAULT_MAX_KEYS,
  ) {
    // ttlResolution 0: read the clock on every check instead of caching it for a millisecond (a test clock jumps).
    this.windows = new LRUCache<string, Window>({ max: maxKeys, ttl: windowMs, ttlResolution: 0, perf: clock });
  }

  /** Counts one attempt; the result says whether it may proceed and what the headers should say. */
  hit(key: string): RateLimitResult {
    const now = this.clock.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
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

  /** How many keys the limiter holds now (never more than `maxKeys`). */
  get size(): number {
    return this.windows.size;
  }
}

/**
 * The limits every dialect shares: one send quota per user; logins per address, and per email and
 * address (the stricter one, whose numbers the `X-RateLimit-*` headers show).
 */
export interface AppLimits {
  send: RateLimiter;
  login: RateLimiter;
  loginPerIp: RateLimiter;
  /** The website widget's: new spaces per address, messages and uploads per space. */
  visitorSpaces: RateLimiter;
  visitorMessages: RateLimiter;
  visitorUploads: RateLimiter;
}

interface LimitsConfig {
  sendPerMinute: number;
  loginPerMinute: number;
  loginPerIpPerMinute: number;
  visitorLimits: { spacesPerIp: number; spacesWindowHours: number; messagesPerMinute: number; uploadsPerHour: number };
}

const HOUR_MS = 60 * 60_000;

export function createLimits(config: LimitsConfig, clock: Clock): AppLimits {
  const visitor = config.visitorLimits;
  return {
    send: new RateLimiter(config.sendPerMinute, 60_000, clock),
    login: new RateLimiter(config.loginPerMinute, 60_000, clock),
    loginPerIp: new RateLimiter(config.loginPerIpPerMinute, 60_000, clock),
    visitorSpaces: new RateLimiter(visitor.spacesPerIp, visitor.spacesWindowHours * HOUR_MS, clock),
    visitorMessages: new RateLimiter(visitor.messagesPerMinute, 60_000, clock),
    visitorUploads: new RateLimiter(visitor.uploadsPerHour, HOUR_MS, clock),
  };
}
