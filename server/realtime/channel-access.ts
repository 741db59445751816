import { OPERATORS_CHANNEL } from '../../common/realtime';
import { isOperator } from '../auth/authenticator';
import { canView } from '../domain/access';
import type { Store } from '../store';
import type { UserRecord } from '../store/rows';

// Who may join which channel (DESIGN §5), the equivalent of Laravel's routes/channels.php.

export type ChannelDecision =
  | { allowed: true; presence?: { user_id: number; user_info: { id: number; name: string } } }
  | { allowed: false; reason: string };

const CHAT_CHANNEL = /^private-chat\.(\d{1,15})$/;
const USER_CHANNEL = /^private-user\.(\d{1,15})$/;

export function decideChannel(store: Store, user: UserRecord, channel: string): ChannelDecision {
  const refused = (reason: string): ChannelDecision => ({ allowed: false, reason });
  if (!isOperator(user)) return refused('Only administrators and moderators may subscribe.');

  const chat = CHAT_CHANNEL.exec(channel);
  if (chat) {
    const row = store.chats.byId(Number(chat[1]));
    return row && canView(user, row) ? { allowed: true } : refused('You may not see this chat.');
  }
  const own = USER_CHANNEL.exec(channel);
  if (own) return Number(own[1]) === user.id ? { allowed: true } : refused('This is another user’s channel.');
  if (channel === OPERATORS_CHANNEL) {
    return { allowed: true, presence: { user_id: user.id, user_info: { id: user.id, name: user.name } } };
  }
  return refused('No such channel.');
}
