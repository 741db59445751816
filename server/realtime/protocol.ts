import { z } from 'zod';
import { ACCESS_ENDED_CLOSE_CODE } from '../../common/realtime';

// The Pusher Channels protocol, version 7: https://pusher.com/docs/channels/library_auth_reference/pusher-websockets-protocol
// What pusher-js does with each close code (Protocol.getCloseAction): 4000–4099 refused (no reconnect),
// 4100–4199 reconnect with backoff, 4200–4299 reconnect at once, 4300+ refused.

export const PROTOCOL_VERSION = 7;
/** Oldest protocol whose framing we speak; pusher-js 8 sends 7. */
export const MIN_PROTOCOL_VERSION = 5;

export const CloseCode = {
  /** The key in `/app/{key}` is not ours. */
  unknownApp: 4001,
  unsupportedProtocol: 4007,
  /** The user behind the socket lost their access (deactivated): pusher-js gives up instead of reconnecting. */
  unauthorized: ACCESS_ENDED_CLOSE_CODE,
  /** More connections than `maxConnections` (or `maxConnectionsPerIp` from one address), or a reader too slow to keep up. */
  overCapacity: 4100,
  /** The server is going away (restart, shutdown): reconnect now. */
  reconnect: 4200,
  /** No answer to the server's ping within `pongTimeout`. */
  pongTimeout: 4201,
  /** Pusher's "closed after inactivity": no subscription for `subscribeTimeout`; pusher-js reconnects and subscribes again. */
  noSubscriptions: 4202,
} as const;

/** Codes carried by `pusher:error` without closing the connection. */
export const ErrorCode = {
  /** Reverb's code for a frame it cannot read. */
  invalidMessage: 4200,
  /** A client event on a channel the connection is not a member of, or not a private/presence one. */
  unauthorized: 4009,
  clientEventRateLimit: 4301,
  /** A subscription over `maxSubscriptionsPerConnection`: the channel is refused, the connection stays. */
  tooManySubscriptions: 4100,
} as const;

export type ChannelKind = 'public' | 'private' | 'presence';

export function channelKind(name: string): ChannelKind {
  if (name.startsWith('presence-')) return 'presence';
  if (name.startsWith('private-')) return 'private';
  return 'public';
}

/** Pusher's channel-name alphabet. */
const CHANNEL_NAME = /^[A-Za-z0-9_\-=@,.;]+$/;

/** Why a channel name is refused, or null when it is acceptable. */
export function channelNameProblem(name: string, maxLength: number): string | null {
  if (name.length === 0) return 'The channel name is empty.';
  if (name.length > maxLength) return `The channel name is longer than ${maxLength} characters.`;
  if (!CHANNEL_NAME.test(name)) return 'The channel name may contain only letters, digits and _ - = @ , . ;';
  return null;
}

/** `pusher:subscribe` data; pusher-js sends an object, some clients a JSON string. */
export const subscribeData = z.object({
  channel: z.string(),
  auth: z.string().optional(),
  channel_data: z.string().optional(),
});

export const unsubscribeData = z.object({ channel: z.string() });

/** Every frame a client sends: an envelope whose `data` may be anything JSON. */
export const clientFrame = z.object({
  event: z.string().min(1).max(200),
  channel: z.string().optional(),
  data: z.unknown().optional(),
});
export type ClientFrame = z.infer<typeof clientFrame>;

/** What a presence `channel_data` must hold (Laravel sends `{user_id, user_info}`). */
export const presenceChannelData = z.object({
  user_id: z.union([z.string().min(1).max(200), z.number().int()]),
  user_info: z.unknown().optional(),
});
export type PresenceMember = z.infer<typeof presenceChannelData>;

/**
 * A server frame. `data` is JSON encoded a second time, as Pusher does: pusher-js parses it again,
 * and other clients (Laravel's own tests, PHP clients) expect a string there.
 */
export function encodeFrame(event: string, data: unknown, channel?: string): string {
  return JSON.stringify(channel === undefined ? { event, data: JSON.stringify(data) } : { event, channel, data: JSON.stringify(data) });
}

/** A server-published event whose data is already the string to send (the HTTP API gives it that way). */
export function encodeEventFrame(event: string, channel: string, data: string, userId?: string | number): string {
  return JSON.stringify(userId === undefined ? { event, channel, data } : { event, channel, data, user_id: userId });
}

export function errorFrame(code: number, message: string): string {
  return encodeFrame('pusher:error', { code, message });
}

/**
 * A refused subscription names its channel, so pusher-js routes it to that channel and Echo's `.error()` fires
 * (Reverb answers a plain `pusher:error`, which Echo never sees). The data has the shape pusher-js gives its own
 * auth failures (`type`, `error`, `status`), plus the protocol's `code`. The same frame ends a subscription the
 * server withdraws: pusher-js emits any non-internal event on its channel, and the protocol has no other way
 * to tell a client that a channel it joined is gone.
 */
export function subscriptionErrorFrame(channel: string, type: string, error: string, status: number, code: number = ErrorCode.unauthorized): string {
  return encodeFrame('pusher:subscription_error', { type, error, status, code }, channel);
}
