import type { Timestamp } from '../../../common/api';
import { formatTimestamp } from '../../../common/time';
import type { MessageKind } from '../../../common/widget-api';
import type { AttachmentRecord, CannedResponseRecord, ChatRecord, ContactRecord, MessageRecord, SourceRecord } from '../../domain/records';
import { readWidgetSettings, type WidgetSettings } from '../../domain/widget-settings';

// Domain records → the CRM module's wire shapes (bare objects, Rails' snake_case keys).

function maybeTime(ms: number | null): Timestamp | null {
  return ms === null ? null : formatTimestamp(ms);
}

function metadataText(metadata: Record<string, unknown>, key: string): string | null {
  const value = metadata[key];
  return typeof value === 'string' ? value : null;
}

export interface CrmSpace {
  id: number;
  token: string | null;
  widget_id: number;
  client_id: number | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  status: 'open' | 'closed';
  responsible_id: number | null;
  messages_count: number;
  last_message_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export const SPACE_KEYS = [
  'id', 'token', 'widget_id', 'client_id', 'name', 'email', 'phone', 'status', 'responsible_id', 'messages_count', 'last_message_at', 'created_at', 'updated_at',
] as const satisfies readonly (keyof CrmSpace)[];

type SpaceSource = Omit<ChatRecord, 'participant_ids'>;

export function presentSpace(chat: SpaceSource, messagesCount: number): CrmSpace {
  return {
    id: chat.id,
    token: chat.token,
    widget_id: chat.source_id,
    client_id: chat.contact_id,
    name: metadataText(chat.user_metadata, 'name'),
    email: metadataText(chat.user_metadata, 'email'),
    phone: metadataText(chat.user_metadata, 'phone'),
    status: chat.status === 'closed' ? 'closed' : 'open',
    responsible_id: chat.assigned_to,
    messages_count: messagesCount,
    last_message_at: maybeTime(chat.last_message_at),
    created_at: formatTimestamp(chat.created_at),
    updated_at: formatTimestamp(chat.updated_at),
  };
}

export interface CrmAttachment {
  id: number;
  name: string;
  mime_type: string;
  size: number;
  url: string;
}

/** A stored file is served at `/chat/attachments/{id}` with the CRM's auth; a customer's link is its own URL. */
export function presentAttachment(attachment: AttachmentRecord, baseUrl: string): CrmAttachment {
  const url = attachment.storage_path === null && attachment.external_url !== null ? attachment.external_url : `${baseUrl}/chat/attachments/${attachment.id}`;
  return { id: attachment.id, name: attachment.name, mime_type: attachment.mime_type, size: attachment.size, url };
}

export interface CrmMessage {
  id: number;
  space_id: number;
  space_token: string | null;
  widget_id: number;
  user_id: number | null;
  message: string | null;
  kind: MessageKind;
  attachments: CrmAttachment[];
  /** When the text was last edited; null when never (additive). */
  edited_at: Timestamp | null;
  /** Hidden by an operator: kept and shown to operators, never to the visitor (additive, as in v1). */
  is_hidden: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export const MESSAGE_KEYS = [
  'id', 'space_id', 'space_token', 'widget_id', 'user_id', 'message', 'kind', 'attachments', 'edited_at', 'is_hidden', 'created_at', 'updated_at',
] as const satisfies readonly (keyof CrmMessage)[];

export function presentMessage(message: MessageRecord, chat: Pick<ChatRecord, 'id' | 'token' | 'source_id'>, baseUrl: string): CrmMessage {
  return {
    id: message.id,
    space_id: chat.id,
    space_token: chat.token,
    widget_id: chat.source_id,
    user_id: message.sender_type === 'client' ? null : message.sender_id,
    message: message.text,
    kind: message.sender_type,
    attachments: message.attachments.map((attachment) => presentAttachment(attachment, baseUrl)),
    edited_at: maybeTime(message.edited_at),
    is_hidden: message.is_hidden,
    created_at: formatTimestamp(message.created_at),
    updated_at: formatTimestamp(message.updated_at),
  };
}

export type CrmWidget = { id: number; name: string; token: string | null } & WidgetSettings & { created_at: Timestamp; updated_at: Timestamp };

export function presentWidget(source: SourceRecord): CrmWidget {
  return {
    id: source.id,
    name: source.name,
    token: source.public_token,
    ...readWidgetSettings(source.settings),
    created_at: formatTimestamp(source.created_at),
    updated_at: formatTimestamp(source.updated_at),
  };
}

export interface CrmTemplate {
  id: number;
  name: string;
  code: string;
  content: string;
  widget_id: number | null;
  active: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export function presentTemplate(row: CannedResponseRecord): CrmTemplate {
  return {
    id: row.id,
    name: row.title,
    code: row.code,
    content: row.text,
    widget_id: row.source_id,
    active: row.is_active,
    created_at: formatTimestamp(row.created_at),
    updated_at: formatTimestamp(row.updated_at),
  };
}

export interface CrmClient {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  notes: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export function presentClient(contact: ContactRecord): CrmClient {
  return {
    id: contact.id,
    name: contact.name,
    email: contact.email,
    phone: contact.phone,
    company: contact.company,
    notes: contact.notes,
    created_at: formatTimestamp(contact.created_at),
    updated_at: formatTimestamp(contact.updated_at),
  };
}
