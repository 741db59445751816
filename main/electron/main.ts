// The Electron main process: glue only. It owns the window, tray, badge, notifications, updater
// and deep links; the sync engine runs in a utility process and the page talks to it over a
// MessagePort. Every decision with logic in it lives in a pure module beside this one.
import type { BrowserWindow } from 'electron';
import { app, protocol, session, shell } from 'electron';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { EventName, EventPayload } from '../../common/bridge';
import { BridgeError } from '../../common/bridge';
import { createPortBridgeClient } from '../../common/bridge-port-client';
import { isAutoLaunchEnabled, setAutoLaunch } from './auto-launch';
import { startedHidden } from './auto-launch-entry';
import { applyBadge } from './badge';
import { DEEP_LINK_SCHEME, findDeepLink, parseDeepLink } from './deep-link';
import { attachmentHeaders, contentTypeOf, deskAttachmentId, deskFilePath } from './desk-protocol';
import { startEngineProcess } from './engine-process';
import { electronPortEndpoint } from './electron-port';
import { IPC, onTrustedMessage } from './ipc';
import { showChatNotification } from './notifications';
import { deskDataDir, deskPaths } from './paths';
import { desktopSecretStore } from './safe-secret-store';
import { contentSecurityPolicy, DESK_SCHEME, isPermissionGranted, navigationDecision, windowOpenDecision } from './security';
import { applyEngineEvent, INITIAL_SHELL_STATE, shellStateFromStatus, trayMenuModel, trayTooltip, type EngineEvent, type ShellState, type TrayAction } from './shell-state';
import { createTray, updateTray } from './tray';
import { startUpdater, type Updater } from './updater';
import { resolveUpdateFeed } from './updater-config';
import { createDeskWindow, revealWindow } from './window';

const APP_ID = 'com.switchboard.desk';
const paths = deskPaths(__dirname);
const log = (line: string) => console.log(`[switchboard] ${line}`);

