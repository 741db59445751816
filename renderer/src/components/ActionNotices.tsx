import type { ChatRow, OutboxEntryView } from '../../../common/bridge';
import { useT } from '../i18n/i18n';
import { useDesk } from '../store/desk-store';
import { Icon } from './Icon';

/** Queued actions that failed (someone else took the chat meanwhile…), and immediate refusals. */
export function ActionNotices({ row }: { row: ChatRow }) {
  const t = useT();
  const chatError = useDesk((state) => state.chatError);
  const outboxError = useDesk((state) => state.outboxError);
  const connection = useDesk((state) => state.connection);
  const retry = useDesk((state) => state.retry);
  const discard = useDesk((state) => state.discard);
  const failed = row.pendingActions.filter((entry) => entry.state === 'failed');
  const queuedOffline = connection.kind === 'offline' ? row.pendingActions.filter((entry) => entry.state !== 'failed' && entry.kind !== 'mark-read') : [];
  const reason = (entry: OutboxEntryView) => entry.error ?? t('error.generic');
  if (failed.length === 0 && queuedOffline.length === 0 && !chatError && !outboxError) return null;
  return (
    <div className="notices">
      {chatError && (
        <div className="notice notice-danger" role="alert">
          <Icon name="alert" />
          <span>{chatError.message}</span>
        </div>
      )}
      {outboxError && (
        <div className="notice notice-danger" role="alert">
          <Icon name="alert" />
          <span>{outboxError.message}</span>
        </div>
      )}
      {failed.map((entry) => (
        <div key={entry.id} className="notice notice-danger" role="alert">
          <Icon name="alert" />
          <span>{t(`action.failed.${entry.kind}`, { reason: reason(entry) })}</span>
          <span className="notice-actions">
            <button type="button" className="button button-small" onClick={() => void retry(entry.id)}>
              {t('action.retry')}
            </button>
            <button type="button" className="button button-ghost button-small" onClick={() => void discard(entry.id)}>
              {t('action.dismiss')}
            </button>
          </span>
        </div>
      ))}
      {queuedOffline.map((entry) => (
        <div key={entry.id} className="notice notice-warn" role="status">
          <Icon name="clock" />
          <span>
            {t(`action.pending.${entry.kind}`)} {t('action.queuedOffline')}
          </span>
        </div>
      ))}
    </div>
  );
}
