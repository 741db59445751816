import { useT } from '../i18n/i18n';
import { useDesk } from '../store/desk-store';
import { Avatar } from './Avatar';
import { ConnectionPill } from './ConnectionPill';
import { Icon } from './Icon';

/** The server's own name, or its address when it is only called after the product. */
function serverLabel(name: string, url: string, product: string): string {
  if (name.trim() !== '' && name !== product) return name;
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function TopBar() {
  const t = useT();
  const session = useDesk((state) => state.session);
  const unreadChats = useDesk((state) => state.unreadChats);
  const openDialog = useDesk((state) => state.openDialog);
  const logout = useDesk((state) => state.logout);
  return (
    <header className="topbar">
      <div className="topbar-brand">
        <span className="brand-mark" aria-hidden="true">
          <Icon name="chat" size={16} />
        </span>
        <span className="brand-name">{t('app.name')}</span>
        {session && <span className="topbar-server muted">{serverLabel(session.serverName, session.serverUrl, t('app.name'))}</span>}
        {unreadChats > 0 && (
          <span className="badge badge-accent" aria-label={t('row.unread', { count: unreadChats })}>
            {unreadChats}
          </span>
        )}
      </div>
      <ConnectionPill />
      <div className="topbar-actions">
        {session && (
          <span className="topbar-user" title={session.user.email}>
            <Avatar name={session.user.name} size="sm" />
            <span className="topbar-user-name">{session.user.name}</span>
          </span>
        )}
        <button type="button" className="icon-button" aria-label={t('top.shortcuts')} title={`${t('top.shortcuts')} (?)`} onClick={() => openDialog('shortcuts')}>
          <Icon name="keyboard" />
        </button>
        <button type="button" className="icon-button" aria-label={t('top.settings')} title={t('top.settings')} onClick={() => openDialog('settings')}>
          <Icon name="settings" />
        </button>
        <button type="button" className="icon-button" aria-label={t('top.signOut')} title={t('top.signOut')} onClick={() => void logout()}>
          <Icon name="logout" />
        </button>
      </div>
    </header>
  );
}
