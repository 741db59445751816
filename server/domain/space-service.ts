import type { Clock } from '../clock';
import type { FileStore } from '../files/file-store';
import type { ContactInput, Store, StoreQueries } from '../store/contract';
import type { ChatEvents } from './chat-events';
import { customerDetailsOf, matchContact } from './contacts';
import { InvalidFieldError, NotAllowedError, NotVisibleError } from './errors';
import { generatePublicToken } from './public-tokens';
import type { ChatRecord, ChatSummary, JsonObject, MessageRecord, UserRecord } from './records';
import { isAdmin, isOperator } from './roles';
import { ASSIGNED_TO_ANOTHER, authorizeChat, canSeeSource, canView, updateGuard } from './visibility';
import { readWidgetSettings } from './widget-settings';

// What the CRM chat module does to chats beyond what every dialect does (send, close, transfer live
// in ChatService): spaces an operator opens on a widget, the customer's details and CRM contact,
// reopening, deleting, and editing, deleting and attaching to messages. Records in, records out.

/** The customer's details a space keeps in its metadata; null removes one. */
export interface SpaceCustomer {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
}

export interface NewSpace extends SpaceCustomer {
  widgetId: number;
  contactId: number | null;
  responsibleId: number | null;
}

/** A file already type-checked from its content, waiting in the incoming folder. */
export interface ReceivedAttachment {
  absolutePath: string;
  name: string;
  mimeType: string;
  size: number;
  ext: string;
}

const ONLY_ADMINS_DELETE_SPACES = 'Only administrators may delete spaces.';
const OWN_MESSAGES_ONLY = 'You may only edit your own messages.';
const OWN_OR_ADMIN = 'Only its author or an administrator may change this message.';

function mergedCustomer(metadata: JsonObject, customer: SpaceCustomer): JsonObject {
  const next: JsonObject = { ...metadata };
  for (const key of ['name', 'email', 'phone'] as const) {
    const value = customer[key];
    if (value === undefined) continue;
    if (value === null || value === '') delete next[key];
    else next[key] = value;
  }
  return next;
}

export class SpaceService {
  constructor(
    private readonly store: Store,
    private readonly files: FileStore,
    private readonly events: ChatEvents,
    private readonly clock: Clock,
  ) {}

  private async summary(chatId: number): Promise<ChatSummary> {
    const chat = await this.store.chats.summary(chatId);
    if (!chat) throw new NotVisibleError('chat');
    return chat;
  }

  private async requireContact(tx: StoreQueries, contactId: number): Promise<void> {
    if (!(await tx.contacts.byId(contactId))) throw InvalidFieldError.field('client_id', 'The selected client id is invalid.');
  }

  /**
   * A space an operator opens on a widget they see, with a fresh space token. Its customer is who
   * the details name: linked to `contactId`, or to the contact their e-mail or phone matches.
   */
  async create(user: UserRecord, input: NewSpace, socketId: string | null): Promise<ChatSummary> {
    const chatId = await this.store.transaction(async (tx) => {
      const widget = await tx.widgets.byId(input.widgetId);
      if (!widget || !canSeeSource(user, widget.id)) throw InvalidFieldError.field('widget_id', 'The selected widget id is invalid.');
      if (input.contactId !== null) await this.requireContact(tx, input.contactId);
      // The responsible the caller named must be able to take the space; the widget's default is
      // used when it still can (a stale default leaves the space waiting for someone instead).
      let assignee: number | null = null;
      if (input.responsibleId !== null) {
        if (!(await this.mayTake(tx, input.responsibleId, widget.id))) throw InvalidFieldError.field('responsible_id', 'The selected responsible id is invalid.');
        assignee = input.responsibleId;
      } else {
        const fallback = readWidgetSettings(widget.settings).responsible_id;
        if (fallback !== null && (await this.mayTake(tx, fallback, widget.id))) assignee = fallback;
      }
      const now = this.clock.now();
      const token = generatePublicToken();
      const metadata = mergedCustomer({}, input);
      const id = await tx.chats.create(
        {
          sourceId: widget.id,
          externalUserId: `space-${token}`,
          userMetadata: metadata,
          status: assignee === null ? 'new' : 'active',
          assignedTo: assignee,
          createdBy: user.id,
          token,
        },
        now,
      );
      if (id === undefined) throw new Error('a new space collided with an open chat');
      await tx.chats.addParticipants(id, assignee === null ? [user.id] : [user.id, assignee]);
      if (input.contactId !== null) await tx.chats.setContact(id, input.contactId, now);
      else await matchContact(tx, { id, contact_id: null }, customerDetailsOf(metadata), now);
      return id;
    });
    const chat = await this.summary(chatId);
    await this.events.chatCreated(chat, socketId);
    return chat;
  }

