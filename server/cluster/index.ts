import type { Redis } from 'ioredis';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { LimiterFactory } from '../limits/rate-limiter';
import { redisLimiters } from '../limits/redis-limiter';
import type { RealtimeCounts } from '../realtime/counts';
import { clusterRealtimeCounts } from './counts';
import { withLease } from './lease';
import { RedisRealtimeLink } from './realtime-link';
import { connectRedis } from './redis-connection';

/** What a node shares with the others through Redis (DESIGN §11); built once in `createServer`. */
export interface RedisCluster {
  /** The realtime server's link: frames, presence, subscription snapshots, resyncs. */
  link: RedisRealtimeLink;
  limiters: LimiterFactory;
  counts(local: RealtimeCounts): RealtimeCounts;
  /** Runs `job` here unless another node has run it within `periodMs`; true when this node ran it. */
  once(name: string, periodMs: number, job: () => Promise<void>): Promise<boolean>;
  close(): Promise<void>;
}

/** Connects to Redis (two connections: commands, and the pub/sub subscription); fails the start when it cannot be reached. */
export async function openRedisCluster(url: string, logger: Logger, clock: Clock): Promise<RedisCluster> {
  const commands = await connectRedis(url, 'switchboard');
  let subscriber: Redis | undefined;
  try {
    subscriber = await connectRedis(url, 'switchboard-subscriber');
    const link = await RedisRealtimeLink.start(commands, subscriber, logger);
    const pubsub = subscriber;
    return {
      link,
      limiters: redisLimiters(commands, clock),
      counts: (local) => clusterRealtimeCounts(commands, link, local, logger),
      once: (name, periodMs, job) => withLease(commands, name, link.nodeTag, periodMs, job),
      async close() {
        await link.close();
        pubsub.disconnect();
        await commands.quit().catch(() => commands.disconnect());
      },
    };
  } catch (error) {
    subscriber?.disconnect();
    commands.disconnect();
    throw error;
  }
}
