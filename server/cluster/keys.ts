// Every key and pub/sub channel the nodes share in Redis, in one place.

export const PREFIX = 'switchboard:';
/** Pub/sub: frames for other nodes' subscribers, and resync requests. */
export const BROADCAST_CHANNEL = `${PREFIX}broadcast`;
/** Set of the node tags that have announced themselves. */
export const NODES_KEY = `${PREFIX}nodes`;

/** Exists while the node is alive: refreshed by its heartbeat, gone a TTL after it stops. */
export function nodeKey(tag: string): string {
  return `${PREFIX}node:${tag}`;
}

/** Hash channel → subscribed sockets on that node (a snapshot with the heartbeat's TTL). */
export function nodeChannelsKey(tag: string): string {
  return `${PREFIX}node:${tag}:channels`;
}

/** How many sockets the node holds (a snapshot with the heartbeat's TTL). */
export function nodeConnectionsKey(tag: string): string {
  return `${PREFIX}node:${tag}:connections`;
}

/** Set of "socket\nchannel" presence memberships the node holds, so a dead node's can be removed. */
export function nodePresenceKey(tag: string): string {
  return `${PREFIX}node:${tag}:presence`;
}

/** The prefix of one presence channel's hashes (`:s` socket → user, `:n` user → sockets, `:m` user → member). */
export function presenceKey(channel: string): string {
  return `${PREFIX}presence:${channel}`;
}

export function leaseKey(name: string): string {
  return `${PREFIX}lease:${name}`;
}
