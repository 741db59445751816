import type { StoreQueries } from '../store/contract';
import type { AccessEventSink } from './access-events';
import type { DomainEventSink } from './events';
import type { ChatRecord, ChatSummary, MessageRecord, NamedRef } from './records';

type Placement = Pick<ChatRecord, 'id' | 'source_id' | 'department_id'>;

/** Tells the event sink what changed, with who may hear of it (everyone who sees the chat). */
export class ChatEvents {
  constructor(
    private readonly store: StoreQueries,
    private readonly sink: DomainEventSink,
    private readonly access: AccessEventSink,
  ) {}

  viewersOf(chat: Placement): Promise<number[]> {
    return this.store.users.viewersOf(chat);
  }

  /** Before the events that follow a change of placement or participants, so those who lost the chat hear none of them. */
  audienceChanged(chatId: number): Promise<void> {
    return this.access.accessChanged({ type: 'chat.audience_changed', chatId });
  }

  async chatCreated(chat: ChatSummary, exceptSocketId: string | null): Promise<void> {
    this.sink.emit({ type: 'chat.created', chat, viewerIds: await this.viewersOf(chat), exceptSocketId });
  }

  /** `formerViewerIds`: users who saw the chat before this change (a department move) and must learn they no longer do. */
  async chatUpdated(chat: ChatSummary, exceptSocketId: string | null, formerViewerIds: number[] = []): Promise<void> {
    const viewerIds = [...new Set([...(await this.viewersOf(chat)), ...formerViewerIds])];
    this.sink.emit({ type: 'chat.updated', chat, viewerIds, exceptSocketId });
  }

  async messageCreated(message: MessageRecord, chat: ChatSummary, exceptSocketId: string | null): Promise<void> {
    this.sink.emit({ type: 'message.created', message, chat, viewerIds: await this.viewersOf(chat), exceptSocketId });
  }

  async messageHidden(message: MessageRecord, chat: ChatSummary, exceptSocketId: string | null): Promise<void> {
    this.sink.emit({ type: 'message.hidden', message, chat, viewerIds: await this.viewersOf(chat), exceptSocketId });
  }

  async messageUpdated(message: MessageRecord, chat: ChatSummary, exceptSocketId: string | null): Promise<void> {
    this.sink.emit({ type: 'message.updated', message, chat, viewerIds: await this.viewersOf(chat), exceptSocketId });
  }

  async messageDeleted(messageId: number, chat: ChatSummary, exceptSocketId: string | null): Promise<void> {
    this.sink.emit({ type: 'message.deleted', messageId, chat, viewerIds: await this.viewersOf(chat), exceptSocketId });
  }

  /** `viewerIds` are taken before the chat goes: afterwards nobody sees it. */
  chatDeleted(chatId: number, viewerIds: number[], exceptSocketId: string | null): void {
    this.sink.emit({ type: 'chat.deleted', chatId, viewerIds, exceptSocketId });
  }

  /** `user` null: the customer. */
  typing(chatId: number, user: NamedRef | null, typing: boolean, exceptSocketId: string | null): void {
    this.sink.emit({ type: 'typing', chatId, user, typing, exceptSocketId });
  }

  messagesRead(chatId: number, reader: 'operator' | 'visitor', upToId: number, exceptSocketId: string | null): void {
    this.sink.emit({ type: 'messages.read', chatId, reader, upToId, exceptSocketId });
  }
}
