import type { MenuItemConstructorOptions } from 'electron';
import { Menu, nativeImage, Tray } from 'electron';
import { join } from 'node:path';
import type { TrayAction, TrayMenuItem } from './shell-state';

export function menuTemplate(items: readonly TrayMenuItem[], onAction: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'action':
        return { label: item.label, enabled: item.enabled, click: () => onAction(item.id) };
      case 'checkbox':
        return { label: item.label, type: 'checkbox', checked: item.checked, click: () => onAction(item.id) };
      case 'info':
        return { label: item.label, enabled: false };
      case 'separator':
        return { type: 'separator' };
      default: {
        const unreachable: never = item;
        return unreachable;
      }
    }
  });
}

export function createTray(resourcesDir: string, onShow: () => void): Tray {
  const file = process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png';
  const image = nativeImage.createFromPath(join(resourcesDir, 'tray', file));
  if (process.platform === 'darwin') image.setTemplateImage(true);
  const tray = new Tray(image);
  tray.on('click', onShow);
  return tray;
}

export function updateTray(tray: Tray, items: readonly TrayMenuItem[], tooltip: string, onAction: (action: TrayAction) => void): void {
  tray.setToolTip(tooltip);
  tray.setContextMenu(Menu.buildFromTemplate(menuTemplate(items, onAction)));
}
