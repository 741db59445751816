import type { ChatStatus } from '../../common/api';
import { jsonBoundsProblem } from '../../common/bounded-json';
import type { PatchChatBody, SendBody, TransferBody } from '../../common/schemas';
import type { Clock } from '../clock';
import type { FileStore } from '../files/file-store';
import type { ChatPatch, NewAttachment, Store, StoreQueries } from '../store/contract';
import type { ChatEvents } from './chat-events';
import { InvalidFieldError, NotAllowedError, NotVisibleError } from './errors';
import type { ChatRecord, ChatSummary, MessageRecord, UserRecord } from './records';
import { isOperator } from './roles';
import { ASSIGNED_TO_ANOTHER, authorizeChat, canView, updateGuard } from './visibility';

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
function statusAfterMessage(chat: ChatRecord, sender: 'client' | 'operator', assignedTo: number | null): ChatStatus {
  if (sender === 'client') {
    if (chat.status === 'closed') return assignedTo === null ? 'new' : 'active';
    return chat.status === 'pending' ? 'active' : chat.status;
  }
  return 'active';
}

/**
 * Whether a closed chat may open again: a customer has one open chat per source, and once they wrote
 * again (a new chat) the old one stays closed.
 */
async function mayReopen(tx: StoreQueries, chat: ChatRecord): Promise<boolean> {
  if (chat.status !== 'closed') return true;
  const open = await tx.chats.openForExternalUser(chat.source_id, chat.external_user_id);
  return !open || open.id === chat.id;
}

const REOPEN_REFUSED = 'This customer has a newer open chat.';

/** Thrown inside a transaction to roll it back when another writer already stored this webhook message. */
class DuplicateReceipt extends Error {}

/**
 * Every change to chats and messages, each in one transaction, followed by its events. All dialects
 * and the webhook call this; nothing else writes chats or messages. Returns domain records.
 */
export class ChatService {
  constructor(
    private readonly store: Store,
    private readonly files: FileStore,
    private readonly events: ChatEvents,
    private readonly clock: Clock,
  ) {}

  async chat(chatId: number): Promise<ChatSummary> {
    const chat = await this.store.chats.summary(chatId);
    if (!chat) throw new NotVisibleError('chat');
    return chat;
  }

  async message(messageId: number): Promise<MessageRecord> {
    const message = await this.store.messages.byId(messageId);
    if (!message) throw new NotVisibleError('message');
    return message;
  }

