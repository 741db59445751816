import { canSeeChat } from '../../common/visibility';
import type { ChatScope, StoreQueries, UpdateGuard } from '../store/contract';
import { NotAllowedError, NotVisibleError } from './errors';
import type { ChatRecord, UserRecord } from './records';
import { isAdmin } from './roles';

// Who sees and who may act on which chat, for every dialect, channel auth and realtime audience.
// The rule itself is common/visibility.ts (the desk applies it too); this is its server side:
// the predicate over records, and the scope the store turns into SQL.

export function scopeOf(user: UserRecord): ChatScope {
  if (isAdmin(user)) return { kind: 'everything' };
  return { kind: 'limited', userId: user.id, sourceIds: user.roles.includes('moderator') ? user.source_ids : [], departmentIds: user.department_ids };
}

export function canView(user: UserRecord, chat: Pick<ChatRecord, 'source_id' | 'department_id' | 'participant_ids'>): boolean {
  return canSeeChat(user, chat, chat.participant_ids.includes(user.id));
}

/** Update right (send, close, assign-me, transfer, patch): a viewer, while the chat is unassigned or theirs; an admin always. */
export function canUpdate(user: UserRecord, chat: ChatRecord): boolean {
  if (!canView(user, chat)) return false;
  return isAdmin(user) || chat.assigned_to === null || chat.assigned_to === user.id;
}

/** The same update right as a condition of the write itself, so a racing writer cannot slip past the check. */
export function updateGuard(user: UserRecord): UpdateGuard | undefined {
  return isAdmin(user) ? undefined : { unassignedOr: user.id };
}

export const ASSIGNED_TO_ANOTHER = 'This chat is assigned to another operator.';

export type ChatAbility = 'view' | 'update';

/** Loads a chat the user may act on; a chat they may not see does not exist for them. */
export async function authorizeChat(store: StoreQueries, user: UserRecord, chatId: number, ability: ChatAbility): Promise<ChatRecord> {
  const chat = await store.chats.byId(chatId);
  if (!chat || !canView(user, chat)) throw new NotVisibleError('chat');
  if (ability === 'update' && !canUpdate(user, chat)) throw new NotAllowedError(ASSIGNED_TO_ANOTHER);
  return chat;
}

/**
 * Whether the user sees a source itself (a widget's settings, its templates): admins see every one,
 * a moderator the sources they are given. Employees see none; they see chats only by taking part.
 */
export function canSeeSource(user: UserRecord, sourceId: number): boolean {
  return isAdmin(user) || (user.roles.includes('moderator') && user.source_ids.includes(sourceId));
}

/** The sources the user sees, as a store filter: 'all' for admins. */
export function visibleSourceIds(user: UserRecord): number[] | 'all' {
  if (isAdmin(user)) return 'all';
  return user.roles.includes('moderator') ? user.source_ids : [];
}
