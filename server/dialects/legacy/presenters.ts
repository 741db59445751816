import { formatTimestamp } from '../../../common/time';
import type { ChatStatus } from '../../../common/api';
import type { ChatSummary, JsonObject, MessageRecord, UserRecord } from '../../domain/records';
import { highestRole } from '../../domain/roles';
import type { Store } from '../../store/contract';

// Domain records → the legacy document's shapes (spec/chat-api-legacy.ru.md, DESIGN §8.1).

export type LegacyChatStatus = 'active' | 'closed' | 'transferred' | 'pending';
export type LegacyMessageType = 'text' | 'file' | 'image' | 'system';

export interface LegacyUser {
  id: number;
  name: string;
  email: string;
  phone: string | null;
  position: string | null;
  avatar: string | null;
  role: 'admin' | 'moderator' | 'employee';
  department_id: number | null;
  is_active: boolean;
  created_at: string;
  updated_at: string;
}

/** The chats family's message. `is_hidden` is the one field beyond the document: a hidden message stays, marked. */
export interface LegacyChatMessage {
  id: number;
  message: string;
  type: LegacyMessageType;
  is_from_client: boolean;
  file_path: string | null;
  file_name: string | null;
  file_size: number | null;
  is_hidden: boolean;
  created_at: string;
  user: LegacyUser | null;
}

export interface LegacyChat {
  id: number;
  client_name: string | null;
  client_phone: string | null;
  client_email: string | null;
  status: LegacyChatStatus;
  created_at: string;
  updated_at: string;
  user: LegacyUser | null;
  assigned_user: LegacyUser | null;
}

export interface LegacyListedChat extends LegacyChat {
  messages_count: number;
  last_message?: LegacyChatMessage | null;
}

/** The messages family's message (the `/api/messages…` endpoints). */
export interface LegacyMessage {
  id: number;
  chat_id: number;
  user_id: number | null;
  content: string;
  type: LegacyMessageType;
  metadata: JsonObject | null;
  is_hidden: boolean;
  hidden_by: number | null;
  hidden_at: string | null;
  wazzup_message_id: string | null;
  direction: 'in' | 'out';
  status: 'delivered' | 'sent';
  created_at: string;
  updated_at: string;
  user: LegacyUser | null;
}

/** A v1 `new` chat (a customer wrote, nobody took it) is what the document calls `pending`. */
export function legacyStatus(status: ChatStatus): LegacyChatStatus {
  switch (status) {
    case 'new':
    case 'pending':
      return 'pending';
    case 'active':
    case 'closed':
    case 'transferred':
      return status;
    default: {
      const unreachable: never = status;
      throw new Error(`unknown chat status ${String(unreachable)}`);
    }
  }
}

/** The statuses a legacy status filter means. */
export function domainStatuses(status: LegacyChatStatus): ChatStatus[] {
  return status === 'pending' ? ['new', 'pending'] : [status];
}

export function legacyMessageType(message: MessageRecord): LegacyMessageType {
  if (message.sender_type === 'system') return 'system';
  const first = message.attachments[0];
  if (!first) return 'text';
  return first.mime_type.startsWith('image/') ? 'image' : 'file';
}

export function presentUser(user: UserRecord): LegacyUser {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    phone: user.phone,
    position: user.position,
    avatar: user.avatar,
    role: highestRole(user),
    department_id: user.department_ids[0] ?? null,
    is_active: user.is_active,
    created_at: formatTimestamp(user.created_at),
    updated_at: formatTimestamp(user.updated_at),
  };
}

function metadataText(metadata: JsonObject, key: string): string | null {
  const value = metadata[key];
  return typeof value === 'string' ? value : null;
}

/** The `metadata` a legacy client sent with a message (kept under `payload.metadata`). */
function messageMetadata(message: MessageRecord): JsonObject | null {
  const metadata = message.payload.metadata;
  return typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) ? { ...metadata } : null;
}

