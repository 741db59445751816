import { useEffect, useState } from 'preact/hooks';
import type { Conversation, ConversationState } from './conversation';

/** The conversation's state, re-rendering on every change. */
export function useConversation(conversation: Conversation): ConversationState {
  const [, setVersion] = useState(0);
  useEffect(() => conversation.subscribe(() => setVersion((version) => version + 1)), [conversation]);
  return conversation.state;
}
