import { CHAT_TABS, type ChatTab } from '../../../common/api';
import { useT } from '../i18n/i18n';
import { useDesk } from '../store/desk-store';

const LABELS = { my: 'tab.my', unassigned: 'tab.unassigned', all: 'tab.all' } as const satisfies Record<ChatTab, string>;

export function ListTabs() {
  const t = useT();
  const tab = useDesk((state) => state.query.tab);
  const counts = useDesk((state) => state.counts);
  const setQuery = useDesk((state) => state.setQuery);
  return (
    <div className="tabs" role="tablist" aria-label={t('list.tabs')}>
      {CHAT_TABS.map((name, index) => (
        <button
          key={name}
          type="button"
          role="tab"
          aria-selected={tab === name}
          aria-controls="chat-list"
          className="tab"
          title={`${t(LABELS[name])} (${index + 1})`}
          onClick={() => setQuery({ tab: name })}
        >
          <span>{t(LABELS[name])}</span>
          <span className="tab-count" data-testid={`count-${name}`}>
            {counts[name]}
          </span>
        </button>
      ))}
    </div>
  );
}
