// What the OS-facing parts (tray, dock/taskbar badge) show, derived from the engine's state and
// push events only: the main process keeps no chat data of its own.
import type { BridgeEvents, ConnectionKind, EventName, Preferences, Result, SessionView } from '../../common/bridge';
import { DEFAULT_PREFERENCES } from '../../common/bridge';

export interface ShellState {
  session: SessionView | null;
  connection: ConnectionKind;
  /** Chats with unread client messages. */
  unreadChats: number;
  preferences: Preferences;
}

export const INITIAL_SHELL_STATE: ShellState = { session: null, connection: 'signed-out', unreadChats: 0, preferences: DEFAULT_PREFERENCES };

function count(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

export function shellStateFromStatus(status: Result<'desk.status'>): ShellState {
  return {
    session: status.session,
    connection: status.connection.kind,
    unreadChats: status.session ? count(status.unreadChats) : 0,
    preferences: status.preferences,
  };
}

/** Applies one engine push event; events that do not concern the shell leave the state as it is. */
export function applyEngineEvent(state: ShellState, known: EngineEvent): ShellState {
  switch (known.event) {
    case 'chats.changed':
      return { ...state, unreadChats: state.session ? count(known.payload.unreadChats) : 0 };
    case 'session.changed':
      return known.payload.session
        ? { ...state, session: known.payload.session }
        : { ...state, session: null, unreadChats: 0, connection: 'signed-out' };
    case 'connection':
      return { ...state, connection: known.payload.kind };
    case 'preferences.changed':
      return { ...state, preferences: known.payload };
    case 'messages.changed':
    case 'typing':
    case 'notification':
    case 'outbox.changed':
    case 'upload.progress':
      return state;
    default: {
      const unreachable: never = known;
      return unreachable;
    }
  }
}

/** One push event as a tagged union, so a switch on `event` narrows `payload`. */
export type EngineEvent = { [E in EventName]: { event: E; payload: BridgeEvents[E] } }[EventName];

/** The dock / taskbar badge text: empty when nothing is unread, capped so it stays readable. */
export function badgeText(unreadChats: number): string {
  const n = count(unreadChats);
  if (n === 0) return '';
  return n > 99 ? '99+' : String(n);
}

/** Windows taskbar overlay image (resources/badges/) for a count; null removes the overlay. */
export function overlayIconName(unreadChats: number): string | null {
  const n = count(unreadChats);
  if (n === 0) return null;
  return n > 9 ? 'badge-9plus.png' : `badge-${n}.png`;
}

function connectionWords(kind: ConnectionKind): string {
  switch (kind) {
    case 'online':
      return 'online';
    case 'offline':
      return 'offline — working from the cache';
    case 'connecting':
      return 'connecting…';
    case 'syncing':
      return 'syncing…';
    case 'signed-out':
      return 'signed out';
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

function unreadWords(n: number): string {
  if (n === 0) return 'no unread chats';
  return n === 1 ? '1 unread chat' : `${n} unread chats`;
}

export function trayTooltip(state: ShellState): string {
  if (!state.session) return 'Switchboard — signed out';
  return `Switchboard — ${unreadWords(count(state.unreadChats))}, ${connectionWords(state.connection)}`;
}

export type TrayAction = 'show' | 'toggle-sound' | 'toggle-auto-launch' | 'check-updates' | 'quit';

export type TrayMenuItem =
  | { kind: 'action'; id: TrayAction; label: string; enabled: boolean }
  | { kind: 'checkbox'; id: TrayAction; label: string; checked: boolean }
  | { kind: 'info'; label: string }
  | { kind: 'separator' };

export interface TrayMenuInput {
  state: ShellState;
  autoLaunch: boolean;
  /** Whether the updater runs in this build (off in development). */
  updaterEnabled: boolean;
}

/** The tray's context menu as data; tray.ts turns it into an Electron Menu. */
export function trayMenuModel({ state, autoLaunch, updaterEnabled }: TrayMenuInput): TrayMenuItem[] {
  const items: TrayMenuItem[] = [{ kind: 'action', id: 'show', label: 'Open Switchboard', enabled: true }];
  if (state.session) {
    items.push({ kind: 'info', label: `${state.session.user.name} · ${unreadWords(count(state.unreadChats))}` });
  }
  items.push(
    { kind: 'separator' },
    { kind: 'checkbox', id: 'toggle-sound', label: 'Sound for new messages', checked: state.preferences.sound },
    { kind: 'checkbox', id: 'toggle-auto-launch', label: 'Start at login', checked: autoLaunch },
    { kind: 'action', id: 'check-updates', label: 'Check for updates', enabled: updaterEnabled },
    { kind: 'separator' },
    { kind: 'action', id: 'quit', label: 'Quit Switchboard', enabled: true },
  );
  return items;
}
