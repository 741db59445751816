import { endWithError } from '../http/raw-response';
import { randomInt } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { wireEventName } from '../../common/realtime';
import type { RealtimeConfig } from '../config';
import { clientAddress } from '../http/client-address';
import type { Logger } from '../logger';
import type { Broadcast, Broadcaster } from './broadcaster';
import { ChannelRegistry, type Channel } from './channels';
import { Connection } from './connection';
import type { Grant, GrantRecorder } from './grants';
import {
  channelKind,
  channelNameProblem,
  clientFrame,
  CloseCode,
  encodeEventFrame,
  encodeFrame,
  ErrorCode,
  errorFrame,
  MIN_PROTOCOL_VERSION,
  presenceChannelData,
  PROTOCOL_VERSION,
  subscribeData,
  subscriptionErrorFrame,
  unsubscribeData,
  type ClientFrame,
  type PresenceMember,
} from './protocol';
import { channelAuthValid } from './signatures';

/** `/app/{key}`, also behind a path prefix (pusher-js's `wsPath`, a proxy's mount point). */
const APP_PATH = /(?:^|\/)app\/([^/]+)\/?$/;

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** `data` of a frame as an object: pusher-js sends objects, some clients JSON strings. */
function dataObject(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/** Unused channel signatures one connection may hold when subscriptions are not capped. */
const UNCAPPED_UNUSED_GRANTS = 1000;

export interface PusherServerOptions {
  /** Count connections per address by `X-Forwarded-For` (behind a reverse proxy). */
  trustProxy?: boolean;
  now?: () => number;
}

/** A WebSocket handshake's key: 16 random bytes in base64 (RFC 6455 §4.1). */
const HANDSHAKE_KEY = /^[+/0-9A-Za-z]{21}[AQgw]==$/;

/**
 * The Pusher Channels protocol v7 server (what Laravel Reverb is), sharing the HTTP API's port.
 * It is also the `Broadcaster` the domain publishes through, and where channel auth records who
 * authorised each subscription, so an access change can end it.
 */
export class PusherServer implements Broadcaster, GrantRecorder {
  readonly channels = new ChannelRegistry();
  private readonly connections = new Map<string, Connection>();
  /** Open connections per client address. */
  private readonly perAddress = new Map<string, number>();
  private readonly wss: WebSocketServer;
  private readonly activityTimeoutMs: number;
  private readonly pongTimeoutMs: number;
  private readonly subscribeTimeoutMs: number;
  private readonly unusedGrantLimit: number;
  private readonly trustProxy: boolean;
  private readonly now: () => number;
  private attached: Server | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private closing = false;
  private epoch = 0;

  constructor(
    private readonly config: RealtimeConfig,
    private readonly logger: Logger,
    options: PusherServerOptions = {},
  ) {
    this.trustProxy = options.trustProxy ?? false;
    this.now = options.now ?? Date.now;
    // pusher-js refuses a handshake without a positive activity_timeout.
    this.activityTimeoutMs = Math.max(1, config.activityTimeout) * 1000;
    this.pongTimeoutMs = Math.max(1, config.pongTimeout) * 1000;
    this.subscribeTimeoutMs = Math.max(0, config.subscribeTimeout) * 1000;
    this.unusedGrantLimit = config.maxSubscriptionsPerConnection > 0 ? config.maxSubscriptionsPerConnection : UNCAPPED_UNUSED_GRANTS;
    // `maxPayload`: ws stops reading a larger frame and closes with 1009, so a huge frame is never buffered.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes, perMessageDeflate: false, clientTracking: false });
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Serves `/app/{key}` on the HTTP server's upgrade requests and starts pruning silent connections. */
  attach(server: Server): void {
    this.attached = server;
    server.on('upgrade', this.onUpgrade);
    const shortest = Math.min(this.activityTimeoutMs, this.pongTimeoutMs, this.subscribeTimeoutMs || Infinity);
    const every = Math.min(5000, Math.max(100, shortest / 4));
    this.sweeper = setInterval(() => this.sweep(), every);
    this.sweeper.unref();
  }

  /** Closes every socket with 4200 so clients reconnect (to this server's successor), and stops the timers. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.sweeper);
    this.attached?.off('upgrade', this.onUpgrade);
    const open = [...this.connections.values()];
    for (const connection of open) connection.close(CloseCode.reconnect, 'Server shutting down');
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 1000);
    });
    await Promise.race([Promise.all(open.map((connection) => connection.whenClosed())), grace]);
    clearTimeout(timer);
    for (const connection of this.connections.values()) connection.terminate();
    this.connections.clear();
    this.perAddress.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  // ---- Broadcasting (the domain's events, the HTTP API's publishes) ----

  publish(broadcast: Broadcast): void {
    this.deliver(broadcast.channels, wireEventName(broadcast.event), JSON.stringify(broadcast.data), broadcast.exceptSocketId);
  }

  /** Sends `event` with already-encoded `data` to every subscriber of `channels` but `exceptSocketId`. */
  deliver(channels: readonly string[], event: string, data: string, exceptSocketId: string | null): void {
    for (const name of channels) {
      const channel = this.channels.get(name);
      if (!channel) continue;
      this.sendToChannel(channel, Buffer.from(encodeEventFrame(event, name, data)), exceptSocketId);
    }
  }

  private sendToChannel(channel: Channel, frame: string | Buffer, exceptSocketId: string | null): void {
    for (const connection of channel.connections.values()) {
      if (connection.socketId === exceptSocketId) continue;
      connection.send(frame);
      if (connection.bufferedBytes > this.config.maxBufferedBytes) this.drop(connection, CloseCode.overCapacity, 'Client is not reading fast enough');
    }
  }

  // ---- Connections ----

  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = APP_PATH.exec(url.pathname);
    if (!match) {
      // Other upgrade handlers may share the server; answer only when nobody else will.
      if (this.attached?.listenerCount('upgrade') === 1) endWithError(socket, 404, { message: 'Resource not found.', code: 'NOT_FOUND' });
      return;
    }
    if (this.closing) {
      endWithError(socket, 503, { message: 'The server is shutting down; connect again.', code: 'SERVER_ERROR' });
      return;
    }
    // Checked here rather than by ws, whose own refusal is an HTML page outside the API's format.
    const handshakeValid =
      request.method === 'GET' &&
      request.headers.upgrade?.toLowerCase() === 'websocket' &&
      HANDSHAKE_KEY.test(request.headers['sec-websocket-key'] ?? '') &&
      request.headers['sec-websocket-version'] === '13';
    if (!handshakeValid) {
      endWithError(socket, 400, { message: 'The WebSocket handshake is not valid.', code: 'BAD_REQUEST' });
      return;
    }
    const key = decodeURIComponent(match[1] ?? '');
    const address = clientAddress(request, this.trustProxy);
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, key, url.searchParams.get('protocol'), address));
  };

  private accept(ws: WebSocket, key: string, protocol: string | null, address: string): void {
    // ws reports protocol violations and oversized frames here, then closes the socket itself.
    ws.on('error', () => undefined);
    const refuse = (code: number, message: string) => {
      ws.send(errorFrame(code, message));
      ws.close(code, message);
    };
    if (key !== this.config.key) return refuse(CloseCode.unknownApp, `Application does not exist`);
    const version = protocol === null ? PROTOCOL_VERSION : Number(protocol);
    if (!Number.isInteger(version) || version < MIN_PROTOCOL_VERSION || version > PROTOCOL_VERSION) {
      return refuse(CloseCode.unsupportedProtocol, `Unsupported protocol version ${protocol}`);
    }
    if (this.closing) return refuse(CloseCode.reconnect, 'Server shutting down');
    if (this.connections.size >= this.config.maxConnections) return refuse(CloseCode.overCapacity, 'Over capacity');
    // 4100, not a 40xx refusal: pusher-js retries a second later, so a desk behind a busy NAT gets in once a place frees.
    const fromAddress = this.perAddress.get(address) ?? 0;
    const perAddress = this.config.maxConnectionsPerIp;
    if (perAddress > 0 && fromAddress >= perAddress) return refuse(CloseCode.overCapacity, 'Too many connections from this address');

    const connection = new Connection(this.newSocketId(), address, ws, this.now(), this.unusedGrantLimit);
    this.connections.set(connection.socketId, connection);
    this.perAddress.set(address, fromAddress + 1);
    ws.on('message', (data) => this.onMessage(connection, rawText(data)));
    ws.on('ping', () => connection.touch(this.now()));
    ws.on('pong', () => connection.touch(this.now()));
    ws.on('close', () => this.forget(connection));
    connection.send(
      encodeFrame('pusher:connection_established', { socket_id: connection.socketId, activity_timeout: this.activityTimeoutMs / 1000 }),
    );
  }

  private newSocketId(): string {
    for (;;) {
      const id = `${randomInt(1, 1_000_000_000)}.${randomInt(1, 1_000_000_000)}`;
      if (!this.connections.has(id)) return id;
    }
  }

  /** Closes a connection and removes it from every channel at once (its peer may never finish the close). */
  private drop(connection: Connection, code: number, reason: string): void {
    this.forget(connection);
    connection.close(code, reason);
  }

  /** Removes a connection from the server; runs once whether the client or the server ended it. */
  private forget(connection: Connection): void {
    if (!this.connections.delete(connection.socketId)) return;
    const left = (this.perAddress.get(connection.address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(connection.address, left);
    else this.perAddress.delete(connection.address);
    for (const name of [...connection.channels]) this.leave(connection, name);
  }

  private sweep(): void {
    const now = this.now();
    for (const connection of this.connections.values()) {
      if (this.subscribeTimeoutMs > 0 && connection.unsubscribedSince !== null && now - connection.unsubscribedSince >= this.subscribeTimeoutMs) {
        // A socket that listens to nothing only holds a place; pusher-js reconnects at once and subscribes again.
        connection.send(errorFrame(CloseCode.noSubscriptions, 'No subscription in time'));
        this.drop(connection, CloseCode.noSubscriptions, 'No subscription in time');
      } else if (connection.pingedAt !== null) {
        if (now - connection.pingedAt >= this.pongTimeoutMs) {
          connection.send(errorFrame(CloseCode.pongTimeout, 'Pong reply not received in time'));
          this.drop(connection, CloseCode.pongTimeout, 'Pong reply not received in time');
        }
      } else if (now - connection.lastSeen >= this.activityTimeoutMs) {
        // Both kinds of ping: pusher-js answers `pusher:ping`, bare WebSocket clients answer the control frame.
        connection.send(encodeFrame('pusher:ping', {}));
        connection.ping();
        connection.pingedAt = now;
      }
    }
  }

  // ---- Frames from clients ----

  private onMessage(connection: Connection, text: string): void {
    connection.touch(this.now());
    try {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        connection.send(errorFrame(ErrorCode.invalidMessage, 'Invalid message format'));
        return;
      }
      const frame = clientFrame.safeParse(json);
      if (!frame.success) {
        connection.send(errorFrame(ErrorCode.invalidMessage, 'Invalid message format'));
        return;
      }
      const { event } = frame.data;
      if (event.startsWith('client-')) this.onClientEvent(connection, frame.data);
      else this.onPusherEvent(connection, frame.data);
    } catch (error) {
      // A bug in handling one frame must not take the server, or the other sockets, down.
      this.logger.error('realtime: a client frame failed', error);
      connection.send(errorFrame(ErrorCode.invalidMessage, 'Invalid message format'));
    }
  }

  private onPusherEvent(connection: Connection, frame: ClientFrame): void {
    switch (frame.event) {
      case 'pusher:ping':
        connection.send(encodeFrame('pusher:pong', {}));
        return;
      case 'pusher:pong':
        return;
      case 'pusher:subscribe':
        this.subscribe(connection, dataObject(frame.data));
        return;
      case 'pusher:unsubscribe': {
        const data = unsubscribeData.safeParse(dataObject(frame.data));
        if (data.success && connection.channels.has(data.data.channel)) this.leave(connection, data.data.channel);
        return;
      }
      default:
        connection.send(errorFrame(ErrorCode.invalidMessage, `Unknown event ${frame.event}`));
    }
  }

  private subscribe(connection: Connection, payload: unknown): void {
    const parsed = subscribeData.safeParse(payload);
    if (!parsed.success) {
      connection.send(errorFrame(ErrorCode.invalidMessage, 'pusher:subscribe needs a channel'));
      return;
    }
    const { channel: name, auth, channel_data: channelData } = parsed.data;
    const refuse = (type: string, error: string, status: number) => connection.send(subscriptionErrorFrame(name, type, error, status));

    const problem = channelNameProblem(name, this.config.maxChannelNameLength);
    if (problem) return refuse('InvalidChannel', problem, 400);
    const cap = this.config.maxSubscriptionsPerConnection;
    if (cap > 0 && connection.channels.size >= cap && !connection.channels.has(name)) {
      const error = `A connection may hold at most ${cap} channels; unsubscribe from one first.`;
      return connection.send(subscriptionErrorFrame(name, 'LimitReached', error, 429, ErrorCode.tooManySubscriptions));
    }
    const kind = channelKind(name);
    let member: PresenceMember | undefined;
    if (kind !== 'public') {
      const signed = kind === 'presence' ? channelData : undefined;
      if (kind === 'presence' && channelData === undefined) return refuse('AuthError', 'Presence channels need channel_data', 401);
      if (auth === undefined || !channelAuthValid(this.config.key, this.config.secret, connection.socketId, name, auth, signed)) {
        return refuse('AuthError', 'Invalid signature', 401);
      }
    }
    if (kind === 'presence') {
      const data = presenceChannelData.safeParse(dataObject(channelData));
      if (!data.success) return refuse('InvalidChannelData', 'channel_data must be JSON with a user_id', 400);
      member = data.data;
    }
    if (kind !== 'public' && !connection.grants.bind(name)) return refuse('AuthError', 'Access to this channel has been withdrawn.', 403);

    let channel = this.channels.get(name);
    if (!channel || !connection.channels.has(name)) {
      const joined = this.channels.join(connection, name, member);
      connection.unsubscribedSince = null;
      channel = joined.channel;
      if (joined.added) {
        const { user_id, user_info } = joined.added;
        const frame = encodeFrame('pusher_internal:member_added', user_info === undefined ? { user_id } : { user_id, user_info }, name);
        this.sendToChannel(channel, frame, connection.socketId);
      }
    }
    // Subscribing twice is harmless: the second answer reports the current state again.
    connection.send(encodeFrame('pusher_internal:subscription_succeeded', kind === 'presence' ? { presence: channel.presence() } : {}, name));
  }

  private leave(connection: Connection, name: string): void {
    const { channel, removed } = this.channels.leave(connection, name);
    connection.grants.release(name);
    if (connection.channels.size === 0) connection.unsubscribedSince = this.now();
    if (channel && removed) this.sendToChannel(channel, encodeFrame('pusher_internal:member_removed', { user_id: removed.user_id }, name), null);
  }

  // ---- Access changes (channel auth records grants; logout, deactivation, audience changes end them) ----

  get accessEpoch(): number {
    return this.epoch;
  }

  /** An access change has begun: authorisations decided across it are decided again by the auth endpoint. */
  noteAccessChange(): void {
    this.epoch++;
  }

  offerGrant(socketId: string, channel: string, grant: Grant): 'recorded' | 'full' | 'unknown' {
    const connection = this.connections.get(socketId);
    if (!connection) return 'unknown';
    return connection.grants.offer(channel, grant) ? 'recorded' : 'full';
  }

  withdraw(matches: (grant: Grant, channel: string) => boolean, reason: string): void {
    this.epoch++;
    for (const connection of this.connections.values()) {
      for (const name of connection.grants.withdraw(matches)) this.endSubscription(connection, name, reason);
    }
  }

  /**
   * Closes every socket acting for this user (one that holds a grant of theirs) with `code`: each of
   * its subscriptions ends at once, and the client is told why before the close.
   */
  disconnectUser(userId: number, code: number, reason: string): number {
    this.epoch++;
    const acting = [...this.connections.values()].filter((connection) => connection.grants.heldBy(userId));
    for (const connection of acting) {
      connection.grants.withdraw((grant) => grant.userId === userId);
      connection.send(errorFrame(code, reason));
      this.drop(connection, code, reason);
    }
    return acting.length;
  }

  /** The user behind each access token that authorised something on any connection (to find tokens revoked elsewhere). */
  grantHolders(): Map<number, number> {
    const holders = new Map<number, number>();
    for (const connection of this.connections.values()) for (const grant of connection.grants.all()) holders.set(grant.tokenId, grant.userId);
    return holders;
  }

  /** Users whose grants hold a subscription to `channel`, or a signature for it not yet used, on any connection. */
  usersListening(channel: string): Set<number> {
    const users = new Set<number>();
    for (const connection of this.connections.values()) {
      for (const userId of connection.grants.usersOf(channel)) users.add(userId);
    }
    return users;
  }

  /** Ends one subscription and tells the client on that channel, so Echo's `.error()` fires. */
  private endSubscription(connection: Connection, name: string, reason: string): void {
    connection.send(subscriptionErrorFrame(name, 'AuthError', reason, 403));
    this.leave(connection, name);
  }

  private onClientEvent(connection: Connection, frame: ClientFrame): void {
    const name = frame.channel;
    const channel = name === undefined ? undefined : this.channels.get(name);
    if (name === undefined || !channel || !connection.channels.has(name)) {
      connection.send(errorFrame(ErrorCode.unauthorized, 'The client is not a member of the specified channel.'));
      return;
    }
    if (channel.kind === 'public') {
      connection.send(errorFrame(ErrorCode.unauthorized, 'Client events are only allowed on private and presence channels.'));
      return;
    }
    if (!connection.allowClientEvent(this.now(), this.config.clientEventsPerSecond)) {
      connection.send(errorFrame(ErrorCode.clientEventRateLimit, 'Client event rejected due to rate limit'));
      return;
    }
    // Rebuilt from known fields, with the sender's presence identity, so a client cannot pose as someone else.
    const member = channel.memberOf(connection.socketId);
    const frameOut = JSON.stringify({ event: frame.event, channel: name, data: frame.data ?? null, ...(member ? { user_id: member.user_id } : {}) });
    this.sendToChannel(channel, frameOut, connection.socketId);
  }
}
