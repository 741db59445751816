import { useState } from 'react';
import { useT } from '../i18n/i18n';
import { canAskForNotifications, dismissNotificationPrompt, notificationPromptDismissed, requestNotifications } from '../lib/web-notifications';
import { Icon } from './Icon';

/** Asked once, politely, and never on first paint of the login screen: only a signed-in browser desk shows it. */
export function NotificationPrompt() {
  const t = useT();
  const [visible, setVisible] = useState(() => canAskForNotifications() && !notificationPromptDismissed());
  if (!visible) return null;
  return (
    <div className="banner banner-info" role="region" aria-label={t('settings.notifications')}>
      <Icon name="info" />
      <span>{t('notifyPrompt.text')}</span>
      <span className="banner-actions">
        <button
          type="button"
          className="button button-primary button-small"
          onClick={() => {
            void requestNotifications().finally(() => setVisible(false));
          }}
        >
          {t('notifyPrompt.enable')}
        </button>
        <button
          type="button"
          className="button button-ghost button-small"
          onClick={() => {
            dismissNotificationPrompt();
            setVisible(false);
          }}
        >
          {t('notifyPrompt.later')}
        </button>
      </span>
    </div>
  );
}
