import type { ApiChat, ApiMessage, ApiUser } from '../../../common/api';
import { parseTimestamp } from '../../../common/time';
import { canSeeChat } from '../../../common/visibility';
import { messageRecord, type Cache } from '../cache';
import type { ChangeFeed } from './changes';
import { noteNewestPerChat } from './newest-per-chat';

// Applying what the server says. Each function is idempotent: the same message or chat from REST,
// realtime on the user channel and realtime on the chat channel lands as one row.

/**
 * The server's visibility rule (common/visibility.ts) over what the desk knows: of the chats a user
 * takes part in, the desk can tell only the ones assigned to them.
 */
export function canSee(user: Pick<ApiUser, 'id' | 'roles' | 'source_ids' | 'department_ids'>, chat: Pick<ApiChat, 'source_id' | 'department_id' | 'assigned_to'>): boolean {
  return canSeeChat(user, chat, chat.assigned_to === user.id);
}

export interface ApplyContext {
  cache: Cache;
  user: ApiUser;
  changes: ChangeFeed;
}

/** Forgets chats that left our view (with everything we held of them). Returns whether any was held. */
export function forgetChats(context: ApplyContext, chatIds: number[]): boolean {
  const held = chatIds.filter((id) => context.cache.chats.byId(id) !== undefined);
  if (held.length === 0) return false;
  context.cache.transaction(() => context.cache.chats.remove(held));
  for (const id of held) context.changes.touchChat(id);
  return true;
}

/**
 * Stores one chat as the server describes it. A chat we may no longer see (moved to a department
 * outside ours: the server tells former viewers with one last ChatUpdated) is forgotten instead.
 */
export function applyChat(context: ApplyContext, chat: ApiChat): boolean {
  if (!canSee(context.user, chat)) return forgetChats(context, [chat.id]);
  const changed = context.cache.chats.upsert(chat);
  if (changed) context.changes.touchChat(chat.id);
  return changed;
}

/**
 * Stores server messages (any order, any overlap). A message we hold as pending is replaced by it
 * (matched by client_message_id) and its outbox entry is done, unless a request for it is in flight
 * (then that request finishes the entry). Returns the messages that were new to us.
 */
export function applyMessages(context: ApplyContext, messages: ApiMessage[]): ApiMessage[] {
  const { cache, changes } = context;
  const fresh: ApiMessage[] = [];
  // Written in id order: pages come newest first, and inserting below the rows just written leaves
  // half-full pages behind (a cache twice the size, and a slower backfill).
  const ordered = [...messages].sort((a, b) => a.id - b.id);
  cache.transaction(() => {
    for (const message of ordered) {
      if (message.client_message_id) {
        const replaced = cache.messages.takePending(message.client_message_id);
        const entry = cache.outbox.byId(message.client_message_id);
        if (entry && entry.kind === 'send' && entry.state !== 'sending') {
          cache.outbox.remove(entry.id);
          changes.touchOutbox();
        }
        if (replaced !== null) changes.touchChat(message.chat_id);
      }
      const outcome = cache.messages.upsert(messageRecord(message));
      if (outcome === 'unchanged') continue;
      if (message.attachments.length > 0) cache.catalog.noteAttachments(message.id, message.attachments);
      if (outcome === 'inserted') {
        fresh.push(message);
      } else if (message.is_hidden === true && cache.chats.hideLatest(message.chat_id, message.id)) {
        changes.touchChat(message.chat_id);
      }
      changes.touchMessage(message.chat_id, message.id);
    }
    // The chat's preview moves once per page, not once per message.
    const newestPerChat = new Map<number, ApiMessage>();
    noteNewestPerChat(newestPerChat, fresh);
    for (const message of newestPerChat.values()) {
      const moved = cache.chats.noteMessage(
        message.chat_id,
        { id: message.id, text: message.text, sender_type: message.sender_type, created_at: message.created_at, is_hidden: message.is_hidden === true },
        parseTimestamp(message.created_at),
      );
      if (moved) changes.touchChat(message.chat_id);
    }
  });
  return fresh;
}
