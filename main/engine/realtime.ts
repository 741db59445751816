import Echo from 'laravel-echo';
import Pusher, { type ChannelAuthorizationCallback } from 'pusher-js';
import type { ChannelAuthorizationRequestParams } from 'pusher-js/types/src/core/auth/options';
import type { ApiChat, ApiConfig, ApiMessage } from '../../common/api';
import { ACCESS_ENDED_CLOSE_CODE, pusherWsPath, type RealtimePayloads } from '../../common/realtime';
import type { Account } from './account';
import { HttpStatusError } from './api/errors';
import { ReconnectSchedule } from './reconnect';

export interface RealtimeCallbacks {
  /** The user channel is (re)subscribed: time to catch up over REST (the protocol has no replay). */
  onSubscribed(): void;
  /** The socket dropped: realtime can no longer be trusted to be complete. */
  onDown(): void;
  /** Messages that were new to us, for notifications. */
  onFreshMessages(messages: ApiMessage[]): void;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isMessage(value: unknown): value is ApiMessage {
  return isObject(value) && typeof value.id === 'number' && typeof value.chat_id === 'number' && typeof value.sender_type === 'string';
}

function isChat(value: unknown): value is ApiChat {
  return isObject(value) && typeof value.id === 'number' && typeof value.status === 'string' && isObject(value.source);
}

/**
 * laravel-echo (broadcaster `reverb`) over pusher-js, configured from `GET /api/v1/config`:
 * `private-user.{id}` always, `private-chat.{id}` for each open chat. Events are hints applied
 * idempotently; completeness comes from the catch-up that every (re)subscription triggers.
 */
export class RealtimeLink {
  private echo: Echo<'reverb'> | null = null;
  private readonly chats = new Set<number>();
  /** Open chats whose channel the server refused or ended (the chat left our view): tried again on the next (re)subscription of the user channel. */
  private readonly refusedChats = new Set<number>();
  private subscriptions = 0;
  /** pusher-js would reconnect at once; we wait a spread delay instead (reconnect.ts says why). */
  private readonly reconnect: ReconnectSchedule;
  private stopped = false;
  /** Changes on every subscription of the user channel; null while not subscribed. */
  epoch: number | null = null;
  state = 'initialized';

  constructor(
    private readonly account: Account,
    private readonly config: ApiConfig['realtime'],
    private readonly token: string,
    private readonly callbacks: RealtimeCallbacks,
  ) {
    this.reconnect = new ReconnectSchedule(account.host.timing.reconnect, () => account.host.random());
  }