// Must happen before `ready`: the desk's own origin, with the rights of a normal https page.
protocol.registerSchemesAsPrivileged([{ scheme: DESK_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);

// A separate profile (tests, a second operator on one OS account); must be set before anything reads userData.
if (process.env.SWITCHBOARD_USER_DATA) app.setPath('userData', resolve(process.env.SWITCHBOARD_USER_DATA));
if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
if (process.defaultApp && process.argv[1]) {
  // `electron out/desk/main.cjs`: register the link handler with the script to run.
  app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [resolve(process.argv[1])]);
} else {
  app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
}

if (!app.requestSingleInstanceLock()) {
  // Another desk is running: it receives our argv (and any deep link) in `second-instance`.
  app.quit();
} else {
  run();
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function run(): void {
  let window: BrowserWindow | null = null;
  let rendererReady = false;
  let pendingChat: number | null = findDeepLink(process.argv)?.chatId ?? null;
  let shellState: ShellState = INITIAL_SHELL_STATE;
  let quitting = false;
  let updater: Updater | null = null;
  let refreshTray: () => void = () => undefined;

  const openChat = (chatId: number) => {
    if (!window || window.isDestroyed()) {
      pendingChat = chatId;
      return;
    }
    revealWindow(window);
    if (rendererReady) window.webContents.send(IPC.openChat, chatId);
    else pendingChat = chatId;
  };

  // macOS delivers links as events, possibly before `ready`.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const link = parseDeepLink(url);
    if (link) openChat(link.chatId);
  });
  app.on('second-instance', (_event, argv) => {
    if (window && !window.isDestroyed()) revealWindow(window);
    const link = findDeepLink(argv);
    if (link) openChat(link.chatId);
  });

  // Every webContents, not only the desk window, gets the navigation and window-open guards.
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      const decision = windowOpenDecision(url);
      if (decision.openExternally) void shell.openExternal(decision.openExternally);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event) => {
      if (navigationDecision(event.url).action !== 'allow') event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  app.on('before-quit', () => {
    quitting = true;
  });

  void app.whenReady().then(async () => {
    const userData = app.getPath('userData');
    const dataDir = deskDataDir(userData);
    mkdirSync(dataDir, { recursive: true });

    const deskSession = session.defaultSession;
    deskSession.setPermissionRequestHandler((_contents, permission, callback, details) => callback(isPermissionGranted(permission, details.requestingUrl)));
    deskSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionGranted(permission, requestingOrigin));
    // The main process's own bridge client: tray, badge, notifications, attachments.
    const shellClient = createPortBridgeClient((message, error) => console.error(message, error));
    const csp = contentSecurityPolicy();
    protocol.handle(DESK_SCHEME, async (request) => {
      const attachmentId = deskAttachmentId(request.url);
      if (attachmentId !== null) {
        // The engine finds (or downloads) the file; the main process only reads the path it names.
        try {
          const file = await shellClient.client.invoke('attachments.open', { attachmentId });
          return new Response(await readFile(file.path), { headers: attachmentHeaders(file.name, file.mimeType) });
        } catch (error) {
          const offline = error instanceof BridgeError && error.code === 'offline';
          return new Response(offline ? 'The attachment is not cached and the server is unreachable.' : 'Not found', { status: offline ? 503 : 404 });
        }
      }
      const file = deskFilePath(paths.rendererDir, request.url);
      if (!file) return new Response('Not found', { status: 404 });
      try {
        const body = await readFile(file);
        return new Response(body, {
          headers: { 'Content-Type': contentTypeOf(file), 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff' },
        });
      } catch {
        return new Response('Not found', { status: 404 });
      }
    });

    const secrets = desktopSecretStore(dataDir);
    if (!secrets.encrypted) log('no OS keychain available: the access token is kept in a file readable only by this user');

    let engineStarts = 0;
    const engine = startEngineProcess({
      modulePath: paths.engineHost,
      args: ['--data-dir', dataDir, '--sqlite-binding', paths.sqliteBinding],
      secrets: secrets.store,
      log,
      onStart: () => {
        engineStarts += 1;
        shellClient.attach(electronPortEndpoint(engine.connect('shell')));
        if (engineStarts > 1 && rendererReady && window && !window.isDestroyed()) {
          window.webContents.postMessage(IPC.bridgePort, null, [engine.connect('renderer')]);
        }
        void shellClient.client.invoke('desk.status', {}).then((status) => {
          shellState = shellStateFromStatus(status);
          refreshTray();
        }, (error: unknown) => log(`desk.status failed: ${error instanceof Error ? error.message : String(error)}`));
      },
    });

    const track = <E extends EventName>(event: E, toChange: (payload: EventPayload<E>) => EngineEvent) => {
      shellClient.client.on(event, (payload) => {
        shellState = applyEngineEvent(shellState, toChange(payload));
        refreshTray();
      });
    };
    track('chats.changed', (payload) => ({ event: 'chats.changed', payload }));
    track('session.changed', (payload) => ({ event: 'session.changed', payload }));
    track('connection', (payload) => ({ event: 'connection', payload }));
    track('preferences.changed', (payload) => ({ event: 'preferences.changed', payload }));
    shellClient.client.on('notification', (payload) => showChatNotification(payload, join(paths.resourcesDir, 'icon.png'), openChat));

    onTrustedMessage(IPC.ready, () => (window && !window.isDestroyed() ? window.webContents.id : null), (event) => {
      rendererReady = true;
      event.sender.postMessage(IPC.bridgePort, null, [engine.connect('renderer')]);
      if (pendingChat !== null) {
        event.sender.send(IPC.openChat, pendingChat);
        pendingChat = null;
      }
    });

    const showWindow = () => {
      if (!window || window.isDestroyed()) {
        window = createWindow(userData, !startedHidden(process.argv, app.getLoginItemSettings().wasOpenedAtLogin));
      }
      revealWindow(window);
    };
    const createWindow = (dir: string, show: boolean) => {
      const created = createDeskWindow({ userData: dir, preload: paths.preload, icon: join(paths.resourcesDir, 'icon.png'), show });
      rendererReady = false;
      created.webContents.on('did-start-loading', () => {
        rendererReady = false;
      });
      created.on('focus', () => void shellClient.client.invoke('desk.focus', { focused: true }).catch(() => undefined));
      created.on('blur', () => void shellClient.client.invoke('desk.focus', { focused: false }).catch(() => undefined));
      // Closing the window keeps the desk running in the tray (notifications, sync); Quit ends it.
      created.on('close', (event) => {
        if (quitting) return;
        event.preventDefault();
        created.hide();
      });
      return created;
    };

    window = createWindow(userData, !startedHidden(process.argv, app.getLoginItemSettings().wasOpenedAtLogin));
    const tray = createTray(paths.resourcesDir, showWindow);

    updater = startUpdater(
      resolveUpdateFeed({
        isPackaged: app.isPackaged,
        env: process.env,
        deskConfig: readJson(join(userData, 'desk.json')),
        hasBuiltInFeed: existsSync(join(process.resourcesPath, 'app-update.yml')),
      }),
      log,
    );

    const onTrayAction = (action: TrayAction) => {
      switch (action) {
        case 'show':
          showWindow();
          return;
        case 'toggle-sound':
          void shellClient.client.invoke('preferences.set', { sound: !shellState.preferences.sound }).catch(() => undefined);
          return;
        case 'toggle-auto-launch':
          setAutoLaunch(!isAutoLaunchEnabled());
          refreshTray();
          return;
        case 'check-updates':
          updater?.checkNow();
          return;
        case 'quit':
          app.quit();
          return;
        default: {
          const unreachable: never = action;
          return unreachable;
        }
      }
    };
    refreshTray = () => {
      updateTray(tray, trayMenuModel({ state: shellState, autoLaunch: isAutoLaunchEnabled(), updaterEnabled: updater?.enabled ?? false }), trayTooltip(shellState), onTrayAction);
      applyBadge(window, shellState.unreadChats, paths.resourcesDir);
    };
    refreshTray();

    app.on('activate', showWindow);
    let engineStopped = false;
    app.on('will-quit', (event) => {
      if (engineStopped) return;
      // Let the engine close its database cleanly (the outbox is durable either way).
      event.preventDefault();
      updater?.stop();
      void engine.stop().then(() => {
        engineStopped = true;
        app.quit();
      });
    });
  });
}
