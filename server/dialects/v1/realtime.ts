import { chatChannel, userChannel } from '../../../common/realtime';
import type { DomainEvent, DomainEventSink } from '../../domain/events';
import type { Broadcaster } from '../../realtime/broadcaster';
import { presentChat, presentMessage } from './presenters';

/**
 * Domain events → the operator channels: `private-chat.{id}` for whoever has the chat open,
 * `private-user.{id}` for everyone who sees it, payloads equal to the v1 REST bodies.
 */
export class OperatorChannels implements DomainEventSink {
  constructor(
    private readonly broadcaster: Broadcaster,
    private readonly baseUrl: () => string,
  ) {}

  emit(event: DomainEvent): void {
    const { exceptSocketId } = event;
    switch (event.type) {
      case 'chat.created':
        this.broadcaster.publish({ channels: event.viewerIds.map(userChannel), event: 'ChatCreated', data: { chat: presentChat(event.chat) }, exceptSocketId });
        return;
      case 'chat.updated':
        this.broadcaster.publish({
          channels: [chatChannel(event.chat.id), ...event.viewerIds.map(userChannel)],
          event: 'ChatUpdated',
          data: { chat: presentChat(event.chat) },
          exceptSocketId,
        });
        return;
      case 'message.created': {
        const message = presentMessage(event.message, this.baseUrl());
        this.broadcaster.publish({ channels: [chatChannel(event.chat.id)], event: 'NewChatMessage', data: { message }, exceptSocketId });
        this.broadcaster.publish({
          channels: event.viewerIds.map(userChannel),
          event: 'NewChatMessage',
          data: { message, chat: presentChat(event.chat) },
          exceptSocketId,
        });
        return;
      }
      case 'message.hidden':
        // To everyone who sees the chat, not only to whoever has it open: a desk that holds the
        // message in its cache collapses it too (catch-up fetches new messages, not changed ones).
        this.broadcaster.publish({
          channels: [chatChannel(event.chat.id), ...event.viewerIds.map(userChannel)],
          event: 'MessageHidden',
          data: { message_id: event.message.id, chat_id: event.chat.id, message: presentMessage(event.message, this.baseUrl()) },
          exceptSocketId,
        });
        return;
      case 'message.updated':
        this.broadcaster.publish({
          channels: [chatChannel(event.chat.id), ...event.viewerIds.map(userChannel)],
          event: 'MessageUpdated',
          data: { message_id: event.message.id, chat_id: event.chat.id, message: presentMessage(event.message, this.baseUrl()) },
          exceptSocketId,
        });
        return;
      case 'message.deleted':
        this.broadcaster.publish({
          channels: [chatChannel(event.chat.id), ...event.viewerIds.map(userChannel)],
          event: 'MessageDeleted',
          data: { message_id: event.messageId, chat_id: event.chat.id, chat: presentChat(event.chat) },
          exceptSocketId,
        });
        return;
      case 'chat.deleted':
        this.broadcaster.publish({ channels: [chatChannel(event.chatId), ...event.viewerIds.map(userChannel)], event: 'ChatDeleted', data: { chat_id: event.chatId }, exceptSocketId });
        return;
      case 'typing':
        this.broadcaster.publish({
          channels: [chatChannel(event.chatId)],
          event: 'UserTyping',
          // The customer has no user: `user: null, client: true` (the v1 document's UserTyping "by webhook").
          data: event.user === null ? { chat_id: event.chatId, user: null, client: true, typing: event.typing } : { chat_id: event.chatId, user: event.user, typing: event.typing },
          exceptSocketId,
        });
        return;
      case 'messages.read':
        // v1 has no read-receipt event: desks learn of reads through ChatUpdated (unread counts).
        return;
      default: {
        const unreachable: never = event;
        throw new Error(`unknown domain event ${JSON.stringify(unreachable)}`);
      }
    }
  }
}
