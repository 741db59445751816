import type { ChatStatus, SenderType, SourceType } from '../../../common/api';
import type { OutboxKind, OutboxState } from '../../../common/bridge';

// Row shapes of the cache, as SELECT * returns them. The cache's tests check these claims.

export interface ChatRecord {
  id: number;
  source_id: number;
  source_name: string;
  source_type: SourceType;
  department_id: number | null;
  department_name: string | null;
  external_user_id: string;
  user_metadata: string;
  title: string;
  search_text: string;
  status: ChatStatus;
  assigned_to: number | null;
  assignee_name: string | null;
  is_urgent: number;
  unread_count: number;
  waiting_since: number | null;
  last_message_at: number | null;
  latest_message_id: number | null;
  latest_message: string | null;
  activity_at: number;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  /** The linked CRM contact as the server's JSON, or null. */
  contact: string | null;
}

export interface MessageRecord {
  id: number;
  chat_id: number;
  sender_id: number | null;
  sender_type: SenderType;
  sender_name: string | null;
  text: string | null;
  payload: string;
  attachments: string;
  is_read: number;
  client_message_id: string | null;
  is_hidden: number;
  hidden_by_name: string | null;
  hidden_at: number | null;
  created_at: number;
  updated_at: number;
}

/** A message with the state of its outbox entry (pending messages only). */
export interface MessageWithOutbox extends MessageRecord {
  outbox_state: OutboxState | null;
  outbox_error: string | null;
}

export interface ChatSyncRecord {
  chat_id: number;
  synced_id: number;
  oldest_id: number | null;
  has_older: number;
}

export interface GapRecord {
  chat_id: number;
  upper_id: number;
  lower_id: number;
}

export type OutboxErrorKind = 'network' | 'server' | 'rate-limit' | 'refused';

export interface OutboxRecord {
  seq: number;
  id: string;
  chat_id: number;
  kind: OutboxKind;
  payload: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: number | null;
  error_kind: OutboxErrorKind | null;
  error: string | null;
  error_status: number | null;
  created_at: number;
  updated_at: number;
}

export interface UploadRecord {
  id: string;
  name: string;
  mime_type: string | null;
  size: number;
  local_path: string;
  server_path: string | null;
  state: 'queued' | 'uploading' | 'uploaded' | 'failed';
  error: string | null;
  created_at: number;
}

export interface CannedRecord {
  id: number;
  source_id: number | null;
  code: string;
  title: string;
  text: string;
  search_text: string;
}

export interface AttachmentRecord {
  id: number;
  message_id: number;
  name: string;
  mime_type: string;
  size: number;
  url: string | null;
  path: string | null;
  fetched_at: number | null;
}

/** What a cached message stores about each attachment (the server's shape, or an upload while pending). */
export interface StoredAttachment {
  id: number | null;
  name: string;
  mime_type: string;
  size: number;
  url: string | null;
  upload_id?: string;
}
