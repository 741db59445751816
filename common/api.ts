// Wire types of the v1 API (`/api/v1`), shared by the server (which produces them)
// and the desk (which consumes them). Field names follow the spec exactly.

export const ROLES = ['admin', 'moderator', 'employee'] as const;
export type Role = (typeof ROLES)[number];

export const SOURCE_TYPES = ['widget', 'telegram', 'vk', 'whatsapp', 'email', 'api'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export const CHAT_STATUSES = ['new', 'active', 'pending', 'transferred', 'closed'] as const;
export type ChatStatus = (typeof CHAT_STATUSES)[number];

export const SENDER_TYPES = ['client', 'operator', 'system'] as const;
export type SenderType = (typeof SENDER_TYPES)[number];

export const DEVICE_PLATFORMS = ['ios', 'android', 'desktop', 'web'] as const;
export type DevicePlatform = (typeof DEVICE_PLATFORMS)[number];

export const CHAT_TABS = ['my', 'unassigned', 'all'] as const;
export type ChatTab = (typeof CHAT_TABS)[number];

/** Laravel's timestamp format: `2026-02-17T10:00:00.000000Z`. */
export type Timestamp = string;

export interface ApiUser {
  id: number;
  name: string;
  email: string;
  roles: Role[];
  source_ids: number[];
  department_ids: number[];
}

export interface UserRef {
  id: number;
  name: string;
}

export interface SourceRef {
  id: number;
  name: string;
  type: SourceType;
}

export interface DepartmentRef {
  id: number;
  name: string;
}

export interface ApiAttachment {
  id: number;
  name: string;
  mime_type: string;
  size: number;
  /** Absolute URL, served with the same Bearer auth as the API. */
  url: string;
}

export interface ApiMessage {
  id: number;
  chat_id: number;
  sender_id: number | null;
  sender_type: SenderType;
  /** Operators only: who wrote it. */
  sender: UserRef | null;
  text: string | null;
  payload: Record<string, unknown>;
  attachments: ApiAttachment[];
  is_read: boolean;
  client_message_id: string | null;
  /** Hidden (spam, abuse) by someone who outranks the author: it stays in the history, marked, and desks show it collapsed. */
  is_hidden: boolean;
  hidden_by: UserRef | null;
  hidden_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface LatestMessage {
  id: number;
  /** Null for an attachment-only message, and for a hidden one. */
  text: string | null;
  sender_type: SenderType;
  created_at: Timestamp;
  /** Extension: the message was hidden (its text is left out). Servers older than hiding omit it. */
  is_hidden?: boolean;
}

export interface UserMetadata {
  name?: string;
  email?: string;
  phone?: string;
  [key: string]: unknown;
}

export interface ApiChat {
  id: number;
  source_id: number;
  department_id: number | null;
  external_user_id: string;
  user_metadata: UserMetadata;
  status: ChatStatus;
  assigned_to: number | null;
  source: SourceRef;
  department: DepartmentRef | null;
  assignee: UserRef | null;
  latest_message: LatestMessage | null;
  is_urgent: boolean;
  /** Extension: client messages not yet read. */
  unread_count: number;
  /** Extension: oldest client message not yet answered by an operator. */
  waiting_since: Timestamp | null;
  /** Extension: time of the newest message, or null for an empty chat. */
  last_message_at: Timestamp | null;
  /** Extension: what the chat list is ordered by (a message, an assignment, a status change; reading is not activity). */
  last_activity_at: Timestamp;
  closed_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Extension: the CRM contact the customer is linked to (matched by e-mail or phone, or linked by hand), or null. */
  contact: ApiContactRef | null;
}

export interface ApiContactRef {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
}

export interface ApiCannedResponse {
  id: number;
  source_id: number | null;
  code: string;
  title: string;
  text: string;
  is_active: boolean;
}

export interface ApiDevice {
  id: number;
  token: string;
  platform: DevicePlatform;
}

export interface ApiUpload {
  path: string;
  original_name: string;
  mime_type: string;
  size: number;
}

export interface PaginationLinks {
  first: string;
  last: string;
  prev: string | null;
  next: string | null;
}

export interface PaginationMeta {
  current_page: number;
  from: number | null;
  last_page: number;
  path: string;
  per_page: number;
  to: number | null;
  total: number;
}

export interface Paginated<T, M = PaginationMeta> {
  data: T[];
  links: PaginationLinks;
  meta: M;
}

export interface ChatCounts {
  my: number;
  unassigned: number;
  all: number;
}

/** `sync_cursor`: pass it as `updated_since` to get only what changed after this answer (opaque). */
export type ChatListResponse = Paginated<ApiChat, PaginationMeta & { counts: ChatCounts; sync_cursor: string }>;

/** A chat that left the caller's view (moved to a source or department they do not see, or deleted). */
export interface RemovedChat {
  id: number;
  removed: true;
}

/**
 * `GET /chats?updated_since=…`: the chats changed since the cursor, oldest change first, in keyset
 * pages (Laravel's cursor paginator: `next_cursor` while more follow). `sync_cursor` is what to ask
 * with next time; `reset` says the cursor no longer fits the caller (their sources or roles changed):
 * this scan lists every chat they see, and a chat held that it does not list has left their view.
 */
export interface ChatChangesResponse {
  data: (ApiChat | RemovedChat)[];
  links: { first: null; last: null; prev: null; next: string | null };
  meta: { path: string; per_page: number; next_cursor: string | null; prev_cursor: null; sync_cursor: string; reset: boolean };
}

/** `GET /chats/messages?ids=…`: the newest messages of each chat asked for that the caller sees (newest first). */
export interface ChatMessagesBatchResponse {
  data: { chat_id: number; messages: ApiMessage[] }[];
  /** Asked for, but not there for the caller (no such chat, or not visible). */
  meta: { missing: number[] };
}

/** How many chats one `GET /chats/messages` may ask for. */
export const MESSAGES_BATCH_MAX_CHATS = 100;

export interface ApiConfig {
  name: string;
  version: string;
  realtime: {
    broadcaster: 'reverb';
    app_id: string;
    key: string;
    host: string;
    port: number;
    scheme: 'http' | 'https';
    /** Path of the Pusher endpoint, the key appended: `/app/{key}`. */
    path: string;
    auth_endpoint: string;
    activity_timeout: number;
  };
  limits: {
    message_max_length: number;
    upload_max_bytes: number;
    upload_mime_types: string[];
    messages_per_minute: number;
    messages_page_max: number;
    chats_page_max: number;
  };
}

export const ERROR_CODES = [
  'VALIDATION_ERROR',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'TOO_MANY_REQUESTS',
  'PAYLOAD_TOO_LARGE',
  'METHOD_NOT_ALLOWED',
  /** A request the HTTP layer cannot serve as sent: malformed, an unknown method, too slow to arrive, a Range outside the file. */
  'BAD_REQUEST',
  'SERVER_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorBody {
  message: string;
  code: ErrorCode;
  errors?: Record<string, string[]>;
}

export const MESSAGE_MAX_LENGTH = 4000;
export const MESSAGES_PAGE_DEFAULT = 50;
export const MESSAGES_PAGE_MAX = 100;
export const CHATS_PAGE_DEFAULT = 20;
export const CHATS_PAGE_MAX = 100;
