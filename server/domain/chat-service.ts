import { randomBytes, randomUUID } from 'node:crypto';
import type { ChatStatus } from '../../common/api';
import { jsonBoundsProblem } from '../../common/bounded-json';
import type { PatchChatBody, SendBody, TransferBody } from '../../common/schemas';
import { characterCount } from '../../common/text-length';
import type { Clock } from '../clock';
import type { FileStore } from '../files/file-store';
import type { ChatPatch, NewAttachment, Store, StoreQueries } from '../store/contract';
import type { ChatEvents } from './chat-events';
import { customerDetailsOf, matchContact } from './contacts';
import { InvalidFieldError, NotAllowedError, NotVisibleError } from './errors';
import type { ChatRecord, ChatSummary, JsonObject, MessageRecord, UserRecord } from './records';
import { isAdmin, isOperator, rankOf, RANKS } from './roles';
import { ASSIGNED_TO_ANOTHER, authorizeChat, canUpdate, canView, scopeOf, updateGuard } from './visibility';

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

/**
 * Status after a message: clients reopen closed chats (a widget space too); operators make a chat active, except that a
 * transferred chat shows `transferred` until its new assignee replies (DESIGN §8.1) — an admin
 * writing in meanwhile does not take that from them.
 */
export function statusAfterMessage(chat: ChatRecord, sender: 'client' | { operatorId: number }, assignedTo: number | null): ChatStatus {
  if (sender === 'client') {
    if (chat.status === 'closed') return assignedTo === null ? 'new' : 'active';
    return chat.status === 'pending' ? 'active' : chat.status;
  }
  if (chat.status === 'transferred' && assignedTo !== null && assignedTo !== sender.operatorId) return 'transferred';
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

export const OPERATOR_CHAT_TYPES = ['support', 'sales', 'general'] as const;
export type OperatorChatType = (typeof OPERATOR_CHAT_TYPES)[number];

/** A chat an operator opens themselves (the legacy dialect's `POST /api/chats`), with no customer behind it yet. */
export interface NewOperatorChat {
  title: string;
  description: string | null;
  type: OperatorChatType;
  assignedTo: number | null;
  departmentId: number | null;
}

/** Who a transfer may go to: v1's desk hands chats to operators; the legacy dialect to employees too. */
export type TransferTargets = 'operators' | 'anyone';

/**
 * Whether `target` may be handed the chat: an active operator who sees it (a chat does not leave its
 * sources' team by a transfer), or, where employees take chats, an active employee: they have no
 * sources, so being assigned is how they come to take part.
 */
function mayReceive(target: UserRecord, chat: ChatRecord, targets: TransferTargets): boolean {
  if (!target.is_active) return false;
  if (isOperator(target)) return canView(target, chat);
  return targets === 'anyone';
}

export const SEARCH_MIN_LENGTH = 2;

/** A message's author's rank: customers lowest; a staff message whose author is gone ranks as the lowest staff. */
async function authorRank(tx: StoreQueries, message: MessageRecord): Promise<number> {
  if (message.sender_type === 'client') return RANKS.customer;
  const author = message.sender_id === null ? undefined : await tx.users.byId(message.sender_id);
  return author ? rankOf(author) : RANKS.employee;
}

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
  async send(
    user: UserRecord,
    chatId: number,
    body: SendBody,
    socketId: string | null,
    payload: JsonObject = {},
  ): Promise<{ message: MessageRecord; created: boolean }> {
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
      const messageId = await tx.messages.insert({ chatId, senderId: user.id, senderType: 'operator', text, payload, clientMessageId, isRead: true }, now);
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
      const status = (await mayReopen(tx, chat)) ? statusAfterMessage(chat, { operatorId: user.id }, assignedTo) : chat.status;
      const chatChanged = status !== chat.status || assignedTo !== chat.assigned_to;
      if (chatChanged) {
        const patch: ChatPatch = { status, assigned_to: assignedTo, ...(status === 'closed' ? {} : { closed_at: null }) };
        if (!(await tx.chats.update(chatId, patch, now, updateGuard(user)))) throw new NotAllowedError(ASSIGNED_TO_ANOTHER);
      }
      await tx.chats.addParticipants(chatId, [user.id]);
      // Files move inside the transaction: if a move fails, no row points at a missing file.
      await this.files.moveAll(moves);
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
        // A customer whose e-mail or phone a CRM contact holds is linked to it (once; a link made by hand stays).
        if (incoming.userMetadata) await matchContact(tx, chat, customerDetailsOf({ ...chat.user_metadata, ...incoming.userMetadata }), now);
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
            await this.files.write(storagePath, attachment.content);
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
      await this.files.discard(written);
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

  async transfer(
    user: UserRecord,
    chatId: number,
    body: TransferBody,
    socketId: string | null,
    targets: TransferTargets = 'operators',
  ): Promise<{ chat: ChatSummary; message: MessageRecord }> {
    const messageId = await this.store.transaction(async (tx) => {
      const chat = await authorizeChat(tx, user, chatId, 'update');
      const target = await tx.users.byId(body.assigned_to);
      if (!target || !mayReceive(target, chat, targets)) {
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
    const { changed, limit } = await this.store.transaction(async (tx) => {
      const chat = await authorizeChat(tx, user, chatId, 'view');
      const limit = upToId ?? chat.last_message_id ?? 0;
      return { changed: (await tx.chats.markRead(chatId, limit, this.clock.now())) > 0, limit };
    });
    // The customer's side hears that its messages were read (the widget's read ticks).
    if (changed) this.events.messagesRead(chatId, 'operator', limit, socketId);
    return this.afterUpdate(chatId, changed, socketId);
  }

  async typing(user: UserRecord, chatId: number, typing: boolean, socketId: string | null): Promise<void> {
    await authorizeChat(this.store, user, chatId, 'view');
    this.events.typing(chatId, { id: user.id, name: user.name }, typing, socketId);
  }

  /**
   * A channel customer is typing (their source's webhook says so): told to the operators of their
   * open chat, nothing stored. Undefined when they have no open chat, so there is nobody to tell.
   */
  async customerTyping(sourceId: number, externalUserId: string, typing: boolean): Promise<number | undefined> {
    const chat = await this.store.chats.openForExternalUser(sourceId, externalUserId);
    if (!chat) return undefined;
    this.events.typing(chat.id, null, typing, null);
    return chat.id;
  }

  /**
   * A chat an operator opens (no customer wrote): on the source of type `api`, made on first use.
   * Its external user id is unique, so the one-open-chat-per-customer index never joins two of them;
   * its title is also the metadata's name, which is what every desk and dialect shows for a chat.
   */
  async createChat(user: UserRecord, input: NewOperatorChat, socketId: string | null): Promise<ChatSummary> {
    const chatId = await this.store.transaction(async (tx) => {
      const errors: Record<string, string[]> = {};
      if (input.assignedTo !== null) {
        const assignee = await tx.users.byId(input.assignedTo);
        if (!assignee || !assignee.is_active) errors.assigned_to = ['The selected assigned to is invalid.'];
      }
      if (input.departmentId !== null && !(await tx.catalog.department(input.departmentId))) {
        errors.department_id = ['The selected department id is invalid.'];
      }
      if (Object.keys(errors).length > 0) throw new InvalidFieldError(errors);
      const now = this.clock.now();
      const id = await tx.chats.create(
        {
          sourceId: await this.apiSource(tx, now),
          departmentId: input.departmentId,
          externalUserId: `api-chat-${randomUUID()}`,
          userMetadata: { name: input.title },
          status: 'active',
          assignedTo: input.assignedTo,
          createdBy: user.id,
          title: input.title,
          description: input.description,
          type: input.type,
        },
        now,
      );
      if (id === undefined) throw new Error('an operator chat collided with an open chat');
      await tx.chats.addParticipants(id, input.assignedTo === null ? [user.id] : [user.id, input.assignedTo]);
      return id;
    });
    const chat = await this.chat(chatId);
    await this.events.chatCreated(chat, socketId);
    return chat;
  }

  /**
   * The source operator chats belong to. Two first chats at once on an empty database may each make
   * one; both are ordinary sources, and from then on the oldest is used.
   */
  private async apiSource(tx: StoreQueries, now: number): Promise<number> {
    const existing = await tx.catalog.sourceOfType('api');
    if (existing) return existing.id;
    // Nobody holds this secret: operator chats take no webhook.
    return tx.catalog.createSource({ name: 'API', type: 'api', webhookSecret: randomBytes(32).toString('hex') }, now);
  }

  /**
   * Hides a message (spam, abuse): only someone who sees the chat and outranks the author
   * (admin > moderator > employee > customer). It stays, marked hidden; hiding it again changes nothing.
   */
  async hideMessage(user: UserRecord, messageId: number, socketId: string | null): Promise<MessageRecord> {
    const hidden = await this.store.transaction(async (tx) => {
      const message = await tx.messages.byId(messageId);
      const chat = message && (await tx.chats.byId(message.chat_id));
      // A message of a chat you cannot see does not exist for you.
      if (!message || !chat || !canView(user, chat)) throw new NotVisibleError('message');
      if (rankOf(user) <= (await authorRank(tx, message))) throw new NotAllowedError('Only someone who outranks its author may hide this message.');
      return tx.messages.hide(messageId, user.id, this.clock.now());
    });
    const message = await this.message(messageId);
    if (hidden) await this.events.messageHidden(message, await this.chat(message.chat_id), socketId);
    return message;
  }

  /** A system message (a note in the chat's history): admins, and moderators with the update right; never employees. */
  async systemMessage(user: UserRecord, chatId: number, text: string, socketId: string | null, payload: JsonObject = {}): Promise<MessageRecord> {
    const messageId = await this.store.transaction(async (tx) => {
      const chat = await authorizeChat(tx, user, chatId, 'view');
      const mayWrite = isAdmin(user) || (user.roles.includes('moderator') && canUpdate(user, chat));
      if (!mayWrite) throw new NotAllowedError('Only the chat\'s administrators may send system messages.');
      const now = this.clock.now();
      const id = await tx.messages.insert({ chatId, senderId: user.id, senderType: 'system', text, payload, isRead: true }, now);
      if (id === undefined) throw new Error('a system message insert was skipped');
      await tx.chats.recordMessage(chatId, { id, sender_type: 'system', created_at: now, is_read: true });
      await tx.chats.addParticipants(chatId, [user.id]);
      return id;
    });
    const message = await this.message(messageId);
    await this.events.messageCreated(message, await this.chat(chatId), socketId);
    return message;
  }

  /** Chats the user sees whose customer (name, phone, e-mail) or messages match `text`, newest activity first. */
  async search(
    user: UserRecord,
    query: { text: string; statuses?: readonly ChatStatus[] },
    page: number,
    perPage: number,
  ): Promise<{ rows: ChatSummary[]; total: number }> {
    const text = query.text.trim();
    if (characterCount(text) < SEARCH_MIN_LENGTH) throw InvalidFieldError.field('query', `The query field must be at least ${SEARCH_MIN_LENGTH} characters.`);
    const { rows, total } = await this.store.chats.list({ scope: scopeOf(user), userId: user.id, tab: 'all', status: query.statuses, search: text }, page, perPage);
    return { rows, total };
  }

  private async afterUpdate(chatId: number, changed: boolean, socketId: string | null): Promise<ChatSummary> {
    const chat = await this.chat(chatId);
    if (changed) await this.events.chatUpdated(chat, socketId);
    return chat;
  }
}
