import { useEffect, useRef } from 'preact/hooks';
import type { Conversation } from './conversation';
import { Composer } from './composer';
import { formatOpening } from './i18n';
import { PendingView, ServerMessage } from './message-view';
import { useConversation } from './use-conversation';

export function App({ conversation, onClose }: { conversation: Conversation; onClose: (() => void) | null }) {
  const state = useConversation(conversation);
  const { words, data, language } = state;
  const log = useRef<HTMLDivElement>(null);
  const count = state.messages.length + state.pending.length;

  useEffect(() => {
    const element = log.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [count, state.operatorTyping]);

  if (state.phase === 'loading') return <div class="sw loading" aria-busy="true" />;
  if (state.phase === 'unavailable' || !data) {
    return (
      <div class="sw">
        <p class="notice" role="alert">
          {words.unavailable}
        </p>
      </div>
    );
  }

  const canWrite = data.open || data.messages_after_hours;
  const backAt = !data.open && data.next_open_at !== null ? words.backAt(formatOpening(data.next_open_at, language)) : null;

  return (
    <div class="sw">
      <header class="head">
        <div>
          <h1>{data.title}</h1>
          {data.description !== '' && <p>{data.description}</p>}
        </div>
        {onClose && (
          <button type="button" class="close" aria-label={words.close} onClick={onClose}>
            ×
          </button>
        )}
      </header>
      {!data.open && (
        <div class="hours" role="status">
          <p>{canWrite ? words.offline : data.offline_message}</p>
          {backAt !== null && <p class="back">{backAt}</p>}
        </div>
      )}
      <div class="log" ref={log} role="log" aria-live="polite" aria-label={words.messages} tabIndex={0}>
        {data.welcome_message !== '' && (
          <div class="msg msg-operator welcome">
            <p class="text">{data.welcome_message}</p>
          </div>
        )}
        {state.messages.map((message) => (
          <ServerMessage key={`m${message.id}`} message={message} words={words} language={language} api={conversation.api} />
        ))}
        {state.pending.map((pending) => (
          <PendingView key={`p${pending.clientId}`} pending={pending} words={words} language={language} api={conversation.api} onRetry={() => conversation.retry(pending.clientId)} />
        ))}
      </div>
      <p class="typing" aria-live="polite">
        {state.operatorTyping !== null ? words.typing(state.operatorTyping) : ''}
      </p>
      {state.spaceClosed && <p class="closed">{words.closedSpace}</p>}
      {state.notice !== null && (
        <p class="notice" role="alert">
          {state.notice}
        </p>
      )}
      {canWrite && <Composer conversation={conversation} state={state} />}
    </div>
  );
}
