import { randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { AccessChange } from '../domain/access-events';
import type { Logger } from '../logger';
import type { ChannelFrame, LocalRealtime, PresenceJoin, PresenceSnapshot, RealtimeClusterLink } from '../realtime/cluster-link';
import { encodeFrame, type PresenceMember } from '../realtime/protocol';
import { BROADCAST_CHANNEL, NODES_KEY, nodeChannelsKey, nodeConnectionsKey, nodeKey, nodePresenceKey, PREFIX, presenceKey } from './keys';
import { JOIN_SCRIPT, LEAVE_SCRIPT, REAP_SCRIPT } from './presence-scripts';

/** A node is alive while its key exists: refreshed every beat, gone a TTL after its last (DESIGN §11: removed within 15 s). */
export const HEARTBEAT_MS = 2000;
export const NODE_TTL_MS = 8000;
/** Subscription counts other nodes read are written this soon after a change. */
const SNAPSHOT_DELAY_MS = 50;
/** A resync asked for by another node is skipped when this node resynced this recently (one Redis restart, one reconnect). */
const RESYNC_QUIET_MS = 5000;

const accessChange = z.discriminatedUnion('type', [
  z.object({ type: z.literal('access.revoked'), tokenId: z.number() }),
  z.object({ type: z.literal('user.deactivated'), userId: z.number() }),
  z.object({ type: z.literal('user.scope_changed'), userId: z.number() }),
  z.object({ type: z.literal('chat.audience_changed'), chatId: z.number() }),
]) satisfies z.ZodType<AccessChange>;

const wireMessage = z.union([
  z.object({ n: z.string(), x: z.string().nullable(), f: z.array(z.tuple([z.string(), z.string()])) }),
  z.object({ n: z.string(), resync: z.literal(true) }),
  z.object({ n: z.string(), access: accessChange }),
]);
type WireMessage = z.infer<typeof wireMessage>;

const joinReply = z.tuple([z.number(), z.array(z.string())]);
const storedMember = z.object({ user_id: z.union([z.string(), z.number()]), user_info: z.unknown().optional() });

function memberOf(json: string): PresenceMember | null {
  try {
    const parsed = storedMember.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function presenceOf(flat: string[]): PresenceSnapshot {
  const hash: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const member = memberOf(flat[i + 1] ?? '');
    hash[flat[i] ?? ''] = member?.user_info ?? null;
  }
  const ids = Object.keys(hash);
  return { ids, hash, count: ids.length };
}

function removedFrame(channel: string, member: PresenceMember): ChannelFrame {
  return { channel, frame: encodeFrame('pusher_internal:member_removed', { user_id: member.user_id }, channel) };
}

/** A six-digit node tag no live node holds (the key exists while its holder's heartbeat runs). */
async function claimTag(commands: Redis): Promise<string> {
  for (;;) {
    const tag = String(randomInt(100_000, 1_000_000));
    if ((await commands.set(nodeKey(tag), String(process.pid), 'PX', NODE_TTL_MS, 'NX')) === 'OK') return tag;
  }
}

/**
 * The realtime server's link to the other nodes, on Redis: frames published on one node reach the
 * sockets of all (pub/sub, one channel), presence members are kept in Redis hashes, each node writes
 * a snapshot of its subscription counts, and a heartbeat key per node lets the others remove a dead
 * node's presence members. Pub/sub loses what is published while a node is cut off, so a node whose
 * subscription to Redis comes back tells its sockets to resync (4200) — and asks every node to when
 * its own publishes failed meanwhile.
 */
export class RedisRealtimeLink implements RealtimeClusterLink {
  private local: LocalRealtime | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private snapshotTimer: NodeJS.Timeout | undefined;
  private cutOff = false;
  private publishFailed = false;
  private lastResync = 0;
  private closed = false;
  private onAccess: ((change: AccessChange) => Promise<void>) | undefined;

  private constructor(
    private readonly commands: Redis,
    private readonly subscriber: Redis,
    readonly socketIdPrefix: string,
    private readonly logger: Logger,
  ) {}

  /** Claims a node tag no live node holds, subscribes to the broadcasts and starts the heartbeat. */
  static async start(commands: Redis, subscriber: Redis, logger: Logger): Promise<RedisRealtimeLink> {
    const tag = await claimTag(commands);
    await commands.sadd(NODES_KEY, tag);
    const link = new RedisRealtimeLink(commands, subscriber, tag, logger);
    subscriber.on('message', (channel: string, text: string) => {
      if (channel === BROADCAST_CHANNEL) link.onMessage(text);
    });
    subscriber.on('close', () => {
      if (!link.closed) link.cutOff = true;
    });
    subscriber.on('ready', () => link.onReconnected());
    await subscriber.subscribe(BROADCAST_CHANNEL);
    link.heartbeat = setInterval(() => link.beat(), HEARTBEAT_MS);
    link.heartbeat.unref();
    return link;
  }

  get nodeTag(): string {
    return this.socketIdPrefix;
  }

  attach(local: LocalRealtime): void {
    this.local = local;
  }

  publish(frames: readonly ChannelFrame[], exceptSocketId: string | null): void {
    if (frames.length === 0) return;
    this.send({ n: this.nodeTag, x: exceptSocketId, f: frames.map(({ channel, frame }) => [channel, frame]) });
  }

  async joinPresence(channel: string, socketId: string, member: PresenceMember): Promise<PresenceJoin> {
    const reply = joinReply.parse(
      await this.commands.eval(
        JOIN_SCRIPT,
        0,
        presenceKey(channel),
        nodePresenceKey(this.nodeTag),
        socketId,
        channel,
        String(member.user_id),
        JSON.stringify({ user_id: member.user_id, ...(member.user_info === undefined ? {} : { user_info: member.user_info }) }),
      ),
    );
    return { added: reply[0] === 1, presence: presenceOf(reply[1]) };
  }

  async leavePresence(channel: string, socketId: string): Promise<PresenceMember | null> {
    const reply = await this.commands.eval(LEAVE_SCRIPT, 0, presenceKey(channel), nodePresenceKey(this.nodeTag), socketId, channel);
    return typeof reply === 'string' ? memberOf(reply) : null;
  }

  subscriptionsChanged(): void {
    if (this.snapshotTimer || this.closed) return;
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = undefined;
      this.writeSnapshot().catch(() => undefined);
    }, SNAPSHOT_DELAY_MS);
    this.snapshotTimer.unref();
  }

  /** Access changes made on other nodes end the subscriptions they no longer allow here too. */
  onAccessChange(handler: (change: AccessChange) => Promise<void>): void {
    this.onAccess = handler;
  }

  /** Tells the other nodes of an access change; resolves once Redis has it (they act on it at once). */
  async publishAccessChange(change: AccessChange): Promise<void> {
    try {
      await this.commands.publish(BROADCAST_CHANNEL, JSON.stringify({ n: this.nodeTag, access: change } satisfies WireMessage));
    } catch (error) {
      // Redis is away: every node's sockets resync once it is back, and channel auth decides afresh.
      this.publishFailed = true;
      this.logger.warn('cluster: an access change could not reach the other nodes', error);
    }
  }

  /** The other live nodes' tags. */
  async otherNodes(): Promise<string[]> {
    const tags = await this.commands.smembers(NODES_KEY);
    const others = tags.filter((tag) => tag !== this.nodeTag);
    if (others.length === 0) return [];
    const alive = await Promise.all(others.map((tag) => this.commands.exists(nodeKey(tag))));
    return others.filter((_, index) => alive[index] === 1);
  }

  /** Stops the heartbeat and removes this node's traces, so the others need not wait for its TTL. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.snapshotTimer);
    try {
      await this.commands.del(nodeKey(this.nodeTag), nodeChannelsKey(this.nodeTag), nodeConnectionsKey(this.nodeTag));
      // Its sockets have left already; whatever presence is left (a leave that failed) goes the way a dead node's does.
      await this.reap(this.nodeTag);
    } catch {
      // Redis is away: the keys expire by themselves and the reaper skips a node without a presence set.
    }
  }

  // ---- Inside ----

  private send(message: WireMessage): void {
    this.commands.publish(BROADCAST_CHANNEL, JSON.stringify(message)).catch(() => {
      // Lost for the other nodes' sockets: once Redis is back every node resyncs (onReconnected).
      this.publishFailed = true;
    });
  }

  private onMessage(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    const message = wireMessage.safeParse(parsed);
    if (!message.success || message.data.n === this.nodeTag || !this.local) return;
    const data = message.data;
    if ('access' in data) {
      this.onAccess?.(data.access).catch((error: unknown) => this.logger.error('cluster: applying an access change from another node failed', error));
      return;
    }
    if ('resync' in data) {
      if (Date.now() - this.lastResync >= RESYNC_QUIET_MS) this.resync('Another node lost events while cut off from Redis.');
      return;
    }
    this.local.deliverLocal(
      data.f.map(([channel, frame]) => ({ channel, frame })),
      data.x,
    );
  }

  private onReconnected(): void {
    if (this.closed || !this.cutOff) return;
    this.cutOff = false;
    this.logger.warn(`cluster: node ${this.nodeTag} is back on Redis; its sockets resync`);
    this.beat();
    this.resync('Reconnected to the cluster: read again what may have been missed.');
    if (this.publishFailed) {
      this.publishFailed = false;
      this.send({ n: this.nodeTag, resync: true });
    }
  }

  private resync(reason: string): void {
    this.lastResync = Date.now();
    this.local?.resyncAll(reason);
  }

  private beat(): void {
    if (this.closed) return;
    const run = async () => {
      await this.commands.set(nodeKey(this.nodeTag), String(process.pid), 'PX', NODE_TTL_MS);
      await this.commands.sadd(NODES_KEY, this.nodeTag);
      await this.writeSnapshot();
      await this.reapDeadNodes();
    };
    run().catch((error: unknown) => {
      if (this.commands.status === 'ready') this.logger.error('cluster: heartbeat failed', error);
    });
  }

  private async writeSnapshot(): Promise<void> {
    if (!this.local || this.closed) return;
    const { channels, connections } = this.local.localCounts();
    const key = nodeChannelsKey(this.nodeTag);
    const multi = this.commands.multi().del(key);
    if (channels.size > 0) multi.hset(key, Object.fromEntries(channels)).pexpire(key, NODE_TTL_MS);
    multi.set(nodeConnectionsKey(this.nodeTag), String(connections), 'PX', NODE_TTL_MS);
    await multi.exec();
  }

  private async reapDeadNodes(): Promise<void> {
    const tags = await this.commands.smembers(NODES_KEY);
    for (const tag of tags) {
      if (tag === this.nodeTag || (await this.commands.exists(nodeKey(tag))) === 1) continue;
      const removed = await this.reap(tag);
      if (removed > 0) this.logger.warn(`cluster: node ${tag} stopped answering; ${removed} presence member(s) removed`);
    }
  }

  /** Removes a node that is gone from the cluster, and announces its presence members' leaving; how many left. */
  private async reap(tag: string): Promise<number> {
    const reply = await this.commands.eval(REAP_SCRIPT, 0, nodePresenceKey(tag), NODES_KEY, tag, nodeKey(tag), `${PREFIX}presence:`);
    const flat = z.array(z.string()).safeParse(reply);
    if (!flat.success || flat.data.length === 0) return 0;
    const frames: ChannelFrame[] = [];
    for (let i = 0; i + 1 < flat.data.length; i += 2) {
      const member = memberOf(flat.data[i + 1] ?? '');
      if (member) frames.push(removedFrame(flat.data[i] ?? '', member));
    }
    this.local?.deliverLocal(frames, null);
    // Awaited: a node closing reaps itself just before it quits.
    if (frames.length > 0) await this.commands.publish(BROADCAST_CHANNEL, JSON.stringify({ n: this.nodeTag, x: null, f: frames.map((f) => [f.channel, f.frame]) } satisfies WireMessage));
    return frames.length;
  }
}
