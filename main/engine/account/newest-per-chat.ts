import type { ApiMessage } from '../../../common/api';

/**
 * Keeps, per chat, the newest of these messages in `newest`: what moves a chat's preview, what a
 * notification is about, and all a catch-up round needs to hold of the thousands it brings.
 */
export function noteNewestPerChat(newest: Map<number, ApiMessage>, messages: readonly ApiMessage[]): void {
  for (const message of messages) {
    const current = newest.get(message.chat_id);
    if (!current || current.id < message.id) newest.set(message.chat_id, message);
  }
}
