import type { ApiChat, ApiMessage, UserRef } from './api';

// Channels and events of the realtime layer (Pusher protocol, Laravel naming).
// Names are Laravel's defaults so `echo.private('chat.42').listen('NewChatMessage', …)` works.

export const EVENT_NAMESPACE = 'App\\Events\\';

/**
 * The close code of a socket whose user lost their access (deactivated): pusher-js does not
 * reconnect (4000–4099 are "refused"), and a desk checks its session at once instead of at its next poll.
 */
export const ACCESS_ENDED_CLOSE_CODE = 4009;

/** The server's Pusher endpoint under `prefix` (a reverse proxy's path, '' at the root). */
export function pusherPath(prefix: string, key: string): string {
  return `${prefix}/app/${key}`;
}

/** pusher-js's `wsPath` for an endpoint path: what comes before `/app/{key}` ('' at the root). */
export function pusherWsPath(path: string, key: string): string {
  const tail = pusherPath('', key);
  return path.endsWith(tail) ? path.slice(0, -tail.length) : '';
}

// SpaceUpdated and MessagesRead go to website visitors' space channels only (common/visitor-api.ts).
export const REALTIME_EVENTS = [
  'NewChatMessage',
  'UserTyping',
  'ChatCreated',
  'ChatUpdated',
  'MessageHidden',
  'MessageUpdated',
  'MessageDeleted',
  'ChatDeleted',
  'SpaceUpdated',
  'MessagesRead',
] as const;
export type RealtimeEventName = (typeof REALTIME_EVENTS)[number];

export interface RealtimePayloads {
  NewChatMessage: { message: ApiMessage; chat?: ApiChat };
  /** `user: null, client: true`: the customer is typing (in the widget, or through their channel's webhook). */
  UserTyping: { chat_id: number; user: UserRef | null; client?: true; typing: boolean };
  ChatCreated: { chat: ApiChat };
  ChatUpdated: { chat: ApiChat };
  /** `message`: the hidden message as it now is (additive: desks update it in place). */
  MessageHidden: { message_id: number; chat_id: number; message?: ApiMessage };
  /** A message's text was edited or files were attached to it: the message as it now is. */
  MessageUpdated: { message_id: number; chat_id: number; message: ApiMessage };
  MessageDeleted: { message_id: number; chat_id: number; chat: ApiChat };
  ChatDeleted: { chat_id: number };
}

/** The name on the wire: `App\Events\NewChatMessage`. */
export function wireEventName(name: RealtimeEventName): string {
  return EVENT_NAMESPACE + name;
}

export function chatChannel(chatId: number): string {
  return `private-chat.${chatId}`;
}

export function userChannel(userId: number): string {
  return `private-user.${userId}`;
}

export const OPERATORS_CHANNEL = 'presence-operators';
