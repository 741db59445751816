import { useEffect, useState } from 'preact/hooks';
import type { Conversation, ConversationState } from './conversation';

/** The conversation's state, re-rendering on every change. */
export function useConversation(conversation: Conversation): ConversationState {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const update = () => setVersion((version) => version + 1);
    const unsubscribe = conversation.subscribe(update);
    // Effects run after the first paint: whatever changed before that is drawn now.
    update();
    return unsubscribe;
  }, [conversation]);
  return conversation.state;
}
