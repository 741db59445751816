import type { ChatRecord, MessageRecord } from './records';

// What a website visitor may see of its own space. The visitor sees the conversation — its own
// messages and the operators' answers — and nothing of the desk's side: no system notes (transfers,
// staff notes), no hidden message, no operator's e-mail or surname. The store's form of the same
// rule is VISIBLE_TO_VISITOR in server/store/queries/spaces.ts.

export function visibleToVisitor(message: MessageRecord): boolean {
  return (message.sender_type === 'client' || message.sender_type === 'operator') && !message.is_hidden;
}

/** The name a visitor is shown for an operator: the first word of it ("Maria Moderator" → "Maria"). */
export function firstName(name: string | null): string {
  const first = (name ?? '').trim().split(/\s+/)[0];
  return first === undefined || first === '' ? 'Operator' : first;
}

/** Whether a chat is a website visitor's space (it has a space token). */
export function isSpace(chat: Pick<ChatRecord, 'token'>): boolean {
  return chat.token !== null;
}
