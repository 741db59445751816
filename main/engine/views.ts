import type { LatestMessage, UserMetadata } from '../../common/api';
import type { AttachmentView, ChatRow, ContactView, MessageState, MessageView, OutboxEntryView } from '../../common/bridge';
import { parseTimestamp } from '../../common/time';
import { attachmentLink } from './attachment-links';
import type { ChatRecord, MessageWithOutbox, OutboxRecord, StoredAttachment, UploadRecord } from './cache';

// Cache rows → what the bridge carries (common/bridge.ts).

function parseJson(json: string | null): unknown {
  if (json === null) return null;
  try {
    return JSON.parse(json);
  } catch {
    return null;
  }
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : {};
}

function isLatestMessage(value: unknown): value is LatestMessage {
  return typeof value === 'object' && value !== null && 'id' in value && 'sender_type' in value && 'created_at' in value;
}

export function outboxEntryView(record: OutboxRecord): OutboxEntryView {
  const payload = asObject(parseJson(record.payload));
  const view: OutboxEntryView = {
    id: record.id,
    chatId: record.chat_id,
    kind: record.kind,
    state: record.state,
    attempts: record.attempts,
    error: record.error,
    errorStatus: record.error_status,
    nextAttemptAt: record.next_attempt_at,
    createdAt: record.created_at,
  };
  if (record.kind === 'transfer' && typeof payload.assignedTo === 'number') view.assignedTo = payload.assignedTo;
  if (record.kind === 'hide' && typeof payload.messageId === 'number') view.messageId = payload.messageId;
  return view;
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The stored contact JSON as a view; anything malformed reads as no contact. */
function contactView(json: string | null): ContactView | null {
  const value = asObject(parseJson(json));
  if (typeof value.id !== 'number' || typeof value.name !== 'string') return null;
  return { id: value.id, name: value.name, email: textOrNull(value.email), phone: textOrNull(value.phone), company: textOrNull(value.company) };
}

export function chatRowView(record: ChatRecord, myUserId: number, outbox: OutboxRecord[]): ChatRow {
  const latest = parseJson(record.latest_message);
  const userMetadata: UserMetadata = asObject(parseJson(record.user_metadata));
  const sends = outbox.filter((entry) => entry.kind === 'send');
  return {
    id: record.id,
    title: record.title,
    externalUserId: record.external_user_id,
    userMetadata,
    source: { id: record.source_id, name: record.source_name, type: record.source_type },
    department: record.department_id === null || record.department_name === null ? null : { id: record.department_id, name: record.department_name },
    status: record.status,
    assignee: record.assigned_to === null ? null : { id: record.assigned_to, name: record.assignee_name ?? '' },
    assignedToMe: record.assigned_to === myUserId,
    isUrgent: record.is_urgent === 1,
    unreadCount: record.unread_count,
    waitingSince: record.waiting_since,
    lastMessageAt: record.last_message_at,
    lastMessage: isLatestMessage(latest)
      ? { id: latest.id, text: latest.is_hidden === true ? null : latest.text, senderType: latest.sender_type, createdAt: parseTimestamp(latest.created_at), hidden: latest.is_hidden === true }
      : null,
    createdAt: record.created_at,
    updatedAt: record.updated_at,
    closedAt: record.closed_at,
    contact: contactView(record.contact),
    pendingActions: outbox.filter((entry) => entry.kind !== 'send').map(outboxEntryView),
    outgoing: { pending: sends.filter((entry) => entry.state !== 'failed').length, failed: sends.filter((entry) => entry.state === 'failed').length },
  };
}

export function storedAttachments(json: string): StoredAttachment[] {
  const value = parseJson(json);
  if (!Array.isArray(value)) return [];
  return value.flatMap((item): StoredAttachment[] => {
    const record = asObject(item);
    if (typeof record.name !== 'string') return [];
    return [
      {
        id: typeof record.id === 'number' ? record.id : null,
        name: record.name,
        mime_type: typeof record.mime_type === 'string' ? record.mime_type : 'application/octet-stream',
        size: typeof record.size === 'number' ? record.size : 0,
        url: typeof record.url === 'string' ? record.url : null,
        ...(typeof record.upload_id === 'string' ? { upload_id: record.upload_id } : {}),
      },
    ];
  });
}

export function pendingAttachments(uploads: UploadRecord[]): StoredAttachment[] {
  return uploads.map((upload) => ({ id: null, name: upload.name, mime_type: upload.mime_type ?? 'application/octet-stream', size: upload.size, url: null, upload_id: upload.id }));
}

function messageState(record: MessageWithOutbox): MessageState {
  if (record.id > 0) return 'sent';
  switch (record.outbox_state) {
    case 'pending':
      return 'pending';
    case 'sending':
      return 'sending';
    case 'failed':
    case null:
      return 'failed';
    default: {
      const unreachable: never = record.outbox_state;
      throw new Error(`unknown outbox state ${String(unreachable)}`);
    }
  }
}

export function messageKey(record: { id: number; client_message_id: string | null }): string {
  return record.client_message_id ?? `m${record.id}`;
}

/** `serverUrl`: the server the desk signed in to; an attachment whose URL is elsewhere is a link (attachment-links.ts). */
export function messageView(record: MessageWithOutbox, myUserId: number, cachedAttachmentIds: ReadonlySet<number>, serverUrl: string): MessageView {
  const attachments: AttachmentView[] = storedAttachments(record.attachments).map((attachment) => {
    const link = attachmentLink(attachment.url, serverUrl);
    return {
      id: attachment.id,
      name: attachment.name,
      mimeType: attachment.mime_type,
      size: attachment.size,
      cached: link === undefined && attachment.id !== null && cachedAttachmentIds.has(attachment.id),
      ...(attachment.upload_id ? { uploadId: attachment.upload_id } : {}),
      ...(link ? { link } : {}),
    };
  });
  const state = messageState(record);
  return {
    key: messageKey(record),
    id: record.id,
    chatId: record.chat_id,
    senderType: record.sender_type,
    sender: record.sender_id === null ? null : { id: record.sender_id, name: record.sender_name ?? '' },
    text: record.text,
    attachments,
    isRead: record.is_read === 1,
    clientMessageId: record.client_message_id,
    own: record.sender_type === 'operator' && record.sender_id === myUserId,
    state,
    error: state === 'failed' ? (record.outbox_error ?? 'Not sent.') : null,
    payload: asObject(parseJson(record.payload)),
    hidden: record.is_hidden === 1 ? { byName: record.hidden_by_name, at: record.hidden_at } : null,
    createdAt: record.created_at,
  };
}
