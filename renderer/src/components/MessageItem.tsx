import { memo, useState } from 'react';
import type { Language, MessageView } from '../../../common/bridge';
import type { Translate } from '../i18n/i18n';
import { dayLabel, formatClock, formatDateTime, sameDay } from '../lib/format';
import { useDesk } from '../store/desk-store';
import { AttachmentItem } from './AttachmentView';
import { Icon } from './Icon';
import { MessageText } from './MessageText';

interface Props {
  message: MessageView;
  previous: MessageView | undefined;
  language: Language;
  t: Translate;
  now: number;
  offline: boolean;
}

const GROUP_MS = 5 * 60_000;

function dayText(ms: number, now: number, language: Language, t: Translate): string {
  const label = dayLabel(ms, now, language);
  switch (label.kind) {
    case 'today':
      return t('messages.today');
    case 'yesterday':
      return t('messages.yesterday');
    case 'date':
      return label.text;
    default: {
      const unreachable: never = label;
      return String(unreachable);
    }
  }
}

function sameAuthor(a: MessageView, b: MessageView): boolean {
  return a.senderType === b.senderType && (a.sender?.id ?? null) === (b.sender?.id ?? null);
}

function Status({ message, t, offline }: { message: MessageView; t: Translate; offline: boolean }) {
  const retry = useDesk((state) => state.retry);
  const discard = useDesk((state) => state.discard);
  switch (message.state) {
    case 'sent':
      return (
        <span className="msg-status" title={t('message.sent')}>
          <Icon name="check" size={12} />
          <span className="visually-hidden">{t('message.sent')}</span>
        </span>
      );
    case 'pending':
    case 'sending':
      return (
        <span className="msg-status msg-status-pending">
          <Icon name="clock" size={12} />
          {offline || message.state === 'pending' ? t('message.queued') : t('message.sending')}
        </span>
      );
    case 'failed':
      return (
        <span className="msg-status msg-status-failed" role="alert">
          <Icon name="alert" size={12} />
          <span>{t('message.failed', { reason: message.error ?? t('error.generic') })}</span>
          {message.clientMessageId && (
            <>
              <button type="button" className="link-button" onClick={() => void retry(message.key)}>
                {t('action.retry')}
              </button>
              <button type="button" className="link-button" onClick={() => void discard(message.key)}>
                {t('action.discard')}
              </button>
            </>
          )}
        </span>
      );
    default: {
      const unreachable: never = message.state;
      return <>{String(unreachable)}</>;
    }
  }
}

/** A hidden message (spam, abuse), collapsed to who hid it; the operator may still look at it. */
function HiddenNotice({ message, t, expanded, onToggle }: { message: MessageView; t: Translate; expanded: boolean; onToggle: () => void }) {
  const by = message.hidden?.byName;
  return (
    <div className="msg-hidden">
      <Icon name="flag" size={12} />
      <span>{by ? t('message.hiddenBy', { name: by }) : t('message.hidden')}</span>
      <button type="button" className="link-button" aria-expanded={expanded} onClick={onToggle}>
        {expanded ? t('message.collapseHidden') : t('message.showHidden')}
      </button>
    </div>
  );
}

/** One message of the thread, with its day separator when it starts a day. */
export const MessageItem = memo(function MessageItem({ message, previous, language, t, now, offline }: Props) {
  const [showHidden, setShowHidden] = useState(false);
  const hideMessage = useDesk((state) => state.hideMessage);
  const hidePending = useDesk((state) => state.openChatRow?.pendingActions.some((entry) => entry.kind === 'hide' && entry.messageId === message.id && entry.state !== 'failed') ?? false);
  const newDay = !previous || !sameDay(previous.createdAt, message.createdAt);
  const grouped = !newDay && previous !== undefined && sameAuthor(previous, message) && message.createdAt - previous.createdAt < GROUP_MS && message.senderType !== 'system';
  const day = newDay ? (
    <div className="day-separator" role="separator">
      <span>{dayText(message.createdAt, now, language, t)}</span>
    </div>
  ) : null;

  if (message.senderType === 'system') {
    return (
      <div className="msg-row msg-row-system" data-state={message.state}>
        {day}
        <div className="msg-system">
          <span>{message.text ?? t('message.system')}</span>
          <time dateTime={new Date(message.createdAt).toISOString()}>{formatClock(message.createdAt, language)}</time>
        </div>
      </div>
    );
  }

  const side = message.senderType === 'client' ? 'in' : 'out';
  const author = message.senderType === 'client' ? null : message.own ? null : (message.sender?.name ?? null);
  const hidden = message.hidden !== null;
  const rowClass = `msg-row msg-row-${side}${grouped ? ' is-grouped' : ''}${message.own ? ' is-own' : ''}${hidden ? ' is-hidden' : ''}`;
  if (hidden && !showHidden) {
    return (
      <div className={rowClass} data-state={message.state} data-key={message.key}>
        {day}
        <HiddenNotice message={message} t={t} expanded={false} onToggle={() => setShowHidden(true)} />
      </div>
    );
  }
  // Desk users are operators, who outrank every customer: a customer's message is theirs to hide (the server checks).
  const mayHide = !hidden && message.senderType === 'client' && message.id > 0;
  return (
    <div className={rowClass} data-state={message.state} data-key={message.key}>
      {day}
      {hidden && <HiddenNotice message={message} t={t} expanded onToggle={() => setShowHidden(false)} />}
      <div className={`msg msg-${side}${message.state === 'failed' ? ' is-failed' : ''}${message.state !== 'sent' ? ' is-pending' : ''}`}>
        {author && !grouped && <div className="msg-author">{author}</div>}
        <div className="bubble">
          {message.text && <MessageText text={message.text} />}
          {message.attachments.length > 0 && (
            <div className="attachments">
              {message.attachments.map((attachment, index) => (
                <AttachmentItem key={attachment.id ?? attachment.uploadId ?? index} attachment={attachment} />
              ))}
            </div>
          )}
        </div>
        <div className="msg-foot">
          <time dateTime={new Date(message.createdAt).toISOString()} title={formatDateTime(message.createdAt, language)}>
            {formatClock(message.createdAt, language)}
          </time>
          {side === 'out' && <Status message={message} t={t} offline={offline} />}
          {mayHide &&
            (hidePending ? (
              <span className="msg-status msg-status-pending">
                <Icon name="clock" size={12} />
                {t('action.pending.hide')}
              </span>
            ) : (
              <button type="button" className="link-button msg-hide" title={t('message.hideTitle')} onClick={() => void hideMessage(message.id)}>
                {t('message.hide')}
              </button>
            ))}
        </div>
      </div>
    </div>
  );
});

