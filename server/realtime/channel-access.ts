import { OPERATORS_CHANNEL } from '../../common/realtime';
import type { UserRecord } from '../domain/records';
import { isOperator } from '../domain/roles';
import { canView } from '../domain/visibility';
import type { StoreQueries } from '../store/contract';

// Who may join which channel, the equivalent of Laravel's routes/channels.php: `private-chat.{id}`
// for users who see the chat, `private-user.{id}` for that user, `presence-operators` for operators.

export type ChannelDecision =
  | { allowed: true; presence?: { user_id: number; user_info: { id: number; name: string } } }
  | { allowed: false; reason: string };

const CHAT_CHANNEL = /^private-chat\.(\d{1,15})$/;
const USER_CHANNEL = /^private-user\.(\d{1,15})$/;

export async function decideChannel(store: StoreQueries, user: UserRecord, channel: string): Promise<ChannelDecision> {
  const refused = (reason: string): ChannelDecision => ({ allowed: false, reason });
  if (!isOperator(user)) return refused('Only administrators and moderators may subscribe.');

  const chat = CHAT_CHANNEL.exec(channel);
  if (chat) {
    const row = await store.chats.byId(Number(chat[1]));
    return row && canView(user, row) ? { allowed: true } : refused('You may not see this chat.');
  }
  const own = USER_CHANNEL.exec(channel);
  if (own) return Number(own[1]) === user.id ? { allowed: true } : refused('This is another user’s channel.');
  if (channel === OPERATORS_CHANNEL) {
    return { allowed: true, presence: { user_id: user.id, user_info: { id: user.id, name: user.name } } };
  }
  return refused('No such channel.');
}
