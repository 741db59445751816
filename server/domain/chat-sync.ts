import { createHash } from 'node:crypto';
import type { StoreQueries, SyncPosition } from '../store/contract';
import type { ChatSummary, UserRecord } from './records';
import { canView, scopeOf } from './visibility';

// What changed in a user's chat list since they last asked: the delta a desk catches up with
// instead of paging every chat it holds. The store stamps every change with a key and hands out
// horizons (migration 009); this decides which changes a user may learn of.

/** Where a user's sync stands. Dialects carry it to the client and back as an opaque cursor. */
export interface SyncState {
  /** Every change with a smaller key has been delivered. */
  floor: number;
  /** A scan across several pages: the horizon taken when it began, and the last (key, id) delivered. */
  scan: { horizon: number; after: SyncPosition } | null;
  /** Whose visibility the state was computed under (scopeFingerprint). */
  scope: string;
}

/** Names the user's visibility: a state taken under another (sources, departments or roles changed) cannot be continued. */
export function scopeFingerprint(user: UserRecord): string {
  return createHash('sha256').update(JSON.stringify(scopeOf(user))).digest('base64url').slice(0, 16);
}

/** The state of "everything up to now": handed out with a full list, taken before that list is read. */
export async function syncStart(store: StoreQueries, user: UserRecord): Promise<SyncState> {
  return { floor: await store.chats.syncHorizon(), scan: null, scope: scopeFingerprint(user) };
}

export interface ChatChanges {
  changed: ChatSummary[];
  /** Chats the user could see at some point since the state, and no longer can. Only on a scan's last page. */
  removed: number[];
  /** What to ask with next: the next page while `more`, else the next delta. */
  next: SyncState;
  more: boolean;
  /** The state was taken under another visibility: this scan lists everything the user sees. */
  reset: boolean;
}

export async function chatChanges(store: StoreQueries, user: UserRecord, state: SyncState, limit: number): Promise<ChatChanges> {
  const scope = scopeFingerprint(user);
  const reset = state.scope !== scope;
  const floor = reset ? 0 : state.floor;
  const scan = reset ? null : state.scan;
  // Taken before reading: a change committed while this scan pages is delivered by the next delta.
  const horizon = scan?.horizon ?? (await store.chats.syncHorizon());
  const rows = await store.chats.changedSince(scopeOf(user), floor, scan?.after ?? null, limit + 1);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const changed = page.map((row) => row.chat);
  const last = page.at(-1);
  if (more && last) {
    return { changed, removed: [], next: { floor, scan: { horizon, after: { key: last.key, id: last.chat.id } }, scope }, more, reset };
  }
  const removed = new Set<number>();
  if (!reset) {
    for (const exit of await store.chats.exitsSince(floor)) {
      // Only former viewers hear of it: nobody else learns that the chat exists.
      if (canView(user, exit.before) && (exit.now === null || !canView(user, exit.now))) removed.add(exit.chat_id);
    }
  }
  return { changed, removed: [...removed], next: { floor: horizon, scan: null, scope }, more: false, reset };
}
