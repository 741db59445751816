import { useRef, useState, type KeyboardEvent } from 'react';
import type { MessageKey } from '../i18n/dictionary';
import { useT } from '../i18n/i18n';
import { useDesk } from '../store/desk-store';
import { Modal } from './Modal';
import { CannedSection } from './settings/CannedSection';
import { DepartmentsSection } from './settings/DepartmentsSection';
import { DevicesSection } from './settings/DevicesSection';
import { GeneralSection } from './settings/GeneralSection';
import { OperatorsSection } from './settings/OperatorsSection';
import { ProfileSection } from './settings/ProfileSection';
import { SourcesSection } from './settings/SourcesSection';
import { TokensSection } from './settings/TokensSection';
import { WidgetsSection } from './settings/WidgetsSection';

const EVERYONE = ['general', 'profile', 'tokens', 'devices'] as const;
const ADMINS = ['operators', 'sources', 'widgets', 'canned', 'departments'] as const;
type Tab = (typeof EVERYONE)[number] | (typeof ADMINS)[number];

const LABELS: Record<Tab, MessageKey> = {
  general: 'settings.general',
  profile: 'account.profile',
  tokens: 'tokens.title',
  devices: 'devices.title',
  operators: 'admin.operators',
  sources: 'admin.sources',
  widgets: 'admin.widgets',
  canned: 'admin.canned',
  departments: 'admin.departments',
};

function Panel({ tab }: { tab: Tab }) {
  switch (tab) {
    case 'general':
      return <GeneralSection />;
    case 'profile':
      return <ProfileSection />;
    case 'tokens':
      return <TokensSection />;
    case 'devices':
      return <DevicesSection />;
    case 'operators':
      return <OperatorsSection />;
    case 'sources':
      return <SourcesSection />;
    case 'widgets':
      return <WidgetsSection />;
    case 'canned':
      return <CannedSection />;
    case 'departments':
      return <DepartmentsSection />;
    default: {
      const unreachable: never = tab;
      return unreachable;
    }
  }
}

/**
 * Settings: the desk's preferences and the user's own account for everyone; Administration for
 * administrators only (the server refuses others anyway). Vertical tabs, arrow keys move between them.
 */
export function SettingsDialog() {
  const t = useT();
  const isAdmin = useDesk((state) => state.session?.user.roles.includes('admin') ?? false);
  const closeDialog = useDesk((state) => state.closeDialog);
  const [tab, setTab] = useState<Tab>('general');
  const tabs: readonly Tab[] = isAdmin ? [...EVERYONE, ...ADMINS] : EVERYONE;
  const refs = useRef(new Map<Tab, HTMLButtonElement>());

  const onKeyDown = (event: KeyboardEvent) => {
    const at = tabs.indexOf(tab);
    const next =
      event.key === 'ArrowDown' ? tabs[(at + 1) % tabs.length] : event.key === 'ArrowUp' ? tabs[(at - 1 + tabs.length) % tabs.length] : event.key === 'Home' ? tabs[0] : event.key === 'End' ? tabs.at(-1) : undefined;
    if (!next) return;
    event.preventDefault();
    setTab(next);
    refs.current.get(next)?.focus();
  };

  const tabButton = (name: Tab) => (
    <button
      key={name}
      ref={(element) => {
        if (element) refs.current.set(name, element);
        else refs.current.delete(name);
      }}
      type="button"
      role="tab"
      id={`settings-tab-${name}`}
      aria-selected={tab === name}
      aria-controls="settings-panel"
      tabIndex={tab === name ? 0 : -1}
      className="settings-tab"
      onClick={() => setTab(name)}
    >
      {t(LABELS[name])}
    </button>
  );

  return (
    <Modal title={t('settings.title')} closeLabel={t('settings.close')} className="modal-settings">
      <div className="settings-layout">
        <div className="settings-nav" role="tablist" aria-orientation="vertical" aria-label={t('settings.title')} onKeyDown={onKeyDown}>
          <p className="settings-group">{t('settings.you')}</p>
          {EVERYONE.map(tabButton)}
          {isAdmin && (
            <>
              <p className="settings-group">{t('admin.title')}</p>
              {ADMINS.map(tabButton)}
            </>
          )}
        </div>
        <div className="settings-panel" role="tabpanel" id="settings-panel" aria-labelledby={`settings-tab-${tab}`}>
          <Panel key={tab} tab={tab} />
        </div>
      </div>
      <footer className="modal-actions">
        <button type="button" className="button button-primary" onClick={closeDialog}>
          {t('settings.close')}
        </button>
      </footer>
    </Modal>
  );
}
