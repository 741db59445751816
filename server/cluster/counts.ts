import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { sortUserIds, type ChannelCount, type RealtimeCounts } from '../realtime/counts';
import { channelKind } from '../realtime/protocol';
import { nodeChannelsKey, nodeConnectionsKey, presenceKey } from './keys';
import type { RedisRealtimeLink } from './realtime-link';

/**
 * The Pusher HTTP API's counts for the whole cluster: this node's own sockets as they are now, plus
 * the snapshots the other live nodes write (within a beat of a change), plus presence users from
 * the shared members. With Redis away the answer is this node's alone, rather than an error.
 */
export function clusterRealtimeCounts(redis: Redis, link: RedisRealtimeLink, local: RealtimeCounts, logger: Logger): RealtimeCounts {
  const orLocal = async <T>(what: string, shared: () => Promise<T>, alone: () => Promise<T>): Promise<T> => {
    try {
      return await shared();
    } catch (error) {
      logger.warn(`cluster: ${what} from this node only (Redis unreachable)`, error);
      return alone();
    }
  };
  const presenceUsers = async (name: string) => (channelKind(name) === 'presence' ? redis.hlen(`${presenceKey(name)}:n`) : 0);

  return {
    channel: (name) =>
      orLocal(
        'channel counts',
        async () => {
          const [mine, others] = await Promise.all([local.channel(name), link.otherNodes()]);
          const theirs = others.length === 0 ? [] : await Promise.all(others.map((tag) => redis.hget(nodeChannelsKey(tag), name)));
          const subscriptions = theirs.reduce((sum, count) => sum + Number(count ?? 0), mine.subscriptions);
          return { subscriptions, users: await presenceUsers(name) };
        },
        () => local.channel(name),
      ),
    channels: (prefix) =>
      orLocal(
        'channel list',
        async () => {
          const totals = new Map<string, number>();
          for (const [name, count] of await local.channels(prefix)) totals.set(name, count.subscriptions);
          const others = await link.otherNodes();
          for (const hash of await Promise.all(others.map((tag) => redis.hgetall(nodeChannelsKey(tag))))) {
            for (const [name, count] of Object.entries(hash)) {
              if (name.startsWith(prefix)) totals.set(name, (totals.get(name) ?? 0) + Number(count));
            }
          }
          const found = new Map<string, ChannelCount>();
          for (const [name, subscriptions] of totals) if (subscriptions > 0) found.set(name, { subscriptions, users: await presenceUsers(name) });
          return found;
        },
        () => local.channels(prefix),
      ),
    users: (name) =>
      orLocal(
        'presence users',
        async () => sortUserIds(await redis.hkeys(`${presenceKey(name)}:n`)),
        () => local.users(name),
      ),
    connections: () =>
      orLocal(
        'connection count',
        async () => {
          const others = await link.otherNodes();
          const theirs = others.length === 0 ? [] : await redis.mget(...others.map(nodeConnectionsKey));
          return theirs.reduce((sum, count) => sum + Number(count ?? 0), await local.connections());
        },
        () => local.connections(),
      ),
  };
}