  start(): void {
    if (this.stopped) return;
    const { account, config } = this;
    const tls = config.scheme === 'https';
    const echo = new Echo<'reverb'>({
      broadcaster: 'reverb',
      key: config.key,
      wsHost: config.host,
      wsPort: config.port,
      wssPort: config.port,
      wsPath: pusherWsPath(config.path, config.key),
      forceTLS: tls,
      enabledTransports: tls ? ['wss'] : ['ws'],
      disableStats: true,
      activityTimeout: config.activity_timeout * 1000,
      Pusher,
      // Channel auth with our token and timeouts; a 401 ends the session like any other request.
      channelAuthorization: { customHandler: (params, callback) => this.authorize(params, callback) },
    });
    this.echo = echo;
    const pusher = echo.connector.pusher;
    pusher.connection.bind('state_change', (change: { previous: string; current: string }) => {
      // A client we replaced or stopped says nothing any more.
      if (this.echo !== echo) return;
      this.state = change.current;
      if (change.current === 'connected') {
        account.socketId = pusher.connection.socket_id ?? null;
      } else {
        account.socketId = null;
        if (this.epoch !== null) {
          this.epoch = null;
          this.callbacks.onDown();
        }
        // Dropped, or the server could not be reached: this client is ended, a new one comes later.
        if (change.previous === 'connected' || change.current === 'unavailable' || change.current === 'failed') this.reconnectLater();
      }
    });

    pusher.connection.bind('error', (error: unknown) => {
      // The server ended this user's access: one REST call now meets the 401 that ends the session.
      if (closeCodeOf(error) === ACCESS_ENDED_CLOSE_CODE) account.api.me().catch(() => undefined);
    });

    const user = echo.private(`user.${account.user.id}`);
    user.subscribed(() => {
      this.reconnect.succeeded();
      this.epoch = ++this.subscriptions;
      this.callbacks.onSubscribed();
      for (const chatId of [...this.refusedChats]) {
        this.refusedChats.delete(chatId);
        this.subscribeChat(chatId);
      }
    });
    user.error((error: unknown) => {
      account.host.logger.warn(`realtime: the user channel was refused or ended (${JSON.stringify(error)})`);
      // Polling over REST takes over (`connected` is false without an epoch): it catches up, or meets
      // the 401 that ends a session signed out elsewhere.
      if (this.epoch !== null) {
        this.epoch = null;
        this.callbacks.onDown();
      }
    });
    user.listen('ChatCreated', (payload: RealtimePayloads['ChatCreated']) => this.onChat(payload.chat));
    user.listen('ChatUpdated', (payload: RealtimePayloads['ChatUpdated']) => this.onChat(payload.chat));
    user.listen('NewChatMessage', (payload: RealtimePayloads['NewChatMessage']) => this.onMessage(payload.message, payload.chat));
    // On the user channel too: a hidden message collapses in the cache of chats that are not open.
    user.listen('MessageHidden', (payload: RealtimePayloads['MessageHidden']) => this.onHidden(payload));
    // Edits, deletions and deleted chats (the CRM module makes them) reach cached chats that are not open too.
    user.listen('MessageUpdated', (payload: RealtimePayloads['MessageUpdated']) => this.onHidden(payload));
    user.listen('MessageDeleted', (payload: RealtimePayloads['MessageDeleted']) => this.onMessageDeleted(payload));
    user.listen('ChatDeleted', (payload: RealtimePayloads['ChatDeleted']) => this.onChatDeleted(payload));
    for (const chatId of this.chats) this.subscribeChat(chatId);
  }

