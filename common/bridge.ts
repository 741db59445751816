import { ADMIN_REQUEST_NAMES, type AdminBridgeRequests } from './bridge-admin';
import type { ChatCounts, ChatStatus, ChatTab, SenderType, SourceType, UserMetadata, UserRef } from './api';

// The one contract between the desk's UI and its engine (DESIGN §1, §6). The Electron preload
// and the web desk's WebSocket bridge both implement `BridgeClient` over exactly these maps;
// the engine (main/engine) implements `BridgeHandlers` and emits `BridgeEvents`.
// Everything here is plain data (structured-clone and JSON safe): numbers, strings, arrays,
// plain objects, `Uint8Array` for bytes. Times are epoch milliseconds.
// Changes to this file are additive only: the UI and the Electron shell are built against it.

// ---------------------------------------------------------------------------------------------
// Views: what the UI shows.

export interface SessionView {
  serverUrl: string;
  /** The server's display name from `GET /api/v1/config`. */
  serverName: string;
  user: { id: number; name: string; email: string; roles: string[] };
}

export type ConnectionState =
  /** No session: nothing to connect to. */
  | { kind: 'signed-out' }
  /** The server is unreachable; the desk works from its cache and queues what the user does. */
  | { kind: 'offline'; since: number; reason: string | null; nextAttemptAt: number | null }
  | { kind: 'connecting' }
  /** Catching up after start or a reconnect: `done` of `total` chats brought up to date. */
  | { kind: 'syncing'; done: number; total: number }
  | { kind: 'online' };

export type ConnectionKind = ConnectionState['kind'];

/** States of anything the outbox holds (messages and queued actions). */
export type OutboxState = 'pending' | 'sending' | 'failed';

export type OutboxKind = 'send' | 'assign-me' | 'close' | 'transfer' | 'mark-read' | 'hide';

export interface OutboxEntryView {
  /** For `send`, the message's `client_message_id`; for actions, an id of their own. */
  id: string;
  chatId: number;
  kind: OutboxKind;
  state: OutboxState;
  attempts: number;
  /** The server's reason for a refusal, or the last network error; null while nothing failed. */
  error: string | null;
  /** HTTP status of the refusal (403, 422, …), when the server refused. */
  errorStatus: number | null;
  /** When the next attempt is due (backoff or `Retry-After`); null when not scheduled. */
  nextAttemptAt: number | null;
  createdAt: number;
  /** `transfer`: the chosen operator. */
  assignedTo?: number;
  /** `hide`: the message. */
  messageId?: number;
}

export interface ContactView {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
}

export interface ChatRow {
  id: number;
  /** The client's name, else email, phone or external id. */
  title: string;
  externalUserId: string;
  userMetadata: UserMetadata;
  source: { id: number; name: string; type: SourceType };
  department: { id: number; name: string } | null;
  status: ChatStatus;
  assignee: UserRef | null;
  assignedToMe: boolean;
  isUrgent: boolean;
  unreadCount: number;
  /** Oldest client message not yet answered, or null. */
  waitingSince: number | null;
  lastMessageAt: number | null;
  lastMessage: { id: number; text: string | null; senderType: SenderType; createdAt: number; hidden: boolean } | null;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  /** The CRM contact the customer is linked to, or null. */
  contact: ContactView | null;
  /** Queued or failed actions on this chat (assign-me, close, transfer, mark-read). */
  pendingActions: OutboxEntryView[];
  /** Some messages of this chat are pending or failed in the outbox. */
  outgoing: { pending: number; failed: number };
}

export interface AttachmentView {
  /** Server id; null while the message is pending. */
  id: number | null;
  name: string;
  mimeType: string;
  size: number;
  /** The file is on disk: it opens offline. */
  cached: boolean;
  /** For a pending message: the upload it comes from. */
  uploadId?: string;
  /**
   * A link a customer sent instead of a file (its URL is not on the server the desk signed in to):
   * the desk never downloads it; the operator opens `url` in the browser on purpose. `host` is what
   * to show; `url` is null when the desk will not open it (not http(s), or carrying credentials).
   */
  link?: { url: string | null; host: string };
}

export type MessageState = 'sent' | 'pending' | 'sending' | 'failed';

