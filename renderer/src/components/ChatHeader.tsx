import type { ChatRow, OutboxEntryView } from '../../../common/bridge';
import { useT } from '../i18n/i18n';
import { useDesk } from '../store/desk-store';
import { Avatar } from './Avatar';
import { Icon } from './Icon';
import { SourceBadge } from './SourceBadge';

function pendingOf(row: ChatRow, kind: OutboxEntryView['kind']): OutboxEntryView | undefined {
  return row.pendingActions.find((entry) => entry.kind === kind && entry.state !== 'failed');
}

export function ChatHeader({ row }: { row: ChatRow }) {
  const t = useT();
  const session = useDesk((state) => state.session);
  const detailsOpen = useDesk((state) => state.detailsOpen);
  const assignMe = useDesk((state) => state.assignMe);
  const closeChat = useDesk((state) => state.closeChat);
  const openDialog = useDesk((state) => state.openDialog);
  const toggleDetails = useDesk((state) => state.toggleDetails);
  const closeChatView = useDesk((state) => state.closeChatView);
  const isAdmin = session?.user.roles.includes('admin') ?? false;
  const takenByOther = row.assignee !== null && !row.assignedToMe;
  const assigning = pendingOf(row, 'assign-me');
  const closing = pendingOf(row, 'close');
  const transferring = pendingOf(row, 'transfer');
  const subtitle = [row.userMetadata.email, row.userMetadata.phone].filter((value): value is string => typeof value === 'string' && value !== '').join(' · ');

  return (
    <header className="chat-header">
      <button type="button" className="icon-button chat-back" aria-label={t('action.back')} onClick={closeChatView}>
        <Icon name="back" />
      </button>
      <Avatar name={row.title} size="lg" />
      <div className="chat-header-who">
        <h2 className="chat-title">{row.title}</h2>
        <div className="chat-header-meta">
          <SourceBadge type={row.source.type} name={row.source.name} />
          <span>{row.source.name}</span>
          {row.department && <span className="chip">{row.department.name}</span>}
          <span className={`status status-${row.status}`}>{t(`status.${row.status}`)}</span>
          <span className="muted">{row.assignedToMe ? t('chat.assignedToYou') : row.assignee ? t('chat.assignedTo', { name: row.assignee.name }) : t('chat.unassigned')}</span>
          {subtitle && <span className="muted chat-header-contact">{subtitle}</span>}
        </div>
      </div>
      <div className="chat-actions" role="toolbar" aria-label={t('action.details')}>
        {!row.assignedToMe && (
          <button
            type="button"
            className="button button-primary"
            onClick={() => void assignMe()}
            disabled={assigning !== undefined || (takenByOther && !isAdmin)}
            title={`${t('action.assignMe')} (A)`}
          >
            <Icon name="assign" />
            {assigning ? t('action.pending.assign-me') : t('action.assignMe')}
          </button>
        )}
        <button
          type="button"
          className="button"
          onClick={() => openDialog('transfer')}
          disabled={transferring !== undefined || (takenByOther && !isAdmin)}
          title={`${t('action.transfer')} (T)`}
        >
          <Icon name="transfer" />
          {transferring ? t('action.pending.transfer') : t('action.transfer')}
        </button>
        {row.status !== 'closed' && (
          <button
            type="button"
            className="button"
            onClick={() => void closeChat()}
            disabled={closing !== undefined || (takenByOther && !isAdmin)}
            title={`${t('action.close')} (C)`}
          >
            <Icon name="close" />
            {closing ? t('action.pending.close') : t('action.close')}
          </button>
        )}
        <button
          type="button"
          className={`icon-button${detailsOpen ? ' is-active' : ''}`}
          aria-pressed={detailsOpen}
          aria-label={t('action.details')}
          title={`${t('action.details')} (I)`}
          onClick={toggleDetails}
        >
          <Icon name="info" />
        </button>
      </div>
    </header>
  );
}
