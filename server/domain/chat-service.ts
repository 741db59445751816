import type { ApiChat, ApiMessage, ChatStatus } from '../../common/api';
import type { PatchChatBody, SendBody, TransferBody } from '../../common/schemas';
import { isOperator } from '../auth/authenticator';
import type { FileStore } from '../files/file-store';
import { NotFoundError, ValidationError } from '../http/errors';
import type { Store } from '../store';
import type { ChatPatch } from '../store/chats';
import type { NewAttachment } from '../store/messages';
import type { ChatRow, UserRecord } from '../store/rows';
import { authorizeChat, canView } from './access';
import type { ChatEvents } from './chat-events';
import { presentChat, presentMessages } from './presenters';

export interface IncomingAttachment {
  name: string;
  mimeType: string;
  size: number;
  /** Bytes to store (already type-checked), or a remote URL kept as a link. */
  content: Uint8Array | null;
  ext: string | null;
  url: string | null;
}

export interface IncomingClientMessage {
  sourceId: number;
  externalUserId: string;
  userMetadata: Record<string, unknown> | undefined;
  text: string | null;
  attachments: IncomingAttachment[];
  externalMessageId: string | null;
}

/** Status after a message: clients reopen closed chats; operators make a chat active. */
function statusAfterMessage(chat: ChatRow, sender: 'client' | 'operator', assignedTo: number | null): ChatStatus {
  if (sender === 'client') {
    if (chat.status === 'closed') return assignedTo === null ? 'new' : 'active';
    return chat.status === 'pending' ? 'active' : chat.status;
  }
  return 'active';
}

/**
 * Every change to chats and messages, each in one transaction, followed by its realtime events.
 * Routes (all dialects) and the webhook call this; nothing else writes chats or messages.
 */
export class ChatService {
  constructor(
    private readonly store: Store,
    private readonly files: FileStore,
    private readonly events: ChatEvents,
    private readonly baseUrl: () => string,
    private readonly now: () => number = Date.now,
  ) {}

  chat(chatId: number): ApiChat {
    const row = this.store.chats.listRow(chatId);
    if (!row) throw new NotFoundError();
    return presentChat(row);
  }

  message(messageId: number): ApiMessage {
    const row = this.store.messages.byId(messageId);
    if (!row) throw new NotFoundError();
    const [message] = presentMessages(this.store, [row], this.baseUrl());
    if (!message) throw new NotFoundError();
    return message;
  }

  /**
   * An operator's message. A repeated `client_message_id` returns the original (created: false)
   * whatever the body, as long as the user may still see the chat.
   */
  send(user: UserRecord, chatId: number, body: SendBody, socketId: string | null): { message: ApiMessage; created: boolean } {
    const moves: { from: string; to: string }[] = [];
    const outcome = this.store.transaction(() => {
      authorizeChat(this.store, user, chatId, 'view');
      if (body.client_message_id) {
        const existing = this.store.messages.byClientMessageId(user.id, body.client_message_id);
        if (existing) {
          if (existing.chat_id !== chatId) {
            throw ValidationError.field('client_message_id', 'The client message id has already been used for another chat.');
          }
          return { messageId: existing.id, created: false, chatChanged: false };
        }
      }
      const chat = authorizeChat(this.store, user, chatId, 'update');
      const uploads = (body.attachments ?? []).map((path, index) => {
        const upload = this.store.uploads.pending(user.id, path, this.now());
        if (!upload) throw ValidationError.field(`attachments.${index}`, `The selected attachments.${index} is invalid.`);
        return upload;
      });
      const now = this.now();
      const text = typeof body.text === 'string' && body.text.trim() !== '' ? body.text : null;
      const messageId = this.store.messages.insert(
        { chatId, senderId: user.id, senderType: 'operator', text, clientMessageId: body.client_message_id ?? null, isRead: true },
        now,
      );
      for (const upload of uploads) {
        const to = this.files.attachmentPath(chatId, upload.path.split('.').pop() ?? 'bin');
        const attachment: NewAttachment = { name: upload.original_name, mimeType: upload.mime_type, size: upload.size, storagePath: to };
        this.store.messages.insertAttachment(messageId, attachment, now);
        this.store.uploads.consume(upload.id);
        moves.push({ from: upload.path, to });
      }
      this.store.chats.recordMessage(chatId, { id: messageId, sender_type: 'operator', created_at: now, is_read: true });
      // Replying takes the chat, as in Chatwoot: an answered chat is nobody's no longer.
      const assignedTo = chat.assigned_to ?? user.id;
      const status = statusAfterMessage(chat, 'operator', assignedTo);
      const chatChanged = status !== chat.status || assignedTo !== chat.assigned_to;
      if (chatChanged) this.store.chats.update(chatId, { status, assigned_to: assignedTo, closed_at: null }, now);
      // Files move inside the transaction: if a move fails, no row points at a missing file.
      this.moveAll(moves);
      return { messageId, created: true, chatChanged };
    });
    const message = this.message(outcome.messageId);
    if (outcome.created) {
      const chat = this.chat(chatId);
      this.events.messageCreated(message, chat, socketId);
      if (outcome.chatChanged) this.events.chatUpdated(chat, socketId);
    }
    return { message, created: outcome.created };
  }

