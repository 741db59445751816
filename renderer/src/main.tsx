import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { chooseBridge } from './bridge/choose-bridge';
import { App } from './components/App';
import { pageSetting } from './lib/page-settings';
import { showWebNotification } from './lib/web-notifications';
import { setBridge } from './store/bridge-ref';
import { useDesk } from './store/desk-store';
import { wireEvents } from './store/wire-events';
import './styles/app.css';
import './styles/settings.css';

const bridge = chooseBridge((link) => useDesk.getState().setLink(link));
setBridge(bridge);
useDesk.setState({ defaultServerUrl: pageSetting('server') ?? '' });
wireEvents(bridge, (notification) => showWebNotification(notification, (chatId) => void useDesk.getState().openChat(chatId)));

// Notifications depend on whether the operator is looking at the desk.
const reportFocus = () => void bridge.client.invoke('desk.focus', { focused: document.hasFocus() && document.visibilityState === 'visible' }).catch(() => undefined);
window.addEventListener('focus', reportFocus);
window.addEventListener('blur', reportFocus);
document.addEventListener('visibilitychange', reportFocus);
window.setInterval(() => useDesk.getState().tick(), 30_000);

function start(): void {
  useDesk
    .getState()
    .start()
    .then(reportFocus, () => {
      // The engine is not reachable yet (the web desk's socket reconnects): try again shortly.
      window.setTimeout(start, 1000);
    });
}
start();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
