import type { ChatStatus, DevicePlatform, Role, SenderType, SourceType } from '../../common/api';

// What the store returns and the domain works with: plain records with real booleans, parsed JSON
// and epoch-millisecond times. No wire format lives here; each dialect presents these its own way.

export type JsonObject = Record<string, unknown>;

export interface UserRecord {
  id: number;
  name: string;
  email: string;
  password_hash: string;
  is_active: boolean;
  phone: string | null;
  position: string | null;
  avatar: string | null;
  roles: Role[];
  source_ids: number[];
  department_ids: number[];
  created_at: number;
  updated_at: number;
}

export interface SourceRecord {
  id: number;
  name: string;
  type: SourceType;
  webhook_secret: string;
  public_token: string | null;
  settings: JsonObject;
  created_at: number;
  updated_at: number;
}

export interface DepartmentRecord {
  id: number;
  name: string;
  created_at: number;
  updated_at: number;
}

export interface ChatRecord {
  id: number;
  source_id: number;
  department_id: number | null;
  external_user_id: string;
  user_metadata: JsonObject;
  status: ChatStatus;
  assigned_to: number | null;
  is_urgent: boolean;
  token: string | null;
  title: string | null;
  description: string | null;
  type: string | null;
  created_by: number | null;
  /** The CRM contact this chat's customer is linked to, if any. */
  contact_id: number | null;
  last_message_id: number | null;
  last_message_at: number | null;
  last_activity_at: number;
  unread_count: number;
  waiting_since: number | null;
  closed_at: number | null;
  created_at: number;
  updated_at: number;
  /** Users who take part in the chat (created it, were assigned it, wrote in it, transferred it or had it transferred to them). */
  participant_ids: number[];
}

export interface NamedRef {
  id: number;
  name: string;
}

/** A chat with what a list shows beside it: its source, department, assignee and newest message. */
export interface ChatSummary extends Omit<ChatRecord, 'participant_ids'> {
  source: { id: number; name: string; type: SourceType };
  department: NamedRef | null;
  assignee: NamedRef | null;
  latest_message: { id: number; text: string | null; sender_type: SenderType; created_at: number; is_hidden: boolean } | null;
  /** The CRM contact the customer is linked to. */
  contact: ContactRef | null;
}

/** What a chat shows of its linked CRM contact. */
export interface ContactRef {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
}

export interface AttachmentRecord {
  id: number;
  message_id: number;
  name: string;
  mime_type: string;
  size: number;
  storage_path: string | null;
  external_url: string | null;
  created_at: number;
}

export interface MessageRecord {
  id: number;
  chat_id: number;
  sender_id: number | null;
  sender_type: SenderType;
  /** The sender's name when a user wrote it. */
  sender_name: string | null;
  text: string | null;
  payload: JsonObject;
  is_read: boolean;
  client_message_id: string | null;
  external_message_id: string | null;
  is_hidden: boolean;
  hidden_by: number | null;
  /** The name of who hid it, as `sender_name` is the sender's. */
  hidden_by_name: string | null;
  hidden_at: number | null;
  attachments: AttachmentRecord[];
  /** When its text was last edited (the CRM dialect edits messages); null when never. */
  edited_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface UploadRecord {
  id: string;
  user_id: number;
  path: string;
  original_name: string;
  mime_type: string;
  size: number;
  created_at: number;
  expires_at: number;
}

/** A file a website visitor uploaded to its space and has not sent yet (it has no user to own it). */
export interface VisitorUploadRecord {
  id: string;
  chat_id: number;
  path: string;
  original_name: string;
  mime_type: string;
  size: number;
  created_at: number;
  expires_at: number;
}

/** A login (one signed-in device) or a personal API token a user made for an integration. */
export type TokenKind = 'session' | 'personal';

export interface AccessTokenRecord {
  id: number;
  user_id: number;
  name: string;
  kind: TokenKind;
  token_hash: string;
  abilities: string[];
  last_used_at: number | null;
  expires_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface DeviceTokenRecord {
  id: number;
  user_id: number;
  token: string;
  platform: DevicePlatform;
  /** The session (access token) that registered it; null for a registration older than sessions. */
  access_token_id: number | null;
  created_at: number;
  updated_at: number;
}

export interface CannedResponseRecord {
  id: number;
  source_id: number | null;
  code: string;
  title: string;
  text: string;
  is_active: boolean;
  created_at: number;
  updated_at: number;
}

/** The CRM's client: a person or company a chat's customer may be linked to. */
export interface ContactRecord {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  notes: string | null;
  created_at: number;
  updated_at: number;
}
