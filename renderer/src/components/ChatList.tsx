import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef } from 'react';
import { useT } from '../i18n/i18n';
import { useDesk } from '../store/desk-store';
import { DEFAULT_QUERY } from '../store/list-slice';
import { ChatListItem } from './ChatListItem';

const ROW_HEIGHT = 84;

/** The chat list, virtualised: 10,000 chats cost as much to show as the 12 on screen. */
export function ChatList() {
  const t = useT();
  const rows = useDesk((state) => state.rows);
  const hasMore = useDesk((state) => state.hasMore);
  const listLoaded = useDesk((state) => state.listLoaded);
  const listError = useDesk((state) => state.listError);
  const openChatId = useDesk((state) => state.openChatId);
  const selectedId = useDesk((state) => state.selectedId);
  const query = useDesk((state) => state.query);
  const minute = useDesk((state) => state.minute);
  const focusRequest = useDesk((state) => state.focusRequest);
  const openChat = useDesk((state) => state.openChat);
  const loadMoreChats = useDesk((state) => state.loadMoreChats);
  const setQuery = useDesk((state) => state.setQuery);
  const moveSelection = useDesk((state) => state.moveSelection);
  const scroller = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count: rows.length + (hasMore ? 1 : 0),
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => rows[index]?.id ?? 'more',
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (hasMore && lastIndex >= rows.length - 10) void loadMoreChats();
  }, [hasMore, lastIndex, rows.length, loadMoreChats]);

  // Keep the keyboard selection in view.
  useEffect(() => {
    if (selectedId === null) return;
    const index = rows.findIndex((row) => row.id === selectedId);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [selectedId, rows, virtualizer]);

  useEffect(() => {
    if (focusRequest?.target !== 'list') return;
    scroller.current?.focus();
    const { selectedId: current, rows: shown } = useDesk.getState();
    if (!shown.some((row) => row.id === current)) moveSelection(1);
  }, [focusRequest, moveSelection]);

  const open = useCallback((chatId: number) => void openChat(chatId), [openChat]);
  const filtered = query.status !== DEFAULT_QUERY.status || query.sourceId !== null || query.departmentId !== null || query.search.trim() !== '';

  return (
    <div
      ref={scroller}
      id="chat-list"
      className="chat-list"
      role="listbox"
      aria-label={t('list.label')}
      aria-activedescendant={selectedId !== null ? `chat-option-${selectedId}` : undefined}
      tabIndex={0}
      onKeyDown={(event) => {
        if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
          event.preventDefault();
          moveSelection(event.key === 'ArrowDown' ? 1 : -1);
        } else if (event.key === 'Enter') {
          const chatId = useDesk.getState().selectedId;
          if (chatId !== null && rows.some((row) => row.id === chatId)) {
            event.preventDefault();
            open(chatId);
          }
        }
      }}
    >
      {listLoaded && rows.length === 0 && (
        <div className="list-empty">
          {listError ? <p role="alert">{listError.message}</p> : <p>{filtered ? t('list.emptyFiltered') : t('list.empty')}</p>}
          {filtered && (
            <button type="button" className="button button-ghost button-small" onClick={() => setQuery({ status: DEFAULT_QUERY.status, sourceId: null, departmentId: null, search: '' })}>
              {t('list.clearFilters')}
            </button>
          )}
        </div>
      )}
      {!listLoaded && rows.length === 0 && <p className="list-empty muted">{t('list.loading')}</p>}
      <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const row = rows[item.index];
          return (
            <div key={item.key} className="virtual-item" style={{ transform: `translateY(${item.start}px)`, height: item.size }}>
              {row ? (
                <ChatListItem row={row} open={row.id === openChatId} selected={row.id === selectedId} now={minute} onOpen={open} />
              ) : (
                <div className="chat-row-loading muted">{t('list.loadingMore')}</div>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