  private async mayTake(tx: StoreQueries, userId: number, sourceId: number): Promise<boolean> {
    const user = await tx.users.byId(userId);
    return user !== undefined && user.is_active && isOperator(user) && canSeeSource(user, sourceId);
  }

  /** The customer's name, e-mail or phone, and which contact the space is linked to (`null` unlinks). */
  async update(user: UserRecord, chatId: number, customer: SpaceCustomer, contactId: number | null | undefined, socketId: string | null): Promise<ChatSummary> {
    const changed = await this.store.transaction(async (tx) => {
      const chat = await authorizeChat(tx, user, chatId, 'update');
      const now = this.clock.now();
      let changed = false;
      if (contactId !== undefined && contactId !== chat.contact_id) {
        if (contactId !== null) await this.requireContact(tx, contactId);
        await tx.chats.setContact(chatId, contactId, now);
        changed = true;
      }
      const metadata = mergedCustomer(chat.user_metadata, customer);
      if (JSON.stringify(metadata) !== JSON.stringify(chat.user_metadata)) {
        if (!(await tx.chats.update(chatId, { user_metadata: metadata }, now, updateGuard(user)))) throw new NotAllowedError(ASSIGNED_TO_ANOTHER);
        changed = true;
      }
      return changed;
    });
    const chat = await this.summary(chatId);
    if (changed) await this.events.chatUpdated(chat, socketId);
    return chat;
  }

  /** Opens a closed space again: active when someone is responsible, else waiting for someone. */
  async reopen(user: UserRecord, chatId: number, socketId: string | null): Promise<ChatSummary> {
    const changed = await this.store.transaction(async (tx) => {
      const chat = await authorizeChat(tx, user, chatId, 'update');
      if (chat.status !== 'closed') return false;
      const open = await tx.chats.openForExternalUser(chat.source_id, chat.external_user_id);
      if (open && open.id !== chat.id) throw new NotAllowedError('This customer has a newer open space.');
      const status = chat.assigned_to === null ? 'new' : 'active';
      if (!(await tx.chats.update(chatId, { status, closed_at: null }, this.clock.now(), updateGuard(user)))) throw new NotAllowedError(ASSIGNED_TO_ANOTHER);
      return true;
    });
    const chat = await this.summary(chatId);
    if (changed) await this.events.chatUpdated(chat, socketId);
    return chat;
  }

  /** Deletes a space with its messages and their files: administrators only. */
  async delete(user: UserRecord, chatId: number, socketId: string | null): Promise<void> {
    const chat = await authorizeChat(this.store, user, chatId, 'view');
    if (!isAdmin(user)) throw new NotAllowedError(ONLY_ADMINS_DELETE_SPACES);
    const viewerIds = await this.events.viewersOf(chat);
    const files = await this.store.transaction((tx) => tx.chats.delete(chatId));
    if (files === undefined) throw new NotVisibleError('chat');
    // The rows are gone: a file left behind is an orphan nothing links to, not a reason to fail the delete.
    await this.files.discard(files);
    // Subscriptions to the chat's channel end; the desks that listed it hear it is gone.
    await this.events.audienceChanged(chatId);
    this.events.chatDeleted(chatId, viewerIds, socketId);
  }

  /** A message of a chat the user sees, and that chat; any other message does not exist for them. */
  private async visibleMessage(tx: StoreQueries, user: UserRecord, messageId: number): Promise<{ message: MessageRecord; chat: ChatRecord }> {
    const message = await tx.messages.byId(messageId);
    const chat = message && (await tx.chats.byId(message.chat_id));
    if (!message || !chat || !canView(user, chat)) throw new NotVisibleError('message');
    return { message, chat };
  }

