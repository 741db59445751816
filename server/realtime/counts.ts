import type { PusherServer } from './pusher-server';

/** What the Pusher HTTP API reports of one channel. */
export interface ChannelCount {
  subscriptions: number;
  /** Presence channels: distinct users. */
  users: number;
}

/**
 * The counts the Pusher HTTP API answers: this process's (one node), or the whole cluster's
 * (server/cluster/counts.ts), behind one interface so the routes do not care which.
 */
export interface RealtimeCounts {
  channel(name: string): Promise<ChannelCount>;
  /** Every occupied channel whose name starts with `prefix`. */
  channels(prefix: string): Promise<Map<string, ChannelCount>>;
  /** Presence channels: user ids in a stable order (numeric ids by number). */
  users(name: string): Promise<string[]>;
  connections(): Promise<number>;
}

export function sortUserIds(ids: Iterable<string>): string[] {
  return [...ids].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** One node's counts, from its own sockets. */
export function localRealtimeCounts(realtime: PusherServer): RealtimeCounts {
  const countOf = (name: string): ChannelCount => {
    const channel = realtime.channels.get(name);
    return { subscriptions: channel?.connections.size ?? 0, users: channel?.members.size ?? 0 };
  };
  return {
    channel: (name) => Promise.resolve(countOf(name)),
    channels: (prefix) => {
      const found = new Map<string, ChannelCount>();
      for (const channel of realtime.channels.all()) if (channel.name.startsWith(prefix)) found.set(channel.name, countOf(channel.name));
      return Promise.resolve(found);
    },
    users: (name) => Promise.resolve(realtime.channels.get(name)?.userIds() ?? []),
    connections: () => Promise.resolve(realtime.connectionCount),
  };
}
