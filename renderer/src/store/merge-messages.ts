// How a chat's shown history absorbs `messages.changed`: upsert by key (pending → sent keeps its
// key), drop removed keys, keep chronological order. A server message older than the oldest one
// shown is left out while older history is still to be paged in, so no message floats above a hole.
import { compareMessages, type MessageView } from '../../../common/bridge';

export function oldestServerId(messages: readonly MessageView[]): number | null {
  for (const message of messages) if (message.id > 0) return message.id;
  return null;
}

export function mergeMessages(current: readonly MessageView[], upserted: readonly MessageView[], removedKeys: readonly string[], hasOlder: boolean): MessageView[] {
  if (upserted.length === 0 && removedKeys.length === 0) return [...current];
  const removed = new Set(removedKeys);
  const floor = hasOlder ? oldestServerId(current) : null;
  const byKey = new Map<string, MessageView>();
  for (const message of current) if (!removed.has(message.key)) byKey.set(message.key, message);
  for (const message of upserted) {
    if (removed.has(message.key)) continue;
    const known = byKey.has(message.key);
    if (!known && floor !== null && message.id > 0 && message.id < floor) continue;
    byKey.set(message.key, message);
  }
  return [...byKey.values()].sort(compareMessages);
}

/** Older messages (oldest first) put before what is shown, without duplicates. */
export function prependOlder(current: readonly MessageView[], older: readonly MessageView[]): MessageView[] {
  const known = new Set(current.map((message) => message.key));
  return [...older.filter((message) => !known.has(message.key)), ...current].sort(compareMessages);
}
