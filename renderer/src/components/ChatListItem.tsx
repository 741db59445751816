import { memo } from 'react';
import type { ChatRow } from '../../../common/bridge';
import { useLanguage, useT } from '../i18n/i18n';
import { formatListTime, formatWaiting, waitLevel } from '../lib/format';
import { Avatar } from './Avatar';
import { Icon } from './Icon';
import { SourceBadge } from './SourceBadge';

interface Props {
  row: ChatRow;
  open: boolean;
  selected: boolean;
  now: number;
  onOpen(chatId: number): void;
}

function preview(row: ChatRow, t: ReturnType<typeof useT>): string {
  const last = row.lastMessage;
  if (!last) return t('row.noMessages');
  if (last.hidden) return t('row.hidden');
  return last.text?.trim() || t('row.attachment');
}

/** One chat in the list: who, where from, the last words, and what needs attention. */
export const ChatListItem = memo(function ChatListItem({ row, open, selected, now, onOpen }: Props) {
  const t = useT();
  const language = useLanguage();
  const waited = row.waitingSince !== null && row.status !== 'closed' ? Math.max(0, now - row.waitingSince) : null;
  const level = waited === null ? null : waitLevel(waited);
  const lastAt = row.lastMessageAt ?? row.updatedAt;
  const failed = row.outgoing.failed > 0 || row.pendingActions.some((entry) => entry.state === 'failed');
  const queued = !failed && (row.outgoing.pending > 0 || row.pendingActions.some((entry) => entry.kind !== 'mark-read'));
  const classes = ['chat-row', open && 'is-open', selected && 'is-selected', row.unreadCount > 0 && 'is-unread', row.status === 'closed' && 'is-closed'].filter(Boolean).join(' ');
  return (
    <div
      role="option"
      id={`chat-option-${row.id}`}
      aria-selected={open}
      aria-current={selected ? 'true' : undefined}
      className={classes}
      data-chat-id={row.id}
      onClick={() => onOpen(row.id)}
    >
      <Avatar name={row.title} />
      <div className="chat-row-body">
        <div className="chat-row-line">
          <span className="chat-row-title">{row.title}</span>
          {row.isUrgent && (
            <span className="marker marker-urgent" title={t('row.urgent')}>
              <Icon name="flag" size={12} />
              <span className="visually-hidden">{t('row.urgent')}</span>
            </span>
          )}
          <span className="chat-row-time">{formatListTime(lastAt, now, language)}</span>
        </div>
        <div className="chat-row-line">
          <span className="chat-row-preview">
            {row.lastMessage?.senderType === 'operator' && (
              <span className="chat-row-replied" title={t('row.replied')}>
                <Icon name="reply" size={12} />
                <span className="visually-hidden">{t('row.replied')}</span>
              </span>
            )}
            {preview(row, t)}
          </span>
          {row.unreadCount > 0 && (
            <span className="badge badge-accent" aria-label={t('row.unread', { count: row.unreadCount })}>
              {row.unreadCount}
            </span>
          )}
        </div>
        <div className="chat-row-meta">
          <SourceBadge type={row.source.type} name={row.source.name} />
          {row.department && <span className="chip">{row.department.name}</span>}
          <span className={`status status-${row.status}`}>{t(`status.${row.status}`)}</span>
          {waited !== null && level !== null && (
            <span className={`marker marker-wait wait-${level}`}>
              <Icon name="clock" size={12} />
              {t('row.waiting', { time: formatWaiting(waited, language) })}
            </span>
          )}
          {!row.assignedToMe && <span className="chat-row-assignee">{row.assignee?.name ?? t('row.unassigned')}</span>}
          {failed && (
            <span className="marker marker-failed" title={t('row.notSent')}>
              <Icon name="alert" size={12} />
              <span className="visually-hidden">{t('row.notSent')}</span>
            </span>
          )}
          {queued && (
            <span className="marker marker-queued" title={t('row.queued')}>
              <Icon name="clock" size={12} />
              <span className="visually-hidden">{t('row.queued')}</span>
            </span>
          )}
        </div>
      </div>
    </div>
  );
});
