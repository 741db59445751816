import type { ApiMessage, ApiUser } from '../../../common/api';
import type { Cache } from '../cache';
import { notificationBody, shouldNotify, type NotificationPayload } from '../notifications';
import type { AccountHost } from './host';
import { noteNewestPerChat } from './newest-per-chat';

/** Decides and raises notifications for messages that were new to us (the newest per chat). */
export function notifyAbout(host: AccountHost, cache: Cache, user: ApiUser, messages: ApiMessage[]): void {
  if (messages.length === 0) return;
  const newestPerChat = new Map<number, ApiMessage>();
  noteNewestPerChat(newestPerChat, messages);
  const context = {
    myUserId: user.id,
    preferences: host.preferences(),
    showing: (chatId: number) => host.showing(chatId),
  };
  for (const message of newestPerChat.values()) {
    const chat = cache.chats.byId(message.chat_id);
    if (!shouldNotify(message, chat?.assigned_to ?? null, context)) continue;
    const notification: NotificationPayload = {
      chatId: message.chat_id,
      messageId: message.id,
      title: chat?.title ?? `Chat #${message.chat_id}`,
      body: notificationBody(message),
      sound: context.preferences.sound,
    };
    host.emitter.emit('notification', notification);
    host.notifier?.notify(notification);
  }
}
