import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PREFERENCES, type SessionView } from '../../common/bridge';
import {
  applyEngineEvent,
  badgeText,
  INITIAL_SHELL_STATE,
  overlayIconName,
  shellStateFromStatus,
  trayMenuModel,
  trayTooltip,
} from '../../main/electron/shell-state';

const session: SessionView = { serverUrl: 'http://127.0.0.1:8080', serverName: 'Acme', user: { id: 2, name: 'Maria Moderator', email: 'mod@example.com', roles: ['moderator'] } };
const counts = { my: 1, unassigned: 2, all: 3 };

describe('badge and tray from engine state', () => {
  it('starts from the engine status', () => {
    const state = shellStateFromStatus({ session, connection: { kind: 'online' }, outbox: [], unreadChats: 4, preferences: DEFAULT_PREFERENCES });
    assert.equal(state.unreadChats, 4);
    assert.equal(badgeText(state.unreadChats), '4');
    assert.equal(trayTooltip(state), 'Switchboard — 4 unread chats, online');
  });

  it('follows the unread count of chats.changed', () => {
    let state = applyEngineEvent(INITIAL_SHELL_STATE, { event: 'session.changed', payload: { session, reason: 'login' } });
    state = applyEngineEvent(state, { event: 'chats.changed', payload: { chats: [], removedIds: [], counts, unreadChats: 1 } });
    assert.equal(badgeText(state.unreadChats), '1');
    assert.equal(overlayIconName(state.unreadChats), 'badge-1.png');
    state = applyEngineEvent(state, { event: 'chats.changed', payload: { chats: [], removedIds: [], counts, unreadChats: 0 } });
    assert.equal(badgeText(state.unreadChats), '');
    assert.equal(overlayIconName(state.unreadChats), null);
  });

  it('clears the badge on logout and ignores counts while signed out', () => {
    let state = applyEngineEvent(INITIAL_SHELL_STATE, { event: 'session.changed', payload: { session, reason: 'restored' } });
    state = applyEngineEvent(state, { event: 'chats.changed', payload: { chats: [], removedIds: [], counts, unreadChats: 5 } });
    state = applyEngineEvent(state, { event: 'session.changed', payload: { session: null, reason: 'expired' } });
    assert.equal(state.unreadChats, 0);
    assert.equal(trayTooltip(state), 'Switchboard — signed out');
    state = applyEngineEvent(state, { event: 'chats.changed', payload: { chats: [], removedIds: [], counts, unreadChats: 5 } });
    assert.equal(badgeText(state.unreadChats), '');
  });

  it('caps the badge and the overlay', () => {
    assert.equal(badgeText(100), '99+');
    assert.equal(badgeText(99), '99');
    assert.equal(overlayIconName(9), 'badge-9.png');
    assert.equal(overlayIconName(10), 'badge-9plus.png');
    assert.equal(badgeText(-3), '');
    assert.equal(badgeText(Number.NaN), '');
  });

  it('shows the connection state in the tooltip', () => {
    let state = applyEngineEvent(INITIAL_SHELL_STATE, { event: 'session.changed', payload: { session, reason: 'login' } });
    state = applyEngineEvent(state, { event: 'connection', payload: { kind: 'offline', since: 1, reason: 'ECONNREFUSED', nextAttemptAt: null } });
    assert.equal(trayTooltip(state), 'Switchboard — no unread chats, offline — working from the cache');
  });

  it('builds the tray menu: sound follows preferences, start-at-login and updates as given', () => {
    let state = applyEngineEvent(INITIAL_SHELL_STATE, { event: 'session.changed', payload: { session, reason: 'login' } });
    state = applyEngineEvent(state, { event: 'preferences.changed', payload: { ...DEFAULT_PREFERENCES, sound: false } });
    state = applyEngineEvent(state, { event: 'chats.changed', payload: { chats: [], removedIds: [], counts, unreadChats: 2 } });
    const menu = trayMenuModel({ state, autoLaunch: true, updaterEnabled: false });
    assert.deepEqual(menu.find((item) => item.kind === 'info'), { kind: 'info', label: 'Maria Moderator · 2 unread chats' });
    assert.deepEqual(menu.find((item) => item.kind === 'checkbox' && item.id === 'toggle-sound'), { kind: 'checkbox', id: 'toggle-sound', label: 'Sound for new messages', checked: false });
    assert.deepEqual(menu.find((item) => item.kind === 'checkbox' && item.id === 'toggle-auto-launch'), { kind: 'checkbox', id: 'toggle-auto-launch', label: 'Start at login', checked: true });
    assert.deepEqual(menu.find((item) => item.kind === 'action' && item.id === 'check-updates'), { kind: 'action', id: 'check-updates', label: 'Check for updates', enabled: false });
    assert.equal(menu.at(-1)?.kind === 'action' && menu.at(-1)?.kind, 'action');
  });

  it('events the shell does not show leave the state unchanged', () => {
    const state = applyEngineEvent(INITIAL_SHELL_STATE, { event: 'typing', payload: { chatId: 1, user: { id: 3, name: 'X' }, typing: true, expiresAt: 5 } });
    assert.equal(state, INITIAL_SHELL_STATE);
  });
});
