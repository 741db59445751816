import { Redis } from 'ioredis';

/** Reconnection attempts come quickly and stay quick: a node should be back within a second of Redis. */
const RETRY_MS = (attempt: number) => Math.min(attempt * 100, 1000);

/**
 * A connected ioredis client. Commands fail at once while the connection is down (no offline queue)
 * instead of piling up or hanging a request: every use has an answer for Redis being away.
 */
export async function connectRedis(url: string, name: string): Promise<Redis> {
  const redis = new Redis(url, {
    connectionName: name,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: RETRY_MS,
  });
  // Without a listener ioredis reports each failed reconnection as an unhandled 'error'.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`Redis at ${redactedUrl(url)} cannot be reached: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return redis;
}

/** The URL without its password, for messages. */
export function redactedUrl(url: string): string {
  if (!URL.canParse(url)) return 'the configured URL';
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
