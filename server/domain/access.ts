import { isAdmin } from '../auth/authenticator';
import { ForbiddenError, NotFoundError } from '../http/errors';
import type { ChatScope, Store } from '../store';
import type { ChatRow, UserRecord } from '../store/rows';

// Who sees what (DESIGN §2): an admin sees every chat; a moderator sees the chats of their sources,
// narrowed to their departments when they have any (chats with no department stay visible).
// A chat you cannot see does not exist for you: 404, never 403.

export function scopeOf(user: UserRecord): ChatScope {
  if (isAdmin(user)) return { kind: 'everything' };
  if (!user.roles.includes('moderator')) return { kind: 'sources', sourceIds: [], departmentIds: [] };
  return { kind: 'sources', sourceIds: user.source_ids, departmentIds: user.department_ids };
}

export function canView(user: UserRecord, chat: Pick<ChatRow, 'source_id' | 'department_id'>): boolean {
  const scope = scopeOf(user);
  switch (scope.kind) {
    case 'everything':
      return true;
    case 'sources':
      return (
        scope.sourceIds.includes(chat.source_id) &&
        (scope.departmentIds.length === 0 || chat.department_id === null || scope.departmentIds.includes(chat.department_id))
      );
    default: {
      const unreachable: never = scope;
      throw new Error(`unknown scope ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Update right (send, close, assign-me, transfer, patch): admin, or a viewer of an unassigned chat or one assigned to them. */
export function canUpdate(user: UserRecord, chat: ChatRow): boolean {
  if (!canView(user, chat)) return false;
  return isAdmin(user) || chat.assigned_to === null || chat.assigned_to === user.id;
}

export type ChatAbility = 'view' | 'update';

/** Loads a chat the user may act on, or throws the error the contract prescribes. */
export function authorizeChat(store: Store, user: UserRecord, chatId: number, ability: ChatAbility): ChatRow {
  const chat = store.chats.byId(chatId);
  if (!chat || !canView(user, chat)) throw new NotFoundError();
  if (ability === 'update' && !canUpdate(user, chat)) {
    throw new ForbiddenError('This chat is assigned to another operator.');
  }
  return chat;
}
