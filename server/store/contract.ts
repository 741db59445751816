import type { ChatStatus, ChatTab, DevicePlatform, Role, SenderType, SourceType } from '../../common/api';
import type {
  AccessTokenRecord,
  AttachmentRecord,
  CannedResponseRecord,
  ChatRecord,
  ContactRecord,
  ChatSummary,
  DepartmentRecord,
  DeviceTokenRecord,
  JsonObject,
  MessageRecord,
  SourceRecord,
  TokenKind,
  UploadRecord,
  UserRecord,
  VisitorUploadRecord,
} from '../domain/records';

// The store contract: everything the server keeps, as async methods returning domain records.
// Two backends implement it with the same SQL (server/store/queries/): SQLite embedded (the default)
// and PostgreSQL (SWITCHBOARD_DATABASE_URL=postgres://…). Correctness comes from the database's
// constraints, never from running in one process.

export type Dialect = 'sqlite' | 'postgres';

/** The SQL form of who sees which chat (common/visibility.ts is the predicate form). */
export type ChatScope =
  | { kind: 'everything' }
  | { kind: 'limited'; userId: number; sourceIds: number[]; departmentIds: number[] };

export interface ChatListFilter {
  scope: ChatScope;
  userId: number;
  tab: ChatTab;
  /** `open` = every status but `closed`; a list: any of these. */
  status?: 'open' | ChatStatus | readonly ChatStatus[];
  sourceId?: number;
  /** Only chats of sources of this type (the CRM's spaces are the chats of widgets). */
  sourceType?: SourceType;
  departmentId?: number;
  search?: string;
}

export interface ChatListPage {
  rows: ChatSummary[];
  total: number;
  counts: Record<ChatTab, number>;
}

export interface NewChat {
  sourceId: number;
  departmentId?: number | null;
  externalUserId: string;
  userMetadata: JsonObject;
  status?: ChatStatus;
  assignedTo?: number | null;
  isUrgent?: boolean;
  token?: string | null;
  createdBy?: number | null;
  /** An operator-created chat (the legacy dialect's `POST /api/chats`). */
  title?: string | null;
  description?: string | null;
  type?: string | null;
}

export interface ChatPatch {
  status?: ChatStatus;
  assigned_to?: number | null;
  is_urgent?: boolean;
  department_id?: number | null;
  closed_at?: number | null;
  user_metadata?: JsonObject;
}

/**
 * A conditional update: applied only while the chat is unassigned or assigned to `userId`
 * (the update right of a non-admin), so two operators racing for one chat cannot both win.
 */
export interface UpdateGuard {
  unassignedOr: number;
}

export interface NewMessage {
  chatId: number;
  senderId: number | null;
  senderType: SenderType;
  text: string | null;
  payload?: JsonObject;
  clientMessageId?: string | null;
  externalMessageId?: string | null;
  isRead?: boolean;
}

export interface NewAttachment {
  name: string;
  mimeType: string;
  size: number;
  storagePath: string | null;
  externalUrl?: string | null;
}

export interface NewUser {
  name: string;
  email: string;
  passwordHash: string;
  roles: Role[];
  sourceIds?: number[];
  departmentIds?: number[];
  isActive?: boolean;
  phone?: string | null;
  position?: string | null;
}

/** What an administrator may change of an account; absent keys stay. */
export interface UserPatch {
  name?: string;
  email?: string;
  roles?: Role[];
  sourceIds?: number[];
  departmentIds?: number[];
}

export interface UserListFilter {
  /** Part of the name or e-mail, ignoring case. */
  search?: string;
  role?: Role;
  isActive?: boolean;
}

/** A department with how much refers to it. */
export interface DepartmentUsage extends DepartmentRecord {
  users_count: number;
  chats_count: number;
}

export interface CannedResponseInput {
  source_id: number | null;
  code: string;
  title: string;
  text: string;
  is_active: boolean;
}

export interface CannedResponseFilter {
  /** 'all' for admins; otherwise templates of these sources plus the ones for every source. */
  visibleSourceIds: number[] | 'all';
  sourceId?: number;
  q?: string;
  includeInactive: boolean;
}

export interface UserQueries {
  byId(id: number): Promise<UserRecord | undefined>;
  byEmail(email: string): Promise<UserRecord | undefined>;
  count(): Promise<number>;
  create(user: NewUser, now: number): Promise<number>;
  setActive(id: number, active: boolean, now: number): Promise<void>;
  setPasswordHash(id: number, passwordHash: string, now: number): Promise<void>;
  /** Active users who see a chat of this placement, or take part in chat `chatId`: the audience of its per-user events. */
  viewersOf(chat: { id: number; source_id: number; department_id: number | null }): Promise<number[]>;
  /** Active admins and moderators, for the transfer picker. */
  operators(): Promise<UserRecord[]>;
  /** One page of every account (active or not), by name. */
  list(filter: UserListFilter, page: number, perPage: number): Promise<{ rows: UserRecord[]; total: number }>;
  /** Replaces the given fields (a list replaces the whole list); false when there is no such user. */
  update(id: number, patch: UserPatch, now: number): Promise<boolean>;
  /** Active users with the admin role. */
  activeAdminCount(): Promise<number>;
}