  /** Replaces the text of the user's own message. */
  /** A CRM client's details changed: the desks showing its chats show the new ones at once. */
  async updateContact(contactId: number, patch: Partial<ContactInput>, socketId: string | null): Promise<void> {
    const changed = await this.store.contacts.update(contactId, patch, this.clock.now());
    if (changed) await this.contactShown(await this.store.chats.idsByContact(contactId), socketId);
  }

  /** A CRM client is gone: its chats stay, without it, and the desks showing them are told. */
  async deleteContact(contactId: number, socketId: string | null): Promise<boolean> {
    const chatIds = await this.store.chats.idsByContact(contactId);
    const deleted = await this.store.contacts.delete(contactId);
    if (deleted) await this.contactShown(chatIds, socketId);
    return deleted;
  }

  private async contactShown(chatIds: number[], socketId: string | null): Promise<void> {
    for (const chatId of chatIds) {
      const chat = await this.store.chats.summary(chatId);
      if (chat) await this.events.chatUpdated(chat, socketId);
    }
  }

  async editMessage(user: UserRecord, messageId: number, text: string, socketId: string | null): Promise<MessageRecord> {
    const changed = await this.store.transaction(async (tx) => {
      const { message } = await this.visibleMessage(tx, user, messageId);
      if (message.sender_type !== 'operator' || message.sender_id !== user.id) throw new NotAllowedError(OWN_MESSAGES_ONLY);
      if (message.text === text) return false;
      return tx.messages.editText(messageId, text, this.clock.now());
    });
    const message = await this.message(messageId);
    if (changed) await this.events.messageUpdated(message, await this.summary(message.chat_id), socketId);
    return message;
  }

  /** Deletes a message (its author, or an administrator) with its files. */
  async deleteMessage(user: UserRecord, messageId: number, socketId: string | null): Promise<void> {
    const { chatId, files } = await this.store.transaction(async (tx) => {
      const { message } = await this.visibleMessage(tx, user, messageId);
      if (!this.mayChange(user, message)) throw new NotAllowedError(OWN_OR_ADMIN);
      const files = await tx.messages.delete(messageId);
      if (files === undefined) throw new NotVisibleError('message');
      await tx.chats.refreshLatest(message.chat_id, this.clock.now());
      return { chatId: message.chat_id, files };
    });
    await this.files.discard(files);
    await this.events.messageDeleted(messageId, await this.summary(chatId), socketId);
  }

  /** Adds files to a message (its author, or an administrator). */
  async attach(user: UserRecord, messageId: number, attachments: readonly ReceivedAttachment[], socketId: string | null): Promise<MessageRecord> {
    const moved: string[] = [];
    try {
      await this.store.transaction(async (tx) => {
        const { message } = await this.visibleMessage(tx, user, messageId);
        if (!this.mayChange(user, message)) throw new NotAllowedError(OWN_OR_ADMIN);
        const now = this.clock.now();
        for (const attachment of attachments) {
          const path = this.files.attachmentPath(message.chat_id, attachment.ext);
          await this.files.moveIn(attachment.absolutePath, path);
          moved.push(path);
          await tx.messages.insertAttachment(messageId, { name: attachment.name, mimeType: attachment.mimeType, size: attachment.size, storagePath: path }, now);
        }
        await tx.messages.touch(messageId, now);
      });
    } catch (error) {
      // Nothing of a refused or failed attach stays stored.
      await this.files.discard(moved);
      throw error;
    }
    const message = await this.message(messageId);
    await this.events.messageUpdated(message, await this.summary(message.chat_id), socketId);
    return message;
  }

  private mayChange(user: UserRecord, message: MessageRecord): boolean {
    return isAdmin(user) || (message.sender_type === 'operator' && message.sender_id === user.id);
  }

  private async message(messageId: number): Promise<MessageRecord> {
    const message = await this.store.messages.byId(messageId);
    if (!message) throw new NotVisibleError('message');
    return message;
  }
}
