import { useEffect } from 'react';
import { handleDeskKey } from '../lib/keyboard';
import { useDesk } from '../store/desk-store';
import { Banners } from './Banners';
import { ChatList } from './ChatList';
import { ChatView, EmptyChat } from './ChatView';
import { DetailsPanel } from './DetailsPanel';
import { ListFilters } from './ListFilters';
import { ListTabs } from './ListTabs';
import { SearchBox } from './SearchBox';
import { SettingsDialog } from './SettingsDialog';
import { ShortcutsDialog } from './ShortcutsDialog';
import { TopBar } from './TopBar';
import { TransferDialog } from './TransferDialog';

function Dialogs() {
  const dialog = useDesk((state) => state.dialog);
  const chatOpen = useDesk((state) => state.openChatId !== null);
  switch (dialog) {
    case null:
      return null;
    case 'transfer':
      return chatOpen ? <TransferDialog /> : null;
    case 'settings':
      return <SettingsDialog />;
    case 'shortcuts':
      return <ShortcutsDialog />;
    default: {
      const unreachable: never = dialog;
      return <>{String(unreachable)}</>;
    }
  }
}

/** The signed-in desk: the list on the left, the open chat, the customer beside it. */
export function Desk() {
  const chatOpen = useDesk((state) => state.openChatId !== null);
  const detailsOpen = useDesk((state) => state.detailsOpen);
  useEffect(() => {
    document.addEventListener('keydown', handleDeskKey);
    return () => document.removeEventListener('keydown', handleDeskKey);
  }, []);
  return (
    <div className={`desk${chatOpen ? ' has-chat' : ''}`}>
      <TopBar />
      <Banners />
      <main className="desk-main">
        <aside className="sidebar">
          <SearchBox />
          <ListTabs />
          <ListFilters />
          <ChatList />
        </aside>
        {chatOpen ? <ChatView /> : <EmptyChat />}
        {chatOpen && detailsOpen && <DetailsPanel />}
      </main>
      <Dialogs />
    </div>
  );
}
