import type {
  ApiAttachment,
  ApiCannedResponse,
  ApiChat,
  ApiDevice,
  ApiMessage,
  ApiUser,
  UserMetadata,
} from '../../common/api';
import { formatTimestamp } from '../../common/time';
import type { Store } from '../store';
import type { AttachmentRow, CannedResponseRow, ChatListRow, DeviceTokenRow, MessageListRow, UserRecord } from '../store/rows';

// Row → wire. The same functions serve REST answers and realtime payloads, so a client
// that upserts by id sees identical objects from both.

function maybeTime(ms: number | null): string | null {
  return ms === null ? null : formatTimestamp(ms);
}

function parseObject(json: string): Record<string, unknown> {
  const value: unknown = JSON.parse(json);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : {};
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

export function presentChat(row: ChatListRow): ApiChat {
  const metadata: UserMetadata = parseObject(row.user_metadata);
  return {
    id: row.id,
    source_id: row.source_id,
    department_id: row.department_id,
    external_user_id: row.external_user_id,
    user_metadata: metadata,
    status: row.status,
    assigned_to: row.assigned_to,
    source: { id: row.source_id, name: row.source_name, type: row.source_type },
    department: row.department_id === null || row.department_name === null ? null : { id: row.department_id, name: row.department_name },
    assignee: row.assigned_to === null || row.assignee_name === null ? null : { id: row.assigned_to, name: row.assignee_name },
    latest_message:
      row.last_message_id === null || row.latest_sender_type === null || row.latest_created_at === null
        ? null
        : {
            id: row.last_message_id,
            text: row.latest_text,
            sender_type: row.latest_sender_type,
            created_at: formatTimestamp(row.latest_created_at),
          },
    is_urgent: row.is_urgent === 1,
    unread_count: row.unread_count,
    waiting_since: maybeTime(row.waiting_since),
    last_message_at: maybeTime(row.last_message_at),
    last_activity_at: formatTimestamp(row.last_activity_at),
    closed_at: maybeTime(row.closed_at),
    created_at: formatTimestamp(row.created_at),
    updated_at: formatTimestamp(row.updated_at),
  };
}

export function presentAttachment(row: AttachmentRow, baseUrl: string): ApiAttachment {
  return {
    id: row.id,
    name: row.name,
    mime_type: row.mime_type,
    size: row.size,
    url: row.storage_path === null && row.external_url !== null ? row.external_url : `${baseUrl}/api/v1/attachments/${row.id}`,
  };
}

export function presentMessage(row: MessageListRow, attachments: AttachmentRow[], baseUrl: string): ApiMessage {
  return {
    id: row.id,
    chat_id: row.chat_id,
    sender_id: row.sender_id,
    sender_type: row.sender_type,
    sender: row.sender_type === 'operator' && row.sender_id !== null ? { id: row.sender_id, name: row.sender_name ?? '' } : null,
    text: row.text,
    payload: parseObject(row.payload),
    attachments: attachments.map((a) => presentAttachment(a, baseUrl)),
    is_read: row.is_read === 1,
    client_message_id: row.client_message_id,
    created_at: formatTimestamp(row.created_at),
    updated_at: formatTimestamp(row.updated_at),
  };
}

/** Messages with their attachments, loaded in one query. */
export function presentMessages(store: Store, rows: MessageListRow[], baseUrl: string): ApiMessage[] {
  const attachments = store.messages.attachmentsOf(rows.map((r) => r.id));
  return rows.map((row) => presentMessage(row, attachments.get(row.id) ?? [], baseUrl));
}

export function presentCannedResponse(row: CannedResponseRow): ApiCannedResponse {
  return {
    id: row.id,
    source_id: row.source_id,
    code: row.code,
    title: row.title,
    text: row.text,
    is_active: row.is_active === 1,
  };
}

export function presentDevice(row: DeviceTokenRow): ApiDevice {
  return { id: row.id, token: row.token, platform: row.platform };
}
