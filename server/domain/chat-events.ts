import type { ApiChat, ApiMessage, UserRef } from '../../common/api';
import { chatChannel, userChannel } from '../../common/realtime';
import type { Broadcaster } from '../realtime/broadcaster';
import type { Store } from '../store';
import type { ChatRow } from '../store/rows';

/**
 * Turns domain changes into realtime events on the channels of DESIGN §5:
 * `private-chat.{id}` for whoever has the chat open, `private-user.{id}` for everyone who sees it.
 */
export class ChatEvents {
  constructor(
    private readonly store: Store,
    private readonly broadcaster: Broadcaster,
  ) {}

  private viewerChannels(chat: Pick<ChatRow, 'source_id' | 'department_id'>, extraUserIds: number[] = []): string[] {
    const ids = new Set([...this.store.users.viewersOf(chat.source_id, chat.department_id), ...extraUserIds]);
    return [...ids].map(userChannel);
  }

  chatCreated(chat: ApiChat, exceptSocketId: string | null): void {
    this.broadcaster.publish({ channels: this.viewerChannels(chat), event: 'ChatCreated', data: { chat }, exceptSocketId });
  }

  /** `formerViewerIds`: users who saw the chat before this change (a department move) and must learn they no longer do. */
  chatUpdated(chat: ApiChat, exceptSocketId: string | null, formerViewerIds: number[] = []): void {
    this.broadcaster.publish({
      channels: [chatChannel(chat.id), ...this.viewerChannels(chat, formerViewerIds)],
      event: 'ChatUpdated',
      data: { chat },
      exceptSocketId,
    });
  }

  messageCreated(message: ApiMessage, chat: ApiChat, exceptSocketId: string | null): void {
    this.broadcaster.publish({ channels: [chatChannel(chat.id)], event: 'NewChatMessage', data: { message }, exceptSocketId });
    this.broadcaster.publish({ channels: this.viewerChannels(chat), event: 'NewChatMessage', data: { message, chat }, exceptSocketId });
  }

  messageHidden(messageId: number, chatId: number, exceptSocketId: string | null): void {
    this.broadcaster.publish({
      channels: [chatChannel(chatId)],
      event: 'MessageHidden',
      data: { message_id: messageId, chat_id: chatId },
      exceptSocketId,
    });
  }

  typing(chatId: number, user: UserRef, typing: boolean, exceptSocketId: string | null): void {
    this.broadcaster.publish({
      channels: [chatChannel(chatId)],
      event: 'UserTyping',
      data: { chat_id: chatId, user, typing },
      exceptSocketId,
    });
  }

  viewersOf(chat: Pick<ChatRow, 'source_id' | 'department_id'>): number[] {
    return this.store.users.viewersOf(chat.source_id, chat.department_id);
  }
}
