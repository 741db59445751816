import type { AppDeps } from '../../deps';
import { NotVisibleError } from '../../domain/errors';
import type { ChatRecord, UserRecord } from '../../domain/records';
import { authorizeChat } from '../../domain/visibility';
import { idParam } from '../../http/validate';

// A space is a chat of a widget. The CRM module sees only those: a Telegram chat, like a chat the
// caller may not see, is a space that does not exist (404).

/** The chat behind a space id (a path segment or a body field) the user sees, or a 404. */
export async function visibleSpace(deps: AppDeps, user: UserRecord, rawId: unknown): Promise<ChatRecord> {
  const parsed = idParam.safeParse(rawId);
  if (!parsed.success) throw new NotVisibleError('chat');
  const chat = await authorizeChat(deps.store, user, parsed.data, 'view');
  const source = await deps.store.catalog.source(chat.source_id);
  if (source?.type !== 'widget') throw new NotVisibleError('chat');
  return chat;
}

/** The chat of a space token the user sees, or a 404. */
export async function visibleSpaceByToken(deps: AppDeps, user: UserRecord, token: string): Promise<ChatRecord> {
  const chat = await deps.store.chats.byToken(token);
  if (!chat) throw new NotVisibleError('chat');
  return visibleSpace(deps, user, chat.id);
}