export interface TokenQueries {
  create(userId: number, name: string, tokenHash: string, expiresAt: number | null, now: number, kind?: TokenKind): Promise<number>;
  /** A user's tokens of one kind, oldest first. */
  listOf(userId: number, kind: TokenKind): Promise<AccessTokenRecord[]>;
  /** Every token of a user, whatever its kind (deactivation ends them all). */
  idsOf(userId: number): Promise<number[]>;
  byId(id: number): Promise<AccessTokenRecord | undefined>;
  /** Which of these tokens still exist (are not revoked). */
  existing(ids: readonly number[]): Promise<Set<number>>;
  byHash(tokenHash: string): Promise<AccessTokenRecord | undefined>;
  touch(id: number, now: number): Promise<void>;
  revoke(id: number): Promise<void>;
}

export interface DeviceQueries {
  /**
   * Registers a device token for a session (one row per token; again by the same user: updated, and
   * tied to this session). A token another user's live session holds is left alone: undefined.
   * Once that session is over (logged out, revoked, expired, user deactivated) anyone may take it.
   */
  register(session: { userId: number; accessTokenId: number }, token: string, platform: DevicePlatform, now: number): Promise<DeviceTokenRecord | undefined>;
  removeForUser(userId: number, token: string): Promise<boolean>;
}

export interface ChatQueries {
  byId(id: number): Promise<ChatRecord | undefined>;
  summary(id: number): Promise<ChatSummary | undefined>;
  /** One page of the chat list, newest activity first, with the totals the tab badges need. */
  list(filter: ChatListFilter, page: number, perPage: number): Promise<ChatListPage>;
  /**
   * A new chat. For a customer chat (`source`, `external user`) at most one is open at a time: when
   * another writer created it first, this returns undefined and `openForExternalUser` finds theirs.
   */
  create(chat: NewChat, now: number): Promise<number | undefined>;
  /** The chat of this customer on this source that is not closed. */
  openForExternalUser(sourceId: number, externalUserId: string): Promise<ChatRecord | undefined>;
  /** Returns whether the row changed (false when a guard did not hold). */
  update(id: number, patch: ChatPatch, now: number, guard?: UpdateGuard): Promise<boolean>;
  /** Keeps the denormalised columns in step with a message just written to this chat. */
  recordMessage(chatId: number, message: { id: number; sender_type: SenderType; created_at: number; is_read: boolean }): Promise<void>;
  /** Marks client messages up to `upToId` read; returns how many changed. */
  markRead(chatId: number, upToId: number, now: number): Promise<number>;
  addParticipants(chatId: number, userIds: number[]): Promise<void>;
  /** The chat of a widget space, by its space token. */
  byToken(token: string): Promise<ChatRecord | undefined>;
  /** Deletes the chat with its messages; the storage paths of the files it held (to remove), or undefined when there was no such chat. */
  delete(id: number): Promise<string[] | undefined>;
  /** Recomputes the latest message, unread count and waiting time from the messages the chat still holds. */
  refreshLatest(chatId: number, now: number): Promise<void>;
  /** Links the chat to a contact, or unlinks it (null); false when the chat does not exist. */
  setContact(chatId: number, contactId: number | null, now: number): Promise<boolean>;
}

