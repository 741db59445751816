import { randomUUID } from 'node:crypto';
import type { ClientDataField } from '../../common/widget-api';
import type { Clock } from '../clock';
import type { FileStore } from '../files/file-store';
import type { StoreQueries, Store } from '../store/contract';
import type { ChatEvents } from './chat-events';
import { statusAfterMessage } from './chat-service';
import { matchContact } from './contacts';
import { InvalidFieldError, NotAllowedError, NotVisibleError } from './errors';
import { openingState } from './opening-hours';
import { generatePublicToken } from './public-tokens';
import type { ChatRecord, ChatSummary, JsonObject, MessageRecord, SourceRecord } from './records';
import { TypingCoalescer } from './typing-coalescer';
import { readWidgetSettings, type WidgetSettings } from './widget-settings';

// A website visitor's conversation (a *space*): a chat on the widget's source that the visitor's
// browser holds by its space token. The visitor has no account; the widget token says which widget,
// the space token which conversation, and each request needs both, belonging together.

export const WIDGET_INACTIVE = 'This chat is not available at the moment.';
export const WIDGET_CLOSED = 'We are closed now; please come back during our opening hours.';
export const ATTACHMENTS_OFF = 'This chat does not take attachments.';

/** The widget is outside its opening hours and takes no messages then. */
export class WidgetClosedError extends NotAllowedError {
  constructor(readonly nextOpenAt: number | null) {
    super(WIDGET_CLOSED);
  }
}

export interface Widget {
  source: SourceRecord;
  /** Public: the embed snippet carries it. */
  token: string;
  settings: WidgetSettings;
}

export interface Space {
  widget: Widget;
  chat: ChatRecord;
}

export interface VisitorDetails {
  name?: string;
  email?: string;
  phone?: string;
  locale?: string;
  page_url?: string;
}

export interface VisitorMessageInput {
  text: string | null;
  clientMessageId: string | null;
  uploadIds: string[];
}

/** Whether the widget takes messages now: active, and open or taking messages after hours. */
export function refuseClosed(widget: Widget, now: number): void {
  if (!widget.settings.active) throw new NotAllowedError(WIDGET_INACTIVE);
  const state = openingState(widget.settings, now);
  if (!state.open && !widget.settings.messages_after_hours) throw new WidgetClosedError(state.nextOpenAt);
}

const FIELD_NAMES: Record<ClientDataField, string> = { name: 'name', email: 'email', phone: 'phone' };

/** The visitor's details a widget that requires client data asks for (422 on the ones missing). */
function refuseMissingDetails(settings: WidgetSettings, details: VisitorDetails): void {
  if (!settings.require_client_data) return;
  const errors: Record<string, string[]> = {};
  for (const field of settings.client_data_fields) {
    const value = details[field];
    if (value === undefined || value.trim() === '') errors[field] = [`The ${FIELD_NAMES[field]} field is required.`];
  }
  if (Object.keys(errors).length > 0) throw new InvalidFieldError(errors);
}

/** Whether a space may start: the widget is active, and the details it requires are given. */
export function refuseStart(widget: Widget, details: VisitorDetails): void {
  if (!widget.settings.active) throw new NotAllowedError(WIDGET_INACTIVE);
  refuseMissingDetails(widget.settings, details);
}

/** The assignee a new space gets: the widget's responsible operator, while they are an active user. */
async function responsibleOf(tx: StoreQueries, settings: WidgetSettings): Promise<number | null> {
  if (settings.responsible_id === null) return null;
  const user = await tx.users.byId(settings.responsible_id);
  return user?.is_active ? user.id : null;
}

function metadataOf(details: VisitorDetails): JsonObject {
  const metadata: JsonObject = {};
  for (const [key, value] of Object.entries(details)) if (typeof value === 'string' && value.trim() !== '') metadata[key] = value.trim();
  return metadata;
}

export class VisitorSpaces {
  private readonly typingSignals: TypingCoalescer;

  constructor(
    private readonly store: Store,
    private readonly files: FileStore,
    private readonly events: ChatEvents,
    private readonly clock: Clock,
  ) {
    this.typingSignals = new TypingCoalescer(clock);
  }

  /** The widget with this public token; an unknown token (or one of another kind of source) is none. */
  async widget(token: string): Promise<Widget> {
    const source = token === '' ? undefined : await this.store.widgets.byToken(token);
    if (!source?.public_token) throw new NotVisibleError('resource');
    return { source, token: source.public_token, settings: readWidgetSettings(source.settings) };
  }

  /** The space of this widget with this space token; a token of another widget's space is none. */
  async space(widget: Widget, spaceToken: string): Promise<Space> {
    const chat = spaceToken === '' ? undefined : await this.store.chats.byToken(spaceToken);
    if (!chat || chat.source_id !== widget.source.id) throw new NotVisibleError('chat');
    return { widget, chat };
  }

  /**
   * A new space: a `new` chat on the widget's source with the visitor's details, assigned to the
   * widget's responsible operator if it names one, and linked to the CRM contact with the same
   * e-mail or phone. Operators hear of it as of any new chat.
   */
  async start(widget: Widget, details: VisitorDetails): Promise<{ chat: ChatSummary; spaceToken: string }> {
    refuseStart(widget, details);
    const spaceToken = generatePublicToken();
    const chatId = await this.store.transaction(async (tx) => {
      const now = this.clock.now();
      const assignedTo = await responsibleOf(tx, widget.settings);
      const id = await tx.chats.create(
        {
          sourceId: widget.source.id,
          // One per space: the one-open-chat-per-customer rule then never joins two visitors.
          externalUserId: `visitor-${randomUUID()}`,
          userMetadata: metadataOf(details),
          status: 'new',
          assignedTo,
          token: spaceToken,
        },
        now,
      );
      if (id === undefined) throw new Error('a new space collided with an open chat');
      if (assignedTo !== null) await tx.chats.addParticipants(id, [assignedTo]);
      await matchContact(tx, { id, contact_id: null }, { email: details.email ?? null, phone: details.phone ?? null }, now);
      return id;
    });
    const chat = await this.summary(chatId);
    await this.events.chatCreated(chat, null);
    return { chat, spaceToken };
  }

