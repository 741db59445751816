import type { ConnectionState } from '../../../common/bridge';
import type { Translate } from '../i18n/i18n';
import { useT } from '../i18n/i18n';
import { useDesk } from '../store/desk-store';

export function connectionLabel(connection: ConnectionState, t: Translate): string {
  switch (connection.kind) {
    case 'online':
      return t('conn.online');
    case 'connecting':
      return t('conn.connecting');
    case 'syncing':
      return t('conn.syncing', { done: connection.done, total: connection.total });
    case 'offline':
      return t('conn.offline');
    case 'signed-out':
      return t('conn.signedOut');
    default: {
      const unreachable: never = connection;
      return String(unreachable);
    }
  }
}

/** Always visible: whether what the operator sees is live, catching up, or from the cache. */
export function ConnectionPill() {
  const t = useT();
  const connection = useDesk((state) => state.connection);
  const link = useDesk((state) => state.link);
  const kind = link === 'lost' ? 'offline' : connection.kind;
  const label = link === 'lost' ? t('conn.offline') : connectionLabel(connection, t);
  return (
    <span className={`pill pill-${kind}`} role="status" aria-label={`${t('conn.status')}: ${label}`} data-state={kind}>
      <span className="pill-dot" aria-hidden="true" />
      {label}
    </span>
  );
}