  private moveAll(moves: { from: string; to: string }[]): void {
    const done: { from: string; to: string }[] = [];
    try {
      for (const move of moves) {
        this.files.move(move.from, move.to);
        done.push(move);
      }
    } catch (error) {
      for (const move of done.reverse()) this.files.move(move.to, move.from);
      throw error;
    }
  }

  /** A customer's message from a channel: into their open chat on that source, or a new one. */
  receive(incoming: IncomingClientMessage): { message: ApiMessage; chat: ApiChat; created: boolean } {
    const written: string[] = [];
    let outcome: { messageId: number; chatId: number; chatCreated: boolean; duplicate: boolean; chatChanged: boolean };
    try {
      outcome = this.store.transaction(() => {
        if (incoming.externalMessageId) {
          const existing = this.store.messages.byReceipt(incoming.sourceId, incoming.externalMessageId);
          if (existing) return { messageId: existing.id, chatId: existing.chat_id, chatCreated: false, duplicate: true, chatChanged: false };
        }
        const now = this.now();
        let chat = this.store.chats.openForExternalUser(incoming.sourceId, incoming.externalUserId);
        const chatCreated = !chat;
        if (!chat) {
          const id = this.store.chats.create(
            { sourceId: incoming.sourceId, externalUserId: incoming.externalUserId, userMetadata: incoming.userMetadata ?? {} },
            now,
          );
          chat = this.store.chats.byId(id);
          if (!chat) throw new Error('chat vanished inside its own transaction');
        } else if (incoming.userMetadata && Object.keys(incoming.userMetadata).length > 0) {
          const current: unknown = JSON.parse(chat.user_metadata);
          const merged = { ...(typeof current === 'object' && current !== null ? current : {}), ...incoming.userMetadata };
          this.store.chats.update(chat.id, { user_metadata: JSON.stringify(merged) }, now);
        }
        const messageId = this.store.messages.insert(
          { chatId: chat.id, senderId: null, senderType: 'client', text: incoming.text, externalMessageId: incoming.externalMessageId },
          now,
        );
        if (incoming.externalMessageId) this.store.messages.addReceipt(incoming.sourceId, incoming.externalMessageId, messageId);
        for (const attachment of incoming.attachments) {
          let storagePath: string | null = null;
          if (attachment.content && attachment.ext) {
            storagePath = this.files.attachmentPath(chat.id, attachment.ext);
            this.files.write(storagePath, attachment.content);
            written.push(storagePath);
          }
          this.store.messages.insertAttachment(
            messageId,
            { name: attachment.name, mimeType: attachment.mimeType, size: attachment.size, storagePath, externalUrl: attachment.url },
            now,
          );
        }
        this.store.chats.recordMessage(chat.id, { id: messageId, sender_type: 'client', created_at: now, is_read: false });
        const status = statusAfterMessage(chat, 'client', chat.assigned_to);
        if (status !== chat.status) this.store.chats.update(chat.id, { status }, now);
        return { messageId, chatId: chat.id, chatCreated, duplicate: false, chatChanged: status !== chat.status };
      });
    } catch (error) {
      for (const path of written) this.files.remove(path);
      throw error;
    }
    const message = this.message(outcome.messageId);
    const chat = this.chat(outcome.chatId);
    if (!outcome.duplicate) {
      if (outcome.chatCreated) this.events.chatCreated(chat, null);
      this.events.messageCreated(message, chat, null);
      if (outcome.chatChanged) this.events.chatUpdated(chat, null);
    }
    return { message, chat, created: !outcome.duplicate };
  }