export interface MessageQueries {
  byId(id: number): Promise<MessageRecord | undefined>;
  /** Newest first; `beforeId` pages towards older messages (keyset, never offset). */
  page(chatId: number, beforeId: number | null, limit: number): Promise<MessageRecord[]>;
  byClientMessageId(senderId: number, clientMessageId: string): Promise<MessageRecord | undefined>;
  byReceipt(sourceId: number, externalMessageId: string): Promise<MessageRecord | undefined>;
  /** False when another message already holds this receipt (the caller rolls back and returns that one). */
  addReceipt(sourceId: number, externalMessageId: string, messageId: number): Promise<boolean>;
  /** The new id, or undefined when the sender already has a message with this `clientMessageId`. */
  insert(message: NewMessage, now: number): Promise<number | undefined>;
  insertAttachment(messageId: number, attachment: NewAttachment, now: number): Promise<number>;
  attachmentWithChat(id: number): Promise<(AttachmentRecord & { chat_id: number }) | undefined>;
  /** These messages (any that exist), oldest first. */
  byIds(ids: readonly number[]): Promise<MessageRecord[]>;
  /** How many messages each of these chats holds (a chat without any is absent). */
  countsByChat(chatIds: readonly number[]): Promise<Map<number, number>>;
  /** Oldest first, by offset: for dialects whose clients page by page number. */
  oldestFirst(chatId: number, offset: number, limit: number): Promise<MessageRecord[]>;
  /** Replaces a message's text and records when; false when there is no such message. */
  editText(id: number, text: string, now: number): Promise<boolean>;
  /** Deletes a message with its attachments; their storage paths (to remove), or undefined when there was none. */
  delete(id: number): Promise<string[] | undefined>;
  /** Marks the message changed (an attachment was added). */
  touch(id: number, now: number): Promise<void>;
  /** Marks a message hidden by `userId`; false when it already was (the first hide is kept). */
  hide(id: number, userId: number, now: number): Promise<boolean>;
}

export interface UploadQueries {
  create(upload: UploadRecord): Promise<void>;
  /** A pending upload of this user that has not expired. */
  pending(userId: number, path: string, now: number): Promise<UploadRecord | undefined>;
  consume(id: string): Promise<void>;
  /** Removes expired uploads and returns them so their files can be deleted. */
  takeExpired(now: number): Promise<UploadRecord[]>;
}

/** What a website visitor's space keeps beyond its chat and messages. */
export interface SpaceQueries {
  /** The visitor's message in this space with this `client_message_id`. */
  messageByClientId(chatId: number, clientMessageId: string): Promise<MessageRecord | undefined>;
  /** A visitor's message; undefined when the space already holds one with this `clientMessageId`. */
  insertVisitorMessage(chatId: number, text: string | null, clientMessageId: string | null, now: number): Promise<number | undefined>;
  /** The messages a visitor sees (its own and the operators', none hidden) with ids above `afterId`, oldest first. */
  visibleMessages(chatId: number, afterId: number, limit: number): Promise<MessageRecord[]>;
  /** The newest `limit` messages a visitor sees, oldest first. */
  latestVisibleMessages(chatId: number, limit: number): Promise<MessageRecord[]>;
  createUpload(upload: VisitorUploadRecord): Promise<void>;
  /** A pending upload of this space that has not expired. */
  pendingUpload(chatId: number, id: string, now: number): Promise<VisitorUploadRecord | undefined>;
  consumeUpload(id: string): Promise<void>;
  /** Removes expired visitor uploads and returns them so their files can be deleted. */
  takeExpiredUploads(now: number): Promise<VisitorUploadRecord[]>;
  /** The id up to which the visitor has read the operators' messages (0: none). */
  readUpTo(chatId: number): Promise<number>;
  /** Moves the visitor's read mark forward to `upToId`; false when it already was there or beyond. */
  markRead(chatId: number, upToId: number, now: number): Promise<boolean>;
}

export interface CatalogQueries {
  source(id: number): Promise<SourceRecord | undefined>;
  /** The oldest source of this type. */
  sourceOfType(type: SourceType): Promise<SourceRecord | undefined>;
  createSource(source: { name: string; type: SourceType; webhookSecret: string; publicToken?: string | null }, now: number): Promise<number>;
  /** Every source, widgets included, oldest first. */
  sources(): Promise<SourceRecord[]>;
  /** False when there is no such source. */
  renameSource(id: number, name: string, now: number): Promise<boolean>;
  /** The secret webhooks are verified against from now on; false when there is no such source. */
  setWebhookSecret(id: number, secret: string, now: number): Promise<boolean>;
  department(id: number): Promise<DepartmentRecord | undefined>;
  createDepartment(name: string, now: number): Promise<number>;
  /** Every department with its users and chats counted, by name. */
  departments(): Promise<DepartmentUsage[]>;
  departmentUsage(id: number): Promise<DepartmentUsage | undefined>;
  renameDepartment(id: number, name: string, now: number): Promise<boolean>;
  deleteDepartment(id: number): Promise<boolean>;
  cannedResponse(id: number): Promise<CannedResponseRecord | undefined>;
  cannedResponses(filter: CannedResponseFilter): Promise<CannedResponseRecord[]>;
  createCannedResponse(input: CannedResponseInput, now: number): Promise<number>;
  updateCannedResponse(id: number, input: Partial<CannedResponseInput>, now: number): Promise<void>;
  deleteCannedResponse(id: number): Promise<boolean>;
}

export interface ContactInput {
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  notes: string | null;
}

