import type { ApiAttachment, ApiCannedResponse, ApiChat, ApiDevice, ApiMessage, ApiUser } from '../../../common/api';
import { formatTimestamp } from '../../../common/time';
import type { AttachmentRecord, CannedResponseRecord, ChatSummary, DeviceTokenRecord, MessageRecord, UserRecord } from '../../domain/records';

// Domain record → v1 wire. The same functions serve REST answers and realtime payloads, so a client
// that upserts by id sees identical objects from both.

function maybeTime(ms: number | null): string | null {
  return ms === null ? null : formatTimestamp(ms);
}

export function presentUser(user: UserRecord): ApiUser {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    roles: user.roles,
    source_ids: user.source_ids,
    department_ids: user.department_ids,
  };
}

export function presentChat(chat: ChatSummary): ApiChat {
  return {
    id: chat.id,
    source_id: chat.source_id,
    department_id: chat.department_id,
    external_user_id: chat.external_user_id,
    user_metadata: chat.user_metadata,
    status: chat.status,
    assigned_to: chat.assigned_to,
    source: chat.source,
    department: chat.department,
    assignee: chat.assignee,
    latest_message: chat.latest_message && { ...chat.latest_message, created_at: formatTimestamp(chat.latest_message.created_at) },
    is_urgent: chat.is_urgent,
    unread_count: chat.unread_count,
    waiting_since: maybeTime(chat.waiting_since),
    last_message_at: maybeTime(chat.last_message_at),
    last_activity_at: formatTimestamp(chat.last_activity_at),
    closed_at: maybeTime(chat.closed_at),
    created_at: formatTimestamp(chat.created_at),
    updated_at: formatTimestamp(chat.updated_at),
    contact: chat.contact,
  };
}

export function presentAttachment(attachment: AttachmentRecord, baseUrl: string): ApiAttachment {
  return {
    id: attachment.id,
    name: attachment.name,
    mime_type: attachment.mime_type,
    size: attachment.size,
    url:
      attachment.storage_path === null && attachment.external_url !== null ? attachment.external_url : `${baseUrl}/api/v1/attachments/${attachment.id}`,
  };
}

export function presentMessage(message: MessageRecord, baseUrl: string): ApiMessage {
  // Most messages were never edited: one formatting for both (a first sync presents a hundred thousand).
  const createdAt = formatTimestamp(message.created_at);
  return {
    id: message.id,
    chat_id: message.chat_id,
    sender_id: message.sender_id,
    sender_type: message.sender_type,
    sender: message.sender_type === 'operator' && message.sender_id !== null ? { id: message.sender_id, name: message.sender_name ?? '' } : null,
    text: message.text,
    payload: message.payload,
    attachments: message.attachments.map((a) => presentAttachment(a, baseUrl)),
    is_read: message.is_read,
    client_message_id: message.client_message_id,
    is_hidden: message.is_hidden,
    hidden_by: message.hidden_by === null ? null : { id: message.hidden_by, name: message.hidden_by_name ?? '' },
    hidden_at: maybeTime(message.hidden_at),
    created_at: createdAt,
    updated_at: message.updated_at === message.created_at ? createdAt : formatTimestamp(message.updated_at),
  };
}

export function presentCannedResponse(row: CannedResponseRecord): ApiCannedResponse {
  return { id: row.id, source_id: row.source_id, code: row.code, title: row.title, text: row.text, is_active: row.is_active };
}

export function presentDevice(row: DeviceTokenRecord): ApiDevice {
  return { id: row.id, token: row.token, platform: row.platform };
}
