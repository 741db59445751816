import type { BrowserWindow } from 'electron';
import { app, nativeImage } from 'electron';
import { join } from 'node:path';
import { badgeText, overlayIconName } from './shell-state';

/** The unread-chats count on the dock (macOS), the launcher (Linux, where supported) or the taskbar button (Windows). */
export function applyBadge(window: BrowserWindow | null, unreadChats: number, resourcesDir: string): void {
  switch (process.platform) {
    case 'darwin':
      app.dock?.setBadge(badgeText(unreadChats));
      return;
    case 'win32': {
      if (!window || window.isDestroyed()) return;
      const icon = overlayIconName(unreadChats);
      window.setOverlayIcon(icon ? nativeImage.createFromPath(join(resourcesDir, 'badges', icon)) : null, icon ? `${badgeText(unreadChats)} unread chats` : '');
      return;
    }
    default:
      app.setBadgeCount(unreadChats > 0 ? unreadChats : 0);
  }
}
