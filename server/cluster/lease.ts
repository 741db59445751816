import type { Redis } from 'ioredis';
import { leaseKey } from './keys';

/**
 * Runs `job` on one node per period: the node that takes the lease (SET NX with a TTL of one period)
 * runs it; every other node whose timer fires within that period finds it taken and skips. The lease
 * is not given back early, so N nodes with unaligned timers still run the job once per period, and a
 * node that dies holding it blocks the job for one period at most. False when another node held it;
 * a Redis fault is thrown, so the caller logs it and tries again next period.
 */
export async function withLease(redis: Redis, name: string, holder: string, periodMs: number, job: () => Promise<void>): Promise<boolean> {
  if ((await redis.set(leaseKey(name), holder, 'PX', periodMs, 'NX')) !== 'OK') return false;
  await job();
  return true;
}
