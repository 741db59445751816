// The shell's IPC is tiny (the bridge itself goes over a MessagePort), and every message is checked:
// it must come from the main frame of the desk window showing app://desk.
import type { IpcMainEvent } from 'electron';
import { ipcMain } from 'electron';
import { isTrustedSender } from './security';

export { IPC } from '../../preload/ipc-channels';

export function senderOf(event: IpcMainEvent): { webContentsId: number; frameUrl: string | null; isMainFrame: boolean } {
  const frame = event.senderFrame;
  return { webContentsId: event.sender.id, frameUrl: frame ? frame.url : null, isMainFrame: frame !== null && frame.parent === null };
}

export function onTrustedMessage(channel: string, deskContentsId: () => number | null, handler: (event: IpcMainEvent) => void): void {
  ipcMain.on(channel, (event) => {
    const sender = senderOf(event);
    if (!isTrustedSender(sender, deskContentsId())) {
      console.warn(`ignored IPC ${channel} from an untrusted sender (${sender.frameUrl ?? 'no frame'})`);
      return;
    }
    handler(event);
  });
}
