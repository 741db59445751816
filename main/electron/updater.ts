// electron-updater with the generic provider: checks at start and daily, downloads in the
// background, installs when the user quits. Off in development and without a configured feed.
import { autoUpdater } from 'electron-updater';
import type { UpdateFeed } from './updater-config';

export interface Updater {
  enabled: boolean;
  checkNow(): void;
  stop(): void;
}

export function startUpdater(feed: UpdateFeed, log: (line: string) => void): Updater {
  if (!feed.enabled) {
    log(`updates: ${feed.reason}`);
    return { enabled: false, checkNow: () => undefined, stop: () => undefined };
  }
  if (feed.feedUrl) autoUpdater.setFeedURL({ provider: 'generic', url: feed.feedUrl });
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.on('error', (error: Error) => log(`updates: ${error.message}`));
  autoUpdater.on('update-downloaded', (info) => log(`updates: ${info.version} downloaded; it installs when Switchboard quits`));
  const check = () => {
    autoUpdater.checkForUpdates().catch((error: unknown) => log(`updates: check failed: ${error instanceof Error ? error.message : String(error)}`));
  };
  log(`updates: feed ${feed.feedUrl ?? '(built in)'} from ${feed.source}`);
  check();
  const timer = setInterval(check, feed.checkIntervalMs);
  return { enabled: true, checkNow: check, stop: () => clearInterval(timer) };
}