  /**
   * An operator's message. A repeated `client_message_id` returns the original (created: false)
   * whatever the body, as long as the user may still see the chat; the unique index decides which
   * of several identical sends at once (on any node) is the original.
   */
  async send(user: UserRecord, chatId: number, body: SendBody, socketId: string | null): Promise<{ message: MessageRecord; created: boolean }> {
    const moves: { from: string; to: string }[] = [];
    const clientMessageId = body.client_message_id ?? null;
    const repeatOf = (existing: MessageRecord) => {
      if (existing.chat_id !== chatId) {
        throw InvalidFieldError.field('client_message_id', 'The client message id has already been used for another chat.');
      }
      return { messageId: existing.id, created: false, chatChanged: false };
    };
    const outcome = await this.store.transaction(async (tx) => {
      await authorizeChat(tx, user, chatId, 'view');
      if (clientMessageId) {
        const existing = await tx.messages.byClientMessageId(user.id, clientMessageId);
        if (existing) return repeatOf(existing);
      }
      const chat = await authorizeChat(tx, user, chatId, 'update');
      const now = this.clock.now();
      const uploads = [];
      for (const [index, path] of (body.attachments ?? []).entries()) {
        const upload = await tx.uploads.pending(user.id, path, now);
        if (!upload) throw InvalidFieldError.field(`attachments.${index}`, `The selected attachments.${index} is invalid.`);
        uploads.push(upload);
      }
      const text = typeof body.text === 'string' && body.text.trim() !== '' ? body.text : null;
      const messageId = await tx.messages.insert({ chatId, senderId: user.id, senderType: 'operator', text, clientMessageId, isRead: true }, now);
      if (messageId === undefined) {
        // An identical send committed first; nothing of ours is written yet.
        const existing = clientMessageId ? await tx.messages.byClientMessageId(user.id, clientMessageId) : undefined;
        if (!existing) throw new Error('a message insert was skipped without a conflicting message');
        return repeatOf(existing);
      }
      for (const upload of uploads) {
        const to = this.files.attachmentPath(chatId, upload.path.split('.').pop() ?? 'bin');
        const attachment: NewAttachment = { name: upload.original_name, mimeType: upload.mime_type, size: upload.size, storagePath: to };
        await tx.messages.insertAttachment(messageId, attachment, now);
        await tx.uploads.consume(upload.id);
        moves.push({ from: upload.path, to });
      }
      await tx.chats.recordMessage(chatId, { id: messageId, sender_type: 'operator', created_at: now, is_read: true });
      // Replying takes the chat, as in Chatwoot: an answered chat is nobody's no longer. A reply to a
      // closed chat reopens it, unless the customer has written since in a newer chat.
      const assignedTo = chat.assigned_to ?? user.id;
      const status = (await mayReopen(tx, chat)) ? statusAfterMessage(chat, 'operator', assignedTo) : chat.status;
      const chatChanged = status !== chat.status || assignedTo !== chat.assigned_to;
      if (chatChanged) {
        const patch: ChatPatch = { status, assigned_to: assignedTo, ...(status === 'closed' ? {} : { closed_at: null }) };
        if (!(await tx.chats.update(chatId, patch, now, updateGuard(user)))) throw new NotAllowedError(ASSIGNED_TO_ANOTHER);
      }
      await tx.chats.addParticipants(chatId, [user.id]);
      // Files move inside the transaction: if a move fails, no row points at a missing file.
      this.moveAll(moves);
      return { messageId, created: true, chatChanged };
    });
    const message = await this.message(outcome.messageId);
    if (outcome.created) {
      const chat = await this.chat(chatId);
      await this.events.messageCreated(message, chat, socketId);
      if (outcome.chatChanged) await this.events.chatUpdated(chat, socketId);
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
  async receive(incoming: IncomingClientMessage): Promise<{ message: MessageRecord; chat: ChatSummary; created: boolean }> {
    const written: string[] = [];
    let outcome: { messageId: number; chatId: number; chatCreated: boolean; duplicate: boolean; chatChanged: boolean };
    try {
      outcome = await this.store.transaction(async (tx) => {
        if (incoming.externalMessageId) {
          const existing = await tx.messages.byReceipt(incoming.sourceId, incoming.externalMessageId);
          if (existing) return { messageId: existing.id, chatId: existing.chat_id, chatCreated: false, duplicate: true, chatChanged: false };
        }
        const now = this.clock.now();
        let chat = await tx.chats.openForExternalUser(incoming.sourceId, incoming.externalUserId);
        let chatCreated = false;
        if (!chat) {
          const id = await tx.chats.create(
            { sourceId: incoming.sourceId, externalUserId: incoming.externalUserId, userMetadata: incoming.userMetadata ?? {} },
            now,
          );
          chatCreated = id !== undefined;
          // No id: another writer opened this customer's chat at the same moment; theirs is the one.
          chat = id === undefined ? await tx.chats.openForExternalUser(incoming.sourceId, incoming.externalUserId) : await tx.chats.byId(id);
          if (!chat) throw new Error('the customer chat vanished inside its own transaction');
        } else if (incoming.userMetadata && Object.keys(incoming.userMetadata).length > 0) {
          // Each webhook's metadata is bounded; so is what they add up to, or new keys would grow a chat without end.
          // (What the store reads is in bounds: it reads older, out-of-bounds metadata as empty.)
          const merged = { ...chat.user_metadata, ...incoming.userMetadata };
          const problem = jsonBoundsProblem(merged);
          if (problem !== undefined) throw InvalidFieldError.field('user_metadata', problem.replace(':attribute', 'user metadata'));
          await tx.chats.update(chat.id, { user_metadata: merged }, now);
        }
        const messageId = await tx.messages.insert(
          { chatId: chat.id, senderId: null, senderType: 'client', text: incoming.text, externalMessageId: incoming.externalMessageId },
          now,
        );
        if (messageId === undefined) throw new Error('a customer message insert was skipped');
        if (incoming.externalMessageId && !(await tx.messages.addReceipt(incoming.sourceId, incoming.externalMessageId, messageId))) {
          throw new DuplicateReceipt();
        }
        for (const attachment of incoming.attachments) {
          let storagePath: string | null = null;
          if (attachment.content && attachment.ext) {
            storagePath = this.files.attachmentPath(chat.id, attachment.ext);
            this.files.write(storagePath, attachment.content);
            written.push(storagePath);
          }
          await tx.messages.insertAttachment(
            messageId,
            { name: attachment.name, mimeType: attachment.mimeType, size: attachment.size, storagePath, externalUrl: attachment.url },
            now,
          );
        }
        await tx.chats.recordMessage(chat.id, { id: messageId, sender_type: 'client', created_at: now, is_read: false });
        const status = statusAfterMessage(chat, 'client', chat.assigned_to);
        if (status !== chat.status) await tx.chats.update(chat.id, { status }, now);
        return { messageId, chatId: chat.id, chatCreated, duplicate: false, chatChanged: status !== chat.status };
      });
    } catch (error) {
      for (const path of written) this.files.remove(path);
      if (!(error instanceof DuplicateReceipt) || !incoming.externalMessageId) throw error;
      // The same channel message, stored meanwhile by another request (or node): answer with that one.
      const existing = await this.store.messages.byReceipt(incoming.sourceId, incoming.externalMessageId);
      if (!existing) throw error;
      outcome = { messageId: existing.id, chatId: existing.chat_id, chatCreated: false, duplicate: true, chatChanged: false };
    }
    const message = await this.message(outcome.messageId);
    const chat = await this.chat(outcome.chatId);
    if (!outcome.duplicate) {
      if (outcome.chatCreated) await this.events.chatCreated(chat, null);
      await this.events.messageCreated(message, chat, null);
      if (outcome.chatChanged) await this.events.chatUpdated(chat, null);
    }
    return { message, chat, created: !outcome.duplicate };
  }

  async assignToMe(user: UserRecord, chatId: number, socketId: string | null): Promise<ChatSummary> {
    const changed = await this.store.transaction(async (tx) => {
      const chat = await authorizeChat(tx, user, chatId, 'update');
      if (chat.assigned_to === user.id && chat.status !== 'closed' && chat.status !== 'new') return false;
      if (!(await mayReopen(tx, chat))) throw new NotAllowedError(REOPEN_REFUSED);
      if (!(await tx.chats.update(chatId, { assigned_to: user.id, status: 'active', closed_at: null }, this.clock.now(), updateGuard(user)))) {
        throw new NotAllowedError(ASSIGNED_TO_ANOTHER);
      }
      await tx.chats.addParticipants(chatId, [user.id]);
      return true;
    });
    if (changed) await this.events.audienceChanged(chatId);
    return this.afterUpdate(chatId, changed, socketId);
  }

  async close(user: UserRecord, chatId: number, socketId: string | null): Promise<ChatSummary> {
    const changed = await this.store.transaction(async (tx) => {
      const chat = await authorizeChat(tx, user, chatId, 'update');
      if (chat.status === 'closed') return false;
      const now = this.clock.now();
      if (!(await tx.chats.update(chatId, { status: 'closed', closed_at: now }, now, updateGuard(user)))) throw new NotAllowedError(ASSIGNED_TO_ANOTHER);
      return true;
    });
    return this.afterUpdate(chatId, changed, socketId);
  }

  async transfer(user: UserRecord, chatId: number, body: TransferBody, socketId: string | null): Promise<{ chat: ChatSummary; message: MessageRecord }> {
    const messageId = await this.store.transaction(async (tx) => {
      const chat = await authorizeChat(tx, user, chatId, 'update');
      const target = await tx.users.byId(body.assigned_to);
      if (!target || !target.is_active || !isOperator(target) || !canView(target, chat)) {
        throw InvalidFieldError.field('assigned_to', 'The selected assigned to is invalid.');
      }
      if (chat.assigned_to === target.id) {
        throw InvalidFieldError.field('assigned_to', 'The chat is already assigned to this operator.');
      }
      if (!(await mayReopen(tx, chat))) throw new NotAllowedError(REOPEN_REFUSED);
      const now = this.clock.now();
      const note = body.note && body.note !== '' ? body.note : null;
      const id = await tx.messages.insert(
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
      if (id === undefined) throw new Error('a system message insert was skipped');
      await tx.chats.recordMessage(chatId, { id, sender_type: 'system', created_at: now, is_read: true });
      if (!(await tx.chats.update(chatId, { assigned_to: target.id, status: 'transferred', closed_at: null }, now, updateGuard(user)))) {
        throw new NotAllowedError(ASSIGNED_TO_ANOTHER);
      }
      await tx.chats.addParticipants(chatId, [user.id, target.id]);
      return id;
    });
    await this.events.audienceChanged(chatId);
    const chat = await this.chat(chatId);
    const message = await this.message(messageId);
    // The system message is news to the operator who transferred too (they never wrote it), so it is
    // not withheld from their socket; the chat change is, since their REST answer carries it.
    await this.events.messageCreated(message, chat, null);
    await this.events.chatUpdated(chat, socketId);
    return { chat, message };
  }

  async update(user: UserRecord, chatId: number, body: PatchChatBody, socketId: string | null): Promise<ChatSummary> {
    let formerViewers: number[] = [];
    let moved = false;
    const changed = await this.store.transaction(async (tx) => {
      const chat = await authorizeChat(tx, user, chatId, 'update');
      const patch: ChatPatch = {};
      if (body.is_urgent !== undefined && body.is_urgent !== chat.is_urgent) patch.is_urgent = body.is_urgent;
      if (body.department_id !== undefined && body.department_id !== chat.department_id) {
        if (body.department_id !== null && !(await tx.catalog.department(body.department_id))) {
          throw InvalidFieldError.field('department_id', 'The selected department id is invalid.');
        }
        patch.department_id = body.department_id;
        formerViewers = await tx.users.viewersOf(chat);
        moved = true;
      }
      if (Object.keys(patch).length === 0) return false;
      if (!(await tx.chats.update(chatId, patch, this.clock.now(), updateGuard(user)))) throw new NotAllowedError(ASSIGNED_TO_ANOTHER);
      return true;
    });
    if (changed && moved) await this.events.audienceChanged(chatId);
    const chat = await this.chat(chatId);
    if (changed) await this.events.chatUpdated(chat, socketId, formerViewers);
    return chat;
  }

  async markRead(user: UserRecord, chatId: number, upToId: number | undefined, socketId: string | null): Promise<ChatSummary> {
    const changed = await this.store.transaction(async (tx) => {
      const chat = await authorizeChat(tx, user, chatId, 'view');
      const limit = upToId ?? chat.last_message_id ?? 0;
      return (await tx.chats.markRead(chatId, limit, this.clock.now())) > 0;
    });
    return this.afterUpdate(chatId, changed, socketId);
  }

  async typing(user: UserRecord, chatId: number, typing: boolean, socketId: string | null): Promise<void> {
    await authorizeChat(this.store, user, chatId, 'view');
    this.events.typing(chatId, { id: user.id, name: user.name }, typing, socketId);
  }

  private async afterUpdate(chatId: number, changed: boolean, socketId: string | null): Promise<ChatSummary> {
    const chat = await this.chat(chatId);
    if (changed) await this.events.chatUpdated(chat, socketId);
    return chat;
  }
}