/**
 * Presents records in the legacy shapes, loading the users they name once per request (a page
 * names a handful of people many times).
 */
export class LegacyPresenter {
  private readonly users = new Map<number, Promise<UserRecord | undefined>>();

  constructor(
    private readonly store: Store,
    private readonly baseUrl: string,
  ) {}

  async user(id: number | null): Promise<LegacyUser | null> {
    if (id === null) return null;
    let pending = this.users.get(id);
    if (!pending) {
      pending = this.store.users.byId(id);
      this.users.set(id, pending);
    }
    const user = await pending;
    return user ? presentUser(user) : null;
  }

  async chat(chat: ChatSummary): Promise<LegacyChat> {
    return {
      id: chat.id,
      // An operator-created chat has a title and no customer; a customer's chat, their name.
      client_name: chat.title ?? metadataText(chat.user_metadata, 'name'),
      client_phone: metadataText(chat.user_metadata, 'phone'),
      client_email: metadataText(chat.user_metadata, 'email'),
      status: legacyStatus(chat.status),
      created_at: formatTimestamp(chat.created_at),
      updated_at: formatTimestamp(chat.updated_at),
      user: await this.user(chat.created_by),
      assigned_user: await this.user(chat.assigned_to),
    };
  }

  /** Chats of a list: each with `messages_count`, and its `last_message` when `withLastMessage`. */
  async listedChats(chats: ChatSummary[], withLastMessage: boolean): Promise<LegacyListedChat[]> {
    const ids = chats.map((chat) => chat.id);
    const counts = await this.store.messages.countsByChat(ids);
    const lastIds = chats.flatMap((chat) => (chat.last_message_id === null ? [] : [chat.last_message_id]));
    const last = withLastMessage ? new Map((await this.store.messages.byIds(lastIds)).map((message) => [message.id, message])) : new Map<number, MessageRecord>();
    const listed: LegacyListedChat[] = [];
    for (const chat of chats) {
      const item: LegacyListedChat = { ...(await this.chat(chat)), messages_count: counts.get(chat.id) ?? 0 };
      if (withLastMessage) {
        const message = chat.last_message_id === null ? undefined : last.get(chat.last_message_id);
        item.last_message = message ? await this.chatMessage(message) : null;
      }
      listed.push(item);
    }
    return listed;
  }

  async chatMessage(message: MessageRecord): Promise<LegacyChatMessage> {
    const file = message.attachments[0];
    return {
      id: message.id,
      message: message.text ?? '',
      type: legacyMessageType(message),
      is_from_client: message.sender_type === 'client',
      // Served with the same auth as every legacy call; a customer's link stays the link it was.
      file_path: file ? (file.storage_path === null && file.external_url !== null ? file.external_url : `${this.baseUrl}/api/attachments/${file.id}`) : null,
      file_name: file?.name ?? null,
      file_size: file ? file.size : null,
      is_hidden: message.is_hidden,
      created_at: formatTimestamp(message.created_at),
      user: await this.user(message.sender_id),
    };
  }

  async message(message: MessageRecord): Promise<LegacyMessage> {
    const incoming = message.sender_type === 'client';
    return {
      id: message.id,
      chat_id: message.chat_id,
      user_id: message.sender_id,
      content: message.text ?? '',
      type: legacyMessageType(message),
      metadata: messageMetadata(message),
      is_hidden: message.is_hidden,
      hidden_by: message.hidden_by,
      hidden_at: message.hidden_at === null ? null : formatTimestamp(message.hidden_at),
      wazzup_message_id: message.external_message_id,
      direction: incoming ? 'in' : 'out',
      // Customers' channels tell us nothing about what they read: an outgoing message is `sent`.
      status: incoming ? 'delivered' : 'sent',
      created_at: formatTimestamp(message.created_at),
      updated_at: formatTimestamp(message.updated_at),
      user: await this.user(message.sender_id),
    };
  }
}
