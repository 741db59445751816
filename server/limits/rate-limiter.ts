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
 * One limit under many keys, wherever its counters live: this process's memory (the default), or
 * Redis, where every node of a cluster counts against the same budget (server/limits/redis-limiter.ts).
 */
export interface Limiter {
  readonly limit: number;
  /** Counts one attempt; the result says whether it may proceed and what the headers should say. */
  consume(key: string): Promise<RateLimitResult>;
}

/** Builds a shared limiter: its name keeps its counters apart from the other limits'. */
export type LimiterFactory = (name: string, limit: number, windowMs: number) => Limiter;

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
export class RateLimiter implements Limiter {
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

  consume(key: string): Promise<RateLimitResult> {
    return Promise.resolve(this.hit(key));
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
  send: Limiter;
  login: Limiter;
  loginPerIp: Limiter;
  /** The website widget's: new spaces per address, messages and uploads per space. */
  visitorSpaces: Limiter;
  visitorMessages: Limiter;
  visitorUploads: Limiter;
}

interface LimitsConfig {
  sendPerMinute: number;
  loginPerMinute: number;
  loginPerIpPerMinute: number;
  visitorLimits: { spacesPerIp: number; spacesWindowHours: number; messagesPerMinute: number; uploadsPerHour: number };
}

const HOUR_MS = 60 * 60_000;

/** In memory unless `shared` is given (several nodes: the limits live in Redis). */
export function createLimits(config: LimitsConfig, clock: Clock, shared?: LimiterFactory): AppLimits {
  const visitor = config.visitorLimits;
  const make: LimiterFactory = shared ?? ((_name, limit, windowMs) => new RateLimiter(limit, windowMs, clock));
  return {
    send: make('send', config.sendPerMinute, 60_000),
    login: make('login', config.loginPerMinute, 60_000),
    loginPerIp: make('login-ip', config.loginPerIpPerMinute, 60_000),
    visitorSpaces: make('visitor-spaces', visitor.spacesPerIp, visitor.spacesWindowHours * HOUR_MS),
    visitorMessages: make('visitor-messages', visitor.messagesPerMinute, 60_000),
    visitorUploads: make('visitor-uploads', visitor.uploadsPerHour, HOUR_MS),
  };
}
