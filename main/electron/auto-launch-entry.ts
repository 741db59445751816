// Start-at-login on Linux, where Electron's setLoginItemSettings does nothing: an XDG autostart
// entry in ~/.config/autostart. (macOS and Windows use setLoginItemSettings; see auto-launch.ts.)
import { join } from 'node:path';

export const AUTOSTART_FILE = 'switchboard-desk.desktop';

export function autostartPath(configHome: string): string {
  return join(configHome, 'autostart', AUTOSTART_FILE);
}

/** The command that starts this app: the AppImage file itself when running from one, else the executable. */
export function launchCommand(execPath: string, appImage: string | undefined): string {
  const target = appImage && appImage.length > 0 ? appImage : execPath;
  // Desktop Entry Exec quoting: wrap in double quotes, escape the characters the spec reserves.
  return `"${target.replace(/(["`$\\])/g, '\\$1')}" --hidden`;
}

export function autostartDesktopEntry(command: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Switchboard',
    'Comment=Switchboard operator desk',
    `Exec=${command}`,
    'Icon=switchboard',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Whether the desk was started by the login item / autostart entry (it then starts in the tray). */
export function startedHidden(argv: readonly string[], wasOpenedAtLogin: boolean): boolean {
  return wasOpenedAtLogin || argv.includes('--hidden');
}
