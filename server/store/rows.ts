import type { ChatStatus, DevicePlatform, SenderType, SourceType } from '../../common/api';

// Row shapes as both backends store them: booleans 0/1, JSON columns as text, times as epoch ms.
// Only server/store/queries/ sees these; it turns them into the domain's records.

export interface UserRow {
  id: number;
  name: string;
  email: string;
  password_hash: string;
  is_active: number;
  phone: string | null;
  position: string | null;
  avatar: string | null;
  created_at: number;
  updated_at: number;
}

export interface SourceRow {
  id: number;
  name: string;
  type: SourceType;
  webhook_secret: string;
  public_token: string | null;
  settings: string;
  created_at: number;
  updated_at: number;
}

export interface DepartmentRow {
  id: number;
  name: string;
  created_at: number;
  updated_at: number;
}

export interface ChatRow {
  id: number;
  source_id: number;
  department_id: number | null;
  external_user_id: string;
  user_metadata: string;
  status: ChatStatus;
  assigned_to: number | null;
  is_urgent: number;
  token: string | null;
  title: string | null;
  description: string | null;
  type: string | null;
  created_by: number | null;
  last_message_id: number | null;
  last_message_at: number | null;
  last_activity_at: number;
  unread_count: number;
  waiting_since: number | null;
  closed_at: number | null;
  created_at: number;
  updated_at: number;
}

/** A chat joined with what its list representation shows. */
export interface ChatListRow extends ChatRow {
  source_name: string;
  source_type: SourceType;
  department_name: string | null;
  assignee_name: string | null;
  latest_text: string | null;
  latest_sender_type: SenderType | null;
  latest_created_at: number | null;
}

export interface MessageRow {
  id: number;
  chat_id: number;
  sender_id: number | null;
  sender_type: SenderType;
  text: string | null;
  payload: string;
  is_read: number;
  client_message_id: string | null;
  external_message_id: string | null;
  is_hidden: number;
  hidden_by: number | null;
  hidden_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface MessageListRow extends MessageRow {
  sender_name: string | null;
}

export interface AttachmentRow {
  id: number;
  message_id: number;
  name: string;
  mime_type: string;
  size: number;
  storage_path: string | null;
  external_url: string | null;
  created_at: number;
}

export interface UploadRow {
  id: string;
  user_id: number;
  path: string;
  original_name: string;
  mime_type: string;
  size: number;
  created_at: number;
  expires_at: number;
}

export interface AccessTokenRow {
  id: number;
  user_id: number;
  name: string;
  token_hash: string;
  abilities: string;
  last_used_at: number | null;
  expires_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface DeviceTokenRow {
  id: number;
  user_id: number;
  token: string;
  platform: DevicePlatform;
  created_at: number;
  updated_at: number;
}

export interface CannedResponseRow {
  id: number;
  source_id: number | null;
  code: string;
  title: string;
  text: string;
  is_active: number;
  created_at: number;
  updated_at: number;
}
