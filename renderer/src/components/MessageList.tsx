import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useLanguage, useT } from '../i18n/i18n';
import { useDesk } from '../store/desk-store';
import { Icon } from './Icon';
import { MessageItem } from './MessageItem';

/** Room above the first message for "loading older…" / "beginning of the conversation". */
const HEADER = 48;
/** Older history is asked for while the reader is this close to the top. */
const NEAR_TOP_PX = 2500;

/**
 * The thread, virtualised, newest at the bottom. Older pages are prepended as the reader scrolls
 * up; the virtualizer keeps the message under the reader's eyes where it was (anchored to the
 * end), and follows new messages only when the reader is already at the bottom.
 */
export function MessageList() {
  const t = useT();
  const language = useLanguage();
  const chatId = useDesk((state) => state.openChatId);
  const messages = useDesk((state) => state.messages);
  const hasOlder = useDesk((state) => state.hasOlder);
  const loadingOlder = useDesk((state) => state.loadingOlder);
  const olderError = useDesk((state) => state.olderError);
  const chatLoading = useDesk((state) => state.chatLoading);
  const minute = useDesk((state) => state.minute);
  const offline = useDesk((state) => state.connection.kind === 'offline');
  const loadOlder = useDesk((state) => state.loadOlder);
  const scroller = useRef<HTMLDivElement>(null);
  const [positioned, setPositioned] = useState<number | null>(null);
  const [unseen, setUnseen] = useState(0);
  const lastKey = useRef<string | null>(null);

  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 64,
    getItemKey: (index) => messages[index]?.key ?? index,
    overscan: 8,
    paddingStart: HEADER,
    paddingEnd: 8,
    anchorTo: 'end',
    followOnAppend: true,
  });
  const items = virtualizer.getVirtualItems();
  const ready = positioned === chatId && chatId !== null;
  const nearTop = (virtualizer.scrollOffset ?? 0) < NEAR_TOP_PX;

  // A newly opened chat starts at its newest message.
  useLayoutEffect(() => {
    if (chatId === null || positioned === chatId || chatLoading || messages.length === 0) return;
    virtualizer.scrollToEnd();
    lastKey.current = messages.at(-1)?.key ?? null;
    setUnseen(0);
    const frame = requestAnimationFrame(() => setPositioned(chatId));
    return () => cancelAnimationFrame(frame);
  }, [chatId, positioned, chatLoading, messages, virtualizer]);

  // New messages at the bottom: follow when at the end or when we wrote it; else count them.
  useEffect(() => {
    const last = messages.at(-1);
    if (!ready || !last || last.key === lastKey.current) return;
    const previousKey = lastKey.current;
    lastKey.current = last.key;
    if (previousKey === null) return;
    if (last.own) {
      virtualizer.scrollToEnd();
      setUnseen(0);
    } else if (!virtualizer.isAtEnd(80)) setUnseen((count) => count + 1);
  }, [messages, ready, virtualizer]);

  useEffect(() => {
    if (ready && nearTop && hasOlder && !loadingOlder && !olderError) void loadOlder();
  }, [ready, nearTop, hasOlder, loadingOlder, olderError, messages.length, loadOlder]);

  return (
    <div className="thread-wrap">
      <div
        ref={scroller}
        className="thread"
        role="log"
        aria-label={t('messages.label')}
        aria-busy={loadingOlder || chatLoading}
        tabIndex={-1}
        onScroll={() => {
          if (unseen > 0 && virtualizer.isAtEnd(80)) setUnseen(0);
        }}
      >
        <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
          <div className="thread-head">
            {olderError ? (
              <span className="notice notice-danger notice-inline" role="alert">
                {t('messages.olderFailed', { reason: olderError.message })}
                <button type="button" className="link-button" onClick={() => void loadOlder()}>
                  {t('messages.tryAgain')}
                </button>
              </span>
            ) : loadingOlder || (hasOlder && messages.length > 0) ? (
              <span className="muted">{t('messages.loadingOlder')}</span>
            ) : messages.length > 0 ? (
              <span className="muted">{t('messages.start')}</span>
            ) : chatLoading ? (
              <span className="muted">{t('chat.loading')}</span>
            ) : (
              <span className="muted">{t('messages.empty')}</span>
            )}
          </div>
          {items.map((item) => {
            const message = messages[item.index];
            if (!message) return null;
            return (
              <div key={item.key} ref={virtualizer.measureElement} data-index={item.index} className="virtual-item" style={{ transform: `translateY(${item.start}px)` }}>
                <MessageItem message={message} previous={messages[item.index - 1]} language={language} t={t} now={minute} offline={offline} />
              </div>
            );
          })}
        </div>
      </div>
      {unseen > 0 && (
        <button
          type="button"
          className="jump-new"
          onClick={() => {
            virtualizer.scrollToEnd({ behavior: 'smooth' });
            setUnseen(0);
          }}
        >
          <Icon name="down" size={14} />
          {t('messages.jumpToNew')}
          <span className="badge badge-accent">{unseen}</span>
        </button>
      )}
    </div>
  );
}
