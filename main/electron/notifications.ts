import { Notification } from 'electron';
import type { BridgeEvents } from '../../common/bridge';
import { notificationContent } from './notification-content';

// Notifications are kept referenced until closed: on Windows a collected one loses its click handler.
const shown = new Set<Notification>();

export function showChatNotification(payload: BridgeEvents['notification'], icon: string, onClick: (chatId: number) => void): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ ...notificationContent(payload), icon });
  notification.on('click', () => {
    shown.delete(notification);
    onClick(payload.chatId);
  });
  notification.on('close', () => shown.delete(notification));
  shown.add(notification);
  notification.show();
}
