import { app } from 'electron';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { autostartDesktopEntry, autostartPath, launchCommand } from './auto-launch-entry';

function linuxEntryPath(): string {
  return autostartPath(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'));
}

export function isAutoLaunchEnabled(): boolean {
  if (process.platform === 'linux') return existsSync(linuxEntryPath());
  return app.getLoginItemSettings().openAtLogin;
}

export function setAutoLaunch(enabled: boolean): void {
  if (process.platform === 'linux') {
    const file = linuxEntryPath();
    if (enabled) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, autostartDesktopEntry(launchCommand(process.execPath, process.env.APPIMAGE)));
    } else {
      rmSync(file, { force: true });
    }
    return;
  }
  app.setLoginItemSettings({ openAtLogin: enabled, openAsHidden: true, args: ['--hidden'] });
}