export interface MessageView {
  /** Stable across pending → sent: the `client_message_id` when there is one, else `m{id}`. Use it as the React key. */
  key: string;
  /** Server id, or a negative local id while pending. */
  id: number;
  chatId: number;
  senderType: SenderType;
  sender: UserRef | null;
  text: string | null;
  attachments: AttachmentView[];
  isRead: boolean;
  clientMessageId: string | null;
  /** Our own operator message (never notifies). */
  own: boolean;
  state: MessageState;
  /** Why a failed message failed (the server's words), else null. */
  error: string | null;
  /** System messages: the payload (e.g. `{type: 'transfer', …}`). */
  payload: Record<string, unknown>;
  /** Hidden (spam, abuse): who hid it and when; the desk shows it collapsed. Null while it is not. */
  hidden: { byName: string | null; at: number | null } | null;
  createdAt: number;
}

/** Chronological order: server ids ascending, then pending messages in the order they were written. */
export function compareMessages(a: Pick<MessageView, 'id' | 'createdAt'>, b: Pick<MessageView, 'id' | 'createdAt'>): number {
  const aPending = a.id < 0;
  const bPending = b.id < 0;
  if (aPending !== bPending) return aPending ? 1 : -1;
  // Local ids grow more negative as messages are written: -1 before -2.
  if (aPending) return b.id - a.id;
  return a.id - b.id;
}

export interface OperatorView {
  id: number;
  name: string;
  roles: string[];
}

export interface SourceView {
  id: number;
  name: string;
  type: SourceType;
}

export interface DepartmentView {
  id: number;
  name: string;
}

/** What the list's filters and pickers offer: every source and department of the chats held, and the active operators. */
export interface CatalogView {
  sources: SourceView[];
  departments: DepartmentView[];
  operators: OperatorView[];
}

export interface CannedResponseView {
  id: number;
  sourceId: number | null;
  code: string;
  title: string;
  text: string;
}

export type UploadState = 'queued' | 'uploading' | 'uploaded' | 'failed';

export interface UploadView {
  uploadId: string;
  name: string;
  mimeType: string | null;
  size: number;
  /** Bytes sent so far. */
  sent: number;
  state: UploadState;
  error: string | null;
}

