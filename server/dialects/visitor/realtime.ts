import { spaceChannel, type VisitorRealtimePayloads } from '../../../common/visitor-api';
import type { DomainEvent, DomainEventSink } from '../../domain/events';
import type { ChatSummary, MessageRecord } from '../../domain/records';
import { firstName, isSpace, visibleToVisitor } from '../../domain/visitor-visibility';
import type { Logger } from '../../logger';
import type { Broadcaster } from '../../realtime/broadcaster';
import type { StoreQueries } from '../../store/contract';
import { presentVisitorMessage, visitorStatus } from './presenters';

/**
 * Domain events → the website visitor's `private-space.{id}` channel: new messages it may see (in
 * its shape, from whichever dialect an operator wrote through), operators typing (by first name),
 * the space closing or reopening, and its messages read. Transfer and staff notes, hidden messages
 * and everything about other chats never reach it.
 */
export class VisitorChannels implements DomainEventSink {
  /** Messages need a look-up (the widget's token for attachment links); one chain keeps events in order. */
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly broadcaster: Broadcaster,
    private readonly store: StoreQueries,
    private readonly baseUrl: () => string,
    private readonly logger: Logger,
  ) {}

  emit(event: DomainEvent): void {
    const { exceptSocketId } = event;
    switch (event.type) {
      case 'message.created':
        if (isSpace(event.chat) && visibleToVisitor(event.message)) this.inOrder(() => this.newMessage(event.chat, event.message, exceptSocketId));
        return;
      case 'typing':
        // The visitor's own typing is for the operators only.
        if (event.user === null) return;
        this.inOrder(async () => {
          // Only a space has a visitor to tell (typing events name the chat by id alone).
          const chat = await this.store.chats.byId(event.chatId);
          if (!chat || !isSpace(chat)) return;
          this.publish(event.chatId, 'UserTyping', { space_id: event.chatId, user: { name: firstName(event.user?.name ?? null) }, typing: event.typing }, exceptSocketId);
        });
        return;
      case 'chat.updated':
        if (!isSpace(event.chat)) return;
        this.inOrder(async () => this.publish(event.chat.id, 'SpaceUpdated', { space: { id: event.chat.id, status: visitorStatus(event.chat) } }, null));
        return;
      case 'messages.read':
        if (event.reader !== 'operator') return;
        this.inOrder(async () => {
          const chat = await this.store.chats.byId(event.chatId);
          if (chat && isSpace(chat)) this.publish(event.chatId, 'MessagesRead', { space_id: event.chatId, up_to_id: event.upToId }, null);
        });
        return;
      case 'message.updated':
        if (isSpace(event.chat) && visibleToVisitor(event.message)) this.inOrder(() => this.newMessage(event.chat, event.message, exceptSocketId, 'MessageUpdated'));
        return;
      case 'message.hidden':
        // Hidden messages are not the visitor's to see: for the widget, it is gone.
        if (isSpace(event.chat)) this.inOrder(async () => this.publish(event.chat.id, 'MessageDeleted', { space_id: event.chat.id, message_id: event.message.id }, exceptSocketId));
        return;
      case 'message.deleted':
        if (isSpace(event.chat)) this.inOrder(async () => this.publish(event.chat.id, 'MessageDeleted', { space_id: event.chat.id, message_id: event.messageId }, exceptSocketId));
        return;
      case 'chat.deleted':
        // The chat is gone, so whether it was a space cannot be asked; a channel of no space has nobody on it.
        this.inOrder(async () => this.publish(event.chatId, 'ChatDeleted', { space_id: event.chatId }, exceptSocketId));
        return;
      case 'chat.created':
        // A visitor learns of its space from its own request.
        return;
      default: {
        const unreachable: never = event;
        throw new Error(`unknown domain event ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** Resolves when everything emitted so far was published (tests, shutdown). */
  settled(): Promise<void> {
    return this.pending;
  }

  private inOrder(work: () => Promise<void>): void {
    this.pending = this.pending.then(work).catch((error: unknown) => this.logger.error('realtime: publishing to a visitor space failed', error));
  }

  private async newMessage(chat: ChatSummary, message: MessageRecord, exceptSocketId: string | null, event: 'NewChatMessage' | 'MessageUpdated' = 'NewChatMessage'): Promise<void> {
    const source = await this.store.catalog.source(chat.source_id);
    if (!source?.public_token) return;
    const readUpTo = await this.store.spaces.readUpTo(chat.id);
    const view = { baseUrl: this.baseUrl(), widgetToken: source.public_token, readUpTo };
    this.publish(chat.id, event, { message: presentVisitorMessage(message, view) }, exceptSocketId);
  }

  private publish<E extends keyof VisitorRealtimePayloads>(spaceId: number, event: E, data: VisitorRealtimePayloads[E], exceptSocketId: string | null): void {
    this.broadcaster.publish({ channels: [spaceChannel(spaceId)], event, data, exceptSocketId });
  }
}