  private authorize(params: ChannelAuthorizationRequestParams, callback: ChannelAuthorizationCallback): void {
    const { account } = this;
    fetch(account.api.url('/broadcasting/auth'), {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', Authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ socket_id: params.socketId, channel_name: params.channelName }),
      signal: AbortSignal.timeout(account.host.timing.requestTimeoutMs),
    })
      .then(async (response) => {
        const body: unknown = await response.json().catch(() => null);
        if (!response.ok) {
          if (response.status === 401) account.handleUnauthenticated();
          throw new HttpStatusError(response.status, null, null);
        }
        if (!isObject(body) || typeof body.auth !== 'string') throw new Error('the auth endpoint answered without `auth`');
        callback(null, { auth: body.auth, ...(typeof body.channel_data === 'string' ? { channel_data: body.channel_data } : {}) });
      })
      .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null));
  }

  private onChat(chat: unknown): void {
    if (this.account.closed || !isChat(chat)) return;
    this.account.applyChat(chat);
  }

  private onMessage(message: unknown, chat: unknown): void {
    const { account } = this;
    if (account.closed || !isMessage(message)) return;
    if (isChat(chat)) account.applyChat(chat);
    const fresh = account.applyMessages([message]);
    // On a connection that has been in sync since the last catch-up, nothing before this message is missing.
    if (account.live && this.epoch !== null) account.cache.sync.advance(message.chat_id, message.id);
    if (fresh.length > 0) this.callbacks.onFreshMessages(fresh);
  }

  /** A hidden message stays, collapsed: the event carries it as it now is, and it replaces our copy. */
  private onHidden(payload: unknown): void {
    if (this.account.closed || !isObject(payload) || !isMessage(payload.message)) return;
    this.account.applyMessages([payload.message]);
  }

  /** A message deleted on the server leaves our cache and the open chat; the chat's latest message is the server's. */
  private onMessageDeleted(payload: unknown): void {
    const { account } = this;
    if (account.closed || !isObject(payload) || typeof payload.message_id !== 'number' || typeof payload.chat_id !== 'number') return;
    const messageId = payload.message_id;
    const chatId = payload.chat_id;
    if (account.cache.transaction(() => account.cache.messages.remove(messageId))) account.touchRemoved(chatId, `m${messageId}`);
    if (isChat(payload.chat)) account.applyChat(payload.chat);
  }

  /** A chat deleted on the server is forgotten with everything we held of it. */
  private onChatDeleted(payload: unknown): void {
    const { account } = this;
    if (account.closed || !isObject(payload) || typeof payload.chat_id !== 'number') return;
    account.forgetChats([payload.chat_id]);
  }

  joinChat(chatId: number): void {
    if (this.chats.has(chatId)) return;
    this.chats.add(chatId);
    if (this.echo) this.subscribeChat(chatId);
  }

  leaveChat(chatId: number): void {
    if (!this.chats.delete(chatId)) return;
    if (this.refusedChats.delete(chatId)) return;
    this.echo?.leaveChannel(`private-chat.${chatId}`);
  }

  private subscribeChat(chatId: number): void {
    const { account } = this;
    const echo = this.echo;
    if (!echo) return;
    const channel = echo.private(`chat.${chatId}`);
    channel.error((error: unknown) => {
      // Refused, or ended by the server once the chat left our view: pusher-js would keep the channel as
      // subscribed and never ask again, so it is left and tried afresh after the next reconnect.
      if (this.echo !== echo || !this.chats.has(chatId)) return;
      account.host.logger.warn(`realtime: the channel of chat ${chatId} was refused or ended (${JSON.stringify(error)})`);
      this.refusedChats.add(chatId);
      echo.leaveChannel(`private-chat.${chatId}`);
    });
    channel.listen('NewChatMessage', (payload: RealtimePayloads['NewChatMessage']) => this.onMessage(payload.message, payload.chat));
    channel.listen('ChatUpdated', (payload: RealtimePayloads['ChatUpdated']) => this.onChat(payload.chat));
    channel.listen('MessageHidden', (payload: RealtimePayloads['MessageHidden']) => this.onHidden(payload));
    channel.listen('MessageUpdated', (payload: RealtimePayloads['MessageUpdated']) => this.onHidden(payload));
    channel.listen('MessageDeleted', (payload: RealtimePayloads['MessageDeleted']) => this.onMessageDeleted(payload));
    channel.listen('UserTyping', (payload: RealtimePayloads['UserTyping']) => {
      if (account.closed || !isObject(payload)) return;
      // The customer has no user: `user: null, client: true`.
      const customer = payload.user === null && payload.client === true;
      if (!customer && (!isObject(payload.user) || payload.user.id === account.user.id)) return;
      account.host.emitter.emit('typing', {
        chatId: payload.chat_id,
        user: isObject(payload.user) ? { id: payload.user.id, name: payload.user.name } : null,
        typing: payload.typing !== false,
        expiresAt: account.now + (payload.typing === false ? 0 : account.host.timing.typingTtlMs),
      });
    });
  }

  /**
   * Whether realtime delivers: the socket is up and the user channel subscribed. A socket whose
   * channel is still being authorised (or was refused or ended) delivers nothing, so the engine polls.
   */
  get connected(): boolean {
    return this.state === 'connected' && this.epoch !== null;
  }

  private reconnectLater(): void {
    if (this.stopped || this.reconnect.waiting) return;
    this.disconnect();
    const delay = this.reconnect.schedule(() => this.start());
    this.account.host.logger.info(`realtime: connecting again in ${Math.round(delay / 100) / 10} s`);
  }

  stop(): void {
    this.stopped = true;
    this.reconnect.cancel();
    this.disconnect();
  }

  private disconnect(): void {
    const echo = this.echo;
    this.echo = null;
    this.epoch = null;
    this.state = 'disconnected';
    if (!echo) return;
    const connection = echo.connector.pusher.connection;
    echo.disconnect();
    // pusher-js 8 re-arms its connection strategy when a transport reports failure after
    // disconnect() (disconnecting mid-connect, e.g. during an outage), and then retries forever.
    // A strategy that never connects ends that: this client is done for good.
    connection.strategy = { isSupported: () => false, connect: () => ({ abort: () => undefined, forceMinPriority: () => undefined }) };
    connection.runner?.abort();
  }
}

/** pusher-js reports a close with a code as `{type: 'PusherError', data: {code, message}}`. */
function closeCodeOf(error: unknown): number | undefined {
  if (!isObject(error) || !isObject(error.data)) return undefined;
  return typeof error.data.code === 'number' ? error.data.code : undefined;
}