export interface ContactQueries {
  byId(id: number): Promise<ContactRecord | undefined>;
  /** Oldest first; `search` matches name, e-mail, phone or company, ignoring case. */
  list(page: number, perPage: number, search?: string): Promise<{ rows: ContactRecord[]; total: number }>;
  create(input: ContactInput, now: number): Promise<number>;
  /** False when the contact does not exist. */
  update(id: number, patch: Partial<ContactInput>, now: number): Promise<boolean>;
  /** Chats linked to it are unlinked (ON DELETE SET NULL). */
  delete(id: number): Promise<boolean>;
  /** The oldest contact with this e-mail (ignoring case), else with this phone (by its digits). */
  findByEmailOrPhone(email: string | null | undefined, phone: string | null | undefined): Promise<ContactRecord | undefined>;
}

export interface NewWidget {
  name: string;
  webhookSecret: string;
  publicToken: string;
  settings: JsonObject;
}

export interface WidgetPatch {
  name?: string;
  settings?: JsonObject;
  publicToken?: string;
}

/** Sources of type `widget`; every method ignores sources of other types. */
export interface WidgetQueries {
  byId(id: number): Promise<SourceRecord | undefined>;
  byToken(token: string): Promise<SourceRecord | undefined>;
  /** Oldest first, of these sources ('all' for admins). */
  list(sourceIds: readonly number[] | 'all', page: number, perPage: number): Promise<{ rows: SourceRecord[]; total: number }>;
  create(widget: NewWidget, now: number): Promise<number>;
  /** False when there is no such widget. */
  update(id: number, patch: WidgetPatch, now: number): Promise<boolean>;
  /** How many chats (spaces) the widget holds. */
  chatCount(id: number): Promise<number>;
  delete(id: number): Promise<boolean>;
}

/** Everything that may run inside one transaction. */
export interface StoreQueries {
  users: UserQueries;
  tokens: TokenQueries;
  devices: DeviceQueries;
  chats: ChatQueries;
  messages: MessageQueries;
  uploads: UploadQueries;
  catalog: CatalogQueries;
  spaces: SpaceQueries;
  contacts: ContactQueries;
  widgets: WidgetQueries;
}

export type CountedTable = 'messages' | 'chats' | 'attachments' | 'uploads' | 'source_receipts' | 'device_tokens' | 'access_tokens' | 'users';

/** What tests read to prove a request changed (or did not change) what is stored; nothing in the server calls it. */
export interface StoreTestingFacet {
  count(table: CountedTable): Promise<number>;
  chatIdByExternalUser(externalUserId: string): Promise<number | undefined>;
  /** Every chat's placement, assignee and status, by id. */
  chatFacts(): Promise<{ id: number; source_id: number; department_id: number | null; assigned_to: number | null; status: ChatStatus }[]>;
  /** Message ids and read flags of one chat, oldest first. */
  messageFacts(chatId: number): Promise<{ id: number; is_read: boolean }[]>;
  messageTexts(chatId?: number): Promise<string[]>;
  /** Customer messages whose external id starts with `prefix`, with their chat's source, oldest first. */
  messagesByExternalIdPrefix(prefix: string): Promise<{ source_id: number; sender_type: SenderType; text: string | null }[]>;
  messagesWithClientMessageId(clientMessageId: string): Promise<number>;
  tokenHashes(): Promise<string[]>;
  tokenLastUsedAt(tokenId: number): Promise<number | null | undefined>;
  deviceOwner(token: string): Promise<{ user_id: number; platform: DevicePlatform } | undefined>;
  /** Makes a device token's row one written before registrations were tied to sessions (migration 005). */
  forgetDeviceSession(token: string): Promise<void>;
  attachmentStoragePath(attachmentId: number): Promise<string | null | undefined>;
  /** Writes `text` as a chat's stored metadata, as is (a row an older server or a broken writer left). */
  writeRawUserMetadata(chatId: number, text: string): Promise<void>;
}

export interface Store extends StoreQueries {
  readonly dialect: Dialect;
  /** Runs `work` in one transaction: everything or nothing. `work` must use the queries it is given. */
  transaction<T>(work: (tx: StoreQueries) => Promise<T>): Promise<T>;
  /** Answers when the database does (for health checks). */
  ping(): Promise<void>;
  /**
   * Runs `work` while no other server on this database runs work under the same `name` (one-time
   * jobs at boot, such as seeding, that must not run twice or interleave across nodes).
   */
  serialized<T>(name: string, work: () => Promise<T>): Promise<T>;
  /**
   * Copies the whole database to `file` while it stays in use (SQLite's online backup). PostgreSQL
   * refuses: pg_dump is the tool there.
   */
  backup(file: string): Promise<void>;
  readonly testing: StoreTestingFacet;
  close(): Promise<void>;
}
