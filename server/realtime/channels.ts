import type { Connection } from './connection';
import { channelKind, type ChannelKind, type PresenceMember } from './protocol';

interface PresenceEntry {
  member: PresenceMember;
  /** A user with several tabs or devices is one member until the last of their sockets leaves. */
  sockets: Set<string>;
}

/** One occupied channel. It exists only while someone is subscribed (an empty channel is deleted). */
export class Channel {
  readonly kind: ChannelKind;
  readonly connections = new Map<string, Connection>();
  /** Presence channels: user id (as a string, the way Pusher keys its hash) → member. */
  readonly members = new Map<string, PresenceEntry>();
  /** Presence channels: socket id → user id. */
  private readonly userOfSocket = new Map<string, string>();

  constructor(readonly name: string) {
    this.kind = channelKind(name);
  }

  /** Returns the member when this socket made a new user appear (so `member_added` goes out). */
  add(connection: Connection, member: PresenceMember | undefined): PresenceMember | null {
    this.connections.set(connection.socketId, connection);
    if (this.kind !== 'presence' || member === undefined) return null;
    const userId = String(member.user_id);
    this.userOfSocket.set(connection.socketId, userId);
    const entry = this.members.get(userId);
    if (entry) {
      entry.sockets.add(connection.socketId);
      return null;
    }
    this.members.set(userId, { member, sockets: new Set([connection.socketId]) });
    return member;
  }

  /** Returns the member when the user's last socket left (so `member_removed` goes out). */
  remove(socketId: string): PresenceMember | null {
    this.connections.delete(socketId);
    const userId = this.userOfSocket.get(socketId);
    if (userId === undefined) return null;
    this.userOfSocket.delete(socketId);
    const entry = this.members.get(userId);
    if (!entry) return null;
    entry.sockets.delete(socketId);
    if (entry.sockets.size > 0) return null;
    this.members.delete(userId);
    return entry.member;
  }

  /** The presence member a socket joined as. */
  memberOf(socketId: string): PresenceMember | undefined {
    const userId = this.userOfSocket.get(socketId);
    return userId === undefined ? undefined : this.members.get(userId)?.member;
  }

  get isEmpty(): boolean {
    return this.connections.size === 0;
  }

  /** The `presence` object of `pusher_internal:subscription_succeeded`. */
  presence(): { ids: string[]; hash: Record<string, unknown>; count: number } {
    const ids = [...this.members.keys()];
    const hash: Record<string, unknown> = {};
    for (const [id, entry] of this.members) hash[id] = entry.member.user_info ?? null;
    return { ids, hash, count: ids.length };
  }

  /** In a stable order (numeric ids by number), whatever order the members' channel auth finished in. */
  userIds(): string[] {
    return [...this.members.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  }
}

/** Every occupied channel of the app. */
export class ChannelRegistry {
  private readonly channels = new Map<string, Channel>();

  get(name: string): Channel | undefined {
    return this.channels.get(name);
  }

  /** Subscribes a socket; returns the channel and the presence member that newly appeared, if any. */
  join(connection: Connection, name: string, member?: PresenceMember): { channel: Channel; added: PresenceMember | null } {
    let channel = this.channels.get(name);
    if (!channel) {
      channel = new Channel(name);
      this.channels.set(name, channel);
    }
    connection.channels.add(name);
    return { channel, added: channel.add(connection, member) };
  }

  /** Unsubscribes a socket; returns the channel (if still occupied) and the presence member that left, if any. */
  leave(connection: Connection, name: string): { channel: Channel | undefined; removed: PresenceMember | null } {
    connection.channels.delete(name);
    const channel = this.channels.get(name);
    if (!channel) return { channel: undefined, removed: null };
    const removed = channel.remove(connection.socketId);
    if (channel.isEmpty) {
      this.channels.delete(name);
      return { channel: undefined, removed };
    }
    return { channel, removed };
  }

  all(): IterableIterator<Channel> {
    return this.channels.values();
  }

  get size(): number {
    return this.channels.size;
  }
}