  assignToMe(user: UserRecord, chatId: number, socketId: string | null): ApiChat {
    const changed = this.store.transaction(() => {
      const chat = authorizeChat(this.store, user, chatId, 'update');
      if (chat.assigned_to === user.id && chat.status !== 'closed' && chat.status !== 'new') return false;
      this.store.chats.update(chatId, { assigned_to: user.id, status: 'active', closed_at: null }, this.now());
      return true;
    });
    return this.afterUpdate(chatId, changed, socketId);
  }

  close(user: UserRecord, chatId: number, socketId: string | null): ApiChat {
    const changed = this.store.transaction(() => {
      const chat = authorizeChat(this.store, user, chatId, 'update');
      if (chat.status === 'closed') return false;
      const now = this.now();
      this.store.chats.update(chatId, { status: 'closed', closed_at: now }, now);
      return true;
    });
    return this.afterUpdate(chatId, changed, socketId);
  }

  transfer(user: UserRecord, chatId: number, body: TransferBody, socketId: string | null): { chat: ApiChat; message: ApiMessage } {
    const messageId = this.store.transaction(() => {
      const chat = authorizeChat(this.store, user, chatId, 'update');
      const target = this.store.users.byId(body.assigned_to);
      if (!target || target.is_active !== 1 || !isOperator(target) || !canView(target, chat)) {
        throw ValidationError.field('assigned_to', 'The selected assigned to is invalid.');
      }
      if (chat.assigned_to === target.id) {
        throw ValidationError.field('assigned_to', 'The chat is already assigned to this operator.');
      }
      const now = this.now();
      const note = body.note && body.note !== '' ? body.note : null;
      const id = this.store.messages.insert(
        {
          chatId,
          senderId: user.id,
          senderType: 'system',
          text: `${user.name} transferred the chat to ${target.name}${note ? `: ${note}` : '.'}`,
          payload: { type: 'transfer', from_user_id: user.id, to_user_id: target.id, previous_assignee_id: chat.assigned_to, note },
          isRead: true,
        },
        now,
      );
      this.store.chats.recordMessage(chatId, { id, sender_type: 'system', created_at: now, is_read: true });
      this.store.chats.update(chatId, { assigned_to: target.id, status: 'transferred', closed_at: null }, now);
      return id;
    });
    const chat = this.chat(chatId);
    const message = this.message(messageId);
    // The system message is news to the operator who transferred too (they never wrote it), so it is
    // not withheld from their socket; the chat change is, since their REST answer carries it.
    this.events.messageCreated(message, chat, null);
    this.events.chatUpdated(chat, socketId);
    return { chat, message };
  }

  update(user: UserRecord, chatId: number, body: PatchChatBody, socketId: string | null): ApiChat {
    let formerViewers: number[] = [];
    const changed = this.store.transaction(() => {
      const chat = authorizeChat(this.store, user, chatId, 'update');
      const patch: ChatPatch = {};
      if (body.is_urgent !== undefined && (body.is_urgent ? 1 : 0) !== chat.is_urgent) patch.is_urgent = body.is_urgent ? 1 : 0;
      if (body.department_id !== undefined && body.department_id !== chat.department_id) {
        if (body.department_id !== null && !this.store.catalog.department(body.department_id)) {
          throw ValidationError.field('department_id', 'The selected department id is invalid.');
        }
        patch.department_id = body.department_id;
        formerViewers = this.events.viewersOf(chat);
      }
      if (Object.keys(patch).length === 0) return false;
      this.store.chats.update(chatId, patch, this.now());
      return true;
    });
    const chat = this.chat(chatId);
    if (changed) this.events.chatUpdated(chat, socketId, formerViewers);
    return chat;
  }

  markRead(user: UserRecord, chatId: number, upToId: number | undefined, socketId: string | null): ApiChat {
    const changed = this.store.transaction(() => {
      const chat = authorizeChat(this.store, user, chatId, 'view');
      const limit = upToId ?? chat.last_message_id ?? 0;
      return this.store.chats.markRead(chatId, limit, this.now()) > 0;
    });
    return this.afterUpdate(chatId, changed, socketId);
  }

  typing(user: UserRecord, chatId: number, typing: boolean, socketId: string | null): void {
    authorizeChat(this.store, user, chatId, 'view');
    this.events.typing(chatId, { id: user.id, name: user.name }, typing, socketId);
  }

  private afterUpdate(chatId: number, changed: boolean, socketId: string | null): ApiChat {
    const chat = this.chat(chatId);
    if (changed) this.events.chatUpdated(chat, socketId);
    return chat;
  }
}
