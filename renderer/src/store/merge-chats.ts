import type { ChatRow } from '../../../common/bridge';

/** Rows shown in the list, with changed chats replaced in place (their order is fixed by the next refresh). */
export function patchRows(rows: readonly ChatRow[], changed: readonly ChatRow[], removedIds: readonly number[]): ChatRow[] {
  if (changed.length === 0 && removedIds.length === 0) return [...rows];
  const byId = new Map(changed.map((row) => [row.id, row]));
  const removed = new Set(removedIds);
  return rows.filter((row) => !removed.has(row.id)).map((row) => byId.get(row.id) ?? row);
}

/**
 * A refreshed head of the list (the first page, re-read after changes) in front of the rows loaded
 * beyond it, without showing a chat twice (a chat that moved up is in the head now).
 */
export function replaceHead(rows: readonly ChatRow[], head: readonly ChatRow[], headSize: number): ChatRow[] {
  const inHead = new Set(head.map((row) => row.id));
  return [...head, ...rows.slice(headSize).filter((row) => !inHead.has(row.id))];
}
