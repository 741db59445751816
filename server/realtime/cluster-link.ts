import type { PresenceMember } from './protocol';

// What the realtime server needs from the other nodes when several run behind one load balancer
// (DESIGN §11). One process has no link at all and keeps everything in memory; server/cluster/
// implements it on Redis.

/** A frame ready to write, for the subscribers of one channel. */
export interface ChannelFrame {
  channel: string;
  frame: string;
}

/** The `presence` object of `pusher_internal:subscription_succeeded`. */
export interface PresenceSnapshot {
  ids: string[];
  hash: Record<string, unknown>;
  count: number;
}

/** What a node's realtime server does for the link: frames from other nodes, and resyncs. */
export interface LocalRealtime {
  /** Writes frames published on another node to this node's subscribers. */
  deliverLocal(frames: readonly ChannelFrame[], exceptSocketId: string | null): void;
  /** Pub/sub may have dropped events: every socket reconnects (4200) and its client re-reads over REST. */
  resyncAll(reason: string): void;
  /** Channel → subscribed sockets on this node, and how many sockets it holds. */
  localCounts(): { channels: Map<string, number>; connections: number };
}

export interface PresenceJoin {
  /** The user was not yet a member on any node: `member_added` goes out. */
  added: boolean;
  presence: PresenceSnapshot;
}

export interface RealtimeClusterLink {
  /** Digits every socket id of this node starts with, so ids never collide across nodes. */
  readonly socketIdPrefix: string;
  attach(local: LocalRealtime): void;
  /** Sends frames to the subscribers on every other node (this node has delivered them already). */
  publish(frames: readonly ChannelFrame[], exceptSocketId: string | null): void;
  joinPresence(channel: string, socketId: string, member: PresenceMember): Promise<PresenceJoin>;
  /** The member when this was the user's last socket in the channel on any node (`member_removed` goes out). */
  leavePresence(channel: string, socketId: string): Promise<PresenceMember | null>;
  /** This node's subscriptions changed: the counts other nodes read follow soon. */
  subscriptionsChanged(): void;
}