export const NOTIFY_SCOPES = ['mine', 'mine+unassigned', 'all'] as const;
export type NotifyScope = (typeof NOTIFY_SCOPES)[number];
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
export const LANGUAGES = ['en', 'ru', 'pl'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Preferences {
  /** Which chats' new client messages raise a notification. */
  notify: NotifyScope;
  sound: boolean;
  theme: Theme;
  /** null: follow the OS locale. */
  language: Language | null;
}

export const DEFAULT_PREFERENCES: Preferences = { notify: 'mine+unassigned', sound: true, theme: 'system', language: null };

export type ChatStatusFilter = 'open' | ChatStatus;

export interface ChatListQuery {
  tab: ChatTab;
  status?: ChatStatusFilter;
  sourceId?: number;
  departmentId?: number;
  search?: string;
  /** Page size, default 50, at most 200. */
  limit?: number;
  /** The `nextCursor` of the previous page (keyset pagination). */
  cursor?: string | null;
}

// ---------------------------------------------------------------------------------------------
// Requests: name → {args, result}.

export interface BridgeRequests extends AdminBridgeRequests {
  /** Signs in: checks the server (`GET /config`), logs in, opens this server+user's cache, starts syncing. */
  'session.login': { args: { serverUrl: string; email: string; password: string }; result: { session: SessionView } };
  /** Revokes the token (when reachable), forgets it, stops syncing. The cache stays for the next login. */
  'session.logout': { args: Record<string, never>; result: { ok: true } };
  'session.get': { args: Record<string, never>; result: { session: SessionView | null } };

  /** Everything the UI needs at start, in one call. */
  'desk.status': {
    args: Record<string, never>;
    result: { session: SessionView | null; connection: ConnectionState; outbox: OutboxEntryView[]; unreadChats: number; preferences: Preferences };
  };
  /** The window gained or lost focus (notifications depend on it). */
  'desk.focus': { args: { focused: boolean }; result: { ok: true } };

  /** A page of the cached chat list, newest activity first, with tab counts for the same filters. */
  'chats.list': { args: ChatListQuery; result: { rows: ChatRow[]; counts: ChatCounts; hasMore: boolean; nextCursor: string | null } };
  'chats.get': { args: { chatId: number }; result: { chat: ChatRow | null } };

  /** Cached messages at once (the newest `limit`, default 50); fetches newer ones in the background and subscribes to the chat. */
  'chat.open': {
    args: { chatId: number; limit?: number };
    result: { chat: ChatRow | null; messages: MessageView[]; hasOlder: boolean };
  };
  /** The chat is no longer shown. */
  'chat.leave': { args: { chatId: number }; result: { ok: true } };
  /** Messages older than `beforeId` (cache first, then the server), oldest first in the result. */
  'chat.loadOlder': { args: { chatId: number; beforeId: number; limit?: number }; result: { messages: MessageView[]; hasOlder: boolean } };
  /** Optimistic: the pending message is returned at once; the outbox delivers it. */
  'chat.send': { args: { chatId: number; text?: string; uploadIds?: string[] }; result: { message: MessageView } };
  'chat.assignMe': { args: { chatId: number }; result: { entry: OutboxEntryView } };
  'chat.close': { args: { chatId: number }; result: { entry: OutboxEntryView } };
  'chat.transfer': { args: { chatId: number; assignedTo: number; note?: string }; result: { entry: OutboxEntryView } };
  /** Marks client messages read up to `upToId` (default: the newest held). */
  'chat.markRead': { args: { chatId: number; upToId?: number }; result: { entry: OutboxEntryView | null } };
  /** Hides a customer's message (spam) where the rank allows; queued like the other actions. */
  'chat.hideMessage': { args: { chatId: number; messageId: number }; result: { entry: OutboxEntryView } };
  /** Best effort, not queued: a typing hint is worthless later. */
  'chat.typing': { args: { chatId: number; typing: boolean }; result: { ok: true } };
  /** Operators who may take this chat (online: from the server, else the last list seen). */
  'chat.operators': { args: { chatId: number }; result: { operators: OperatorView[] } };

  'outbox.list': { args: Record<string, never>; result: { entries: OutboxEntryView[] } };
  /** Tries a failed (or waiting) entry again now. */
  'outbox.retry': { args: { id: string }; result: { entry: OutboxEntryView | null } };
  /** Drops an entry that is not being sent; a pending message disappears with it. */
  'outbox.discard': { args: { id: string }; result: { ok: boolean } };

  /** Takes a file for a later `chat.send` (copied into the desk's data, so it survives offline and restarts) and uploads it. */
  'uploads.add': { args: { name: string; mimeType?: string; path?: string; bytes?: Uint8Array }; result: { upload: UploadView } };

  'canned.search': { args: { query?: string; sourceId?: number }; result: { items: CannedResponseView[] } };
  /** Sources, departments (from the cache) and operators (the server's list, the last one seen while offline). */
  'catalog.get': { args: Record<string, never>; result: CatalogView };

  'preferences.get': { args: Record<string, never>; result: { preferences: Preferences } };
  'preferences.set': { args: Partial<Preferences>; result: { preferences: Preferences } };

  /** The attachment as a local file (downloaded once, then served from the cache, also offline). */
  'attachments.open': { args: { attachmentId: number }; result: { path: string; name: string; mimeType: string } };
}

export type RequestName = keyof BridgeRequests;
export type Args<K extends RequestName> = BridgeRequests[K]['args'];
export type Result<K extends RequestName> = BridgeRequests[K]['result'];

// ---------------------------------------------------------------------------------------------
// Push events: name → payload.

export interface BridgeEvents {
  /** Chats were added, changed or removed in the cache; re-query lists that show them. */
  'chats.changed': { chats: ChatRow[]; removedIds: number[]; counts: ChatCounts; unreadChats: number };
  /** Messages of an open chat (between `chat.open` and `chat.leave`) were added or changed (`upserted`) or dropped (`removedKeys`). */
  'messages.changed': { chatId: number; upserted: MessageView[]; removedKeys: string[]; hasOlder: boolean };
  /** Someone else is typing; hide it at `expiresAt` unless renewed. */
  /** `user` null: the chat's customer is typing. */
  typing: { chatId: number; user: UserRef | null; typing: boolean; expiresAt: number };
  connection: ConnectionState;
  /** Show an OS notification (the engine already applied the preference, focus and open-chat rules). */
  notification: { chatId: number; messageId: number; title: string; body: string; sound: boolean };
  'outbox.changed': { entries: OutboxEntryView[] };
  'session.changed': { session: SessionView | null; reason: 'login' | 'logout' | 'expired' | 'restored' };
  'upload.progress': UploadView;
  'preferences.changed': Preferences;
}

export type EventName = keyof BridgeEvents;
export type EventPayload<E extends EventName> = BridgeEvents[E];

/** Every request name, for bridges that must check what they forward. */
export const REQUEST_NAMES = [
  'session.login',
  'session.logout',
  'session.get',
  'desk.status',
  'desk.focus',
  'chats.list',
  'chats.get',
  'chat.open',
  'chat.leave',
  'chat.loadOlder',
  'chat.send',
  'chat.assignMe',
  'chat.close',
  'chat.transfer',
  'chat.markRead',
  'chat.hideMessage',
  'chat.typing',
  'chat.operators',
  'outbox.list',
  'outbox.retry',
  'outbox.discard',
  'uploads.add',
  'canned.search',
  'catalog.get',
  'preferences.get',
  'preferences.set',
  'attachments.open',
  ...ADMIN_REQUEST_NAMES,
] as const satisfies readonly RequestName[];

export const EVENT_NAMES = [
  'chats.changed',
  'messages.changed',
  'typing',
  'connection',
  'notification',
  'outbox.changed',
  'session.changed',
  'upload.progress',
  'preferences.changed',
] as const satisfies readonly EventName[];

// Compile-time completeness: adding a request or event without listing it fails the type check.
type Unlisted<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;
export const ALL_REQUESTS_LISTED: Unlisted<RequestName, (typeof REQUEST_NAMES)[number]> = true;
export const ALL_EVENTS_LISTED: Unlisted<EventName, (typeof EVENT_NAMES)[number]> = true;

export function isRequestName(name: unknown): name is RequestName {
  return REQUEST_NAMES.some((known) => known === name);
}

export function isEventName(name: unknown): name is EventName {
  return EVENT_NAMES.some((known) => known === name);
}

// ---------------------------------------------------------------------------------------------
// The two sides.

/** What the UI holds (window.switchboard in Electron, a WebSocket client in the browser). */
export interface BridgeClient {
  invoke<K extends RequestName>(name: K, args: Args<K>): Promise<Result<K>>;
  /** Returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** What the engine implements: one async handler per request. */
export type Handler<K extends RequestName> = (args: Args<K>) => Promise<Result<K>>;
export type BridgeHandlers = { [K in RequestName]: Handler<K> };

export type BridgeListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

// ---------------------------------------------------------------------------------------------
// Errors. A failed request rejects with a BridgeError; bridges carry it as `BridgeFailure`
// (plain data) and rebuild it on the other side with `fromBridgeFailure`.

export const BRIDGE_ERROR_CODES = [
  /** No session: log in first. */
  'not_signed_in',
  /** The server could not be reached and the request needs it. */
  'offline',
  /** The input was refused (by the engine or the server's 422): see `fields`. */
  'validation',
  /** The server no longer accepts the token; the session ended. */
  'unauthenticated',
  'forbidden',
  'not_found',
  'too_many_requests',
  'payload_too_large',
  /** The server failed (5xx) or answered something unexpected. */
  'server',
] as const;
export type BridgeErrorCode = (typeof BRIDGE_ERROR_CODES)[number];

export interface BridgeFailure {
  code: BridgeErrorCode;
  message: string;
  /** Field → messages, as the server's 422 `errors`. */
  fields?: Record<string, string[]>;
}

export class BridgeError extends Error {
  readonly code: BridgeErrorCode;
  readonly fields: Record<string, string[]> | undefined;

  constructor(code: BridgeErrorCode, message: string, fields?: Record<string, string[]>) {
    super(message);
    this.name = 'BridgeError';
    this.code = code;
    this.fields = fields;
  }

  toFailure(): BridgeFailure {
    return this.fields ? { code: this.code, message: this.message, fields: this.fields } : { code: this.code, message: this.message };
  }
}

export function isBridgeFailure(value: unknown): value is BridgeFailure {
  return (
    typeof value === 'object' &&
    value !== null &&
    'code' in value &&
    'message' in value &&
    typeof value.message === 'string' &&
    (BRIDGE_ERROR_CODES as readonly unknown[]).includes(value.code)
  );
}

/** Any thrown value as plain data a bridge can carry; unknown errors become `server` without internals. */
export function toBridgeFailure(error: unknown): BridgeFailure {
  if (error instanceof BridgeError) return error.toFailure();
  if (isBridgeFailure(error)) return error;
  return { code: 'server', message: 'Something went wrong in the desk engine.' };
}

export function fromBridgeFailure(failure: BridgeFailure): BridgeError {
  return new BridgeError(failure.code, failure.message, failure.fields);
}
