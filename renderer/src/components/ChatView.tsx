import { useEffect, useState, type DragEvent } from 'react';
import { useT } from '../i18n/i18n';
import { useDesk } from '../store/desk-store';
import { ActionNotices } from './ActionNotices';
import { ChatHeader } from './ChatHeader';
import { Composer } from './Composer';
import { Icon } from './Icon';
import { MessageList } from './MessageList';
import { TypingIndicator } from './TypingIndicator';

function hasFiles(event: DragEvent): boolean {
  return [...event.dataTransfer.types].includes('Files');
}

/** Reading a chat marks it read — but only while the operator can actually see it. */
function useMarkRead(chatId: number, unread: number) {
  const markRead = useDesk((state) => state.markRead);
  useEffect(() => {
    if (unread === 0) return;
    const mark = () => {
      if (document.visibilityState === 'visible' && document.hasFocus()) void markRead();
    };
    mark();
    window.addEventListener('focus', mark);
    document.addEventListener('visibilitychange', mark);
    return () => {
      window.removeEventListener('focus', mark);
      document.removeEventListener('visibilitychange', mark);
    };
  }, [chatId, unread, markRead]);
}

export function ChatView() {
  const t = useT();
  const row = useDesk((state) => state.openChatRow);
  const chatId = useDesk((state) => state.openChatId);
  const attachFiles = useDesk((state) => state.attachFiles);
  const [dragging, setDragging] = useState(false);
  useMarkRead(chatId ?? 0, row?.unreadCount ?? 0);

  if (chatId === null) return null;
  return (
    <section
      className="chat-view"
      aria-label={row?.title ?? t('chat.loading')}
      onDragEnter={(event) => {
        if (hasFiles(event)) setDragging(true);
      }}
      onDragOver={(event) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={(event) => {
        if (event.currentTarget === event.target || !event.currentTarget.contains(event.relatedTarget instanceof Node ? event.relatedTarget : null)) setDragging(false);
      }}
      onDrop={(event) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        setDragging(false);
        const files = [...event.dataTransfer.files];
        if (files.length > 0) void attachFiles(chatId, files);
      }}
    >
      {row ? <ChatHeader row={row} /> : <header className="chat-header muted">{t('chat.loading')}</header>}
      {row && <ActionNotices row={row} />}
      <MessageList />
      <TypingIndicator chatId={chatId} />
      {row && <Composer key={row.id} row={row} />}
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <Icon name="clip" size={28} />
          {t('composer.drop')}
        </div>
      )}
    </section>
  );
}

export function EmptyChat() {
  const t = useT();
  return (
    <section className="chat-empty" aria-label={t('chat.none')}>
      <Icon name="chat" size={40} />
      <h2>{t('chat.none')}</h2>
      <p className="muted">{t('chat.noneHint')}</p>
    </section>
  );
}