  /**
   * The visitor's message. A repeated `client_message_id` in the space returns the original
   * (created: false) whatever the body. Writing in a closed space reopens it (`active` when
   * someone has it, else `new`); operators hear of it exactly as of a customer's webhook message.
   */
  async write(space: Space, input: VisitorMessageInput, socketId: string | null): Promise<{ message: MessageRecord; created: boolean }> {
    const chatId = space.chat.id;
    const moves: { from: string; to: string }[] = [];
    const outcome = await this.store.transaction(async (tx) => {
      if (input.clientMessageId) {
        const existing = await tx.spaces.messageByClientId(chatId, input.clientMessageId);
        if (existing) return { messageId: existing.id, created: false, chatChanged: false };
      }
      const now = this.clock.now();
      refuseClosed(space.widget, now);
      if (input.uploadIds.length > 0 && !space.widget.settings.allow_client_attachments) throw InvalidFieldError.field('attachments', ATTACHMENTS_OFF);
      const uploads = [];
      for (const [index, id] of input.uploadIds.entries()) {
        const upload = await tx.spaces.pendingUpload(chatId, id, now);
        if (!upload) throw InvalidFieldError.field(`attachments.${index}`, `The selected attachments.${index} is invalid.`);
        uploads.push(upload);
      }
      const chat = await tx.chats.byId(chatId);
      if (!chat) throw new NotVisibleError('chat');
      const messageId = await tx.spaces.insertVisitorMessage(chatId, input.text, input.clientMessageId, now);
      if (messageId === undefined) {
        // An identical send committed first; nothing of ours is written yet.
        const existing = input.clientMessageId ? await tx.spaces.messageByClientId(chatId, input.clientMessageId) : undefined;
        if (!existing) throw new Error('a visitor message insert was skipped without a conflicting message');
        return { messageId: existing.id, created: false, chatChanged: false };
      }
      for (const upload of uploads) {
        const to = this.files.attachmentPath(chatId, upload.path.split('.').pop() ?? 'bin');
        await tx.messages.insertAttachment(messageId, { name: upload.original_name, mimeType: upload.mime_type, size: upload.size, storagePath: to }, now);
        await tx.spaces.consumeUpload(upload.id);
        moves.push({ from: upload.path, to });
      }
      await tx.chats.recordMessage(chatId, { id: messageId, sender_type: 'client', created_at: now, is_read: false });
      const status = statusAfterMessage(chat, 'client', chat.assigned_to);
      if (status !== chat.status) await tx.chats.update(chatId, { status, closed_at: null }, now);
      // Files move inside the transaction: if a move fails, no row points at a missing file.
      await this.files.moveAll(moves);
      return { messageId, created: true, chatChanged: status !== chat.status };
    });
    const message = await this.store.messages.byId(outcome.messageId);
    if (!message) throw new NotVisibleError('message');
    if (outcome.created) {
      const chat = await this.summary(chatId);
      await this.events.messageCreated(message, chat, socketId);
      if (outcome.chatChanged) await this.events.chatUpdated(chat, null);
    }
    return { message, created: outcome.created };
  }

  /** What the visitor sees of its space after `afterId`, oldest first, and how far it has read. */
  async messages(space: Space, afterId: number, limit: number): Promise<{ messages: MessageRecord[]; readUpTo: number }> {
    const [messages, readUpTo] = await Promise.all([this.store.spaces.visibleMessages(space.chat.id, afterId, limit), this.store.spaces.readUpTo(space.chat.id)]);
    return { messages, readUpTo };
  }

  /** The newest of the space's messages the visitor sees, oldest first (what a widget shows as it opens). */
  async recent(space: Space, limit: number): Promise<{ messages: MessageRecord[]; readUpTo: number }> {
    const [messages, readUpTo] = await Promise.all([this.store.spaces.latestVisibleMessages(space.chat.id, limit), this.store.spaces.readUpTo(space.chat.id)]);
    return { messages, readUpTo };
  }

  /** The visitor is typing: for the operators, nothing stored; repeats coalesced (a loop costs the desks nothing). */
  typing(space: Space, typing: boolean, socketId: string | null): void {
    if (this.typingSignals.shouldTell(space.chat.id, typing)) this.events.typing(space.chat.id, null, typing, socketId);
  }

  /** The visitor read the operators' messages up to `upToId` (at most the space's newest message). */
  async markRead(space: Space, upToId: number, socketId: string | null): Promise<number> {
    const chat = await this.store.chats.byId(space.chat.id);
    const upTo = Math.min(upToId, chat?.last_message_id ?? 0);
    if (upTo > 0 && (await this.store.spaces.markRead(space.chat.id, upTo, this.clock.now()))) this.events.messagesRead(space.chat.id, 'visitor', upTo, socketId);
    return this.store.spaces.readUpTo(space.chat.id);
  }

  private async summary(chatId: number): Promise<ChatSummary> {
    const chat = await this.store.chats.summary(chatId);
    if (!chat) throw new NotVisibleError('chat');
    return chat;
  }
}
