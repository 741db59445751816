import { hostname } from 'node:os';
import type { ApiConfig, ApiUser } from '../../common/api';
import {
  BridgeError,
  DEFAULT_PREFERENCES,
  type BridgeListener,
  type ConnectionState,
  type EventName,
  type EventPayload,
  type Preferences,
  type SessionView,
} from '../../common/bridge';
import { Account } from './account';
import { openCache } from './cache';
import { ApiClient, normaliseServerUrl } from './api/client';
import { HttpStatusError, NetworkError } from './api/errors';
import { CatchUp, walkChat } from './catch-up';
import { clearSessionPointer, loadPreferences, loadSessionPointer, saveSessionPointer, savePreferences, sanitisePreferences } from './desk-files';
import { EngineEmitter } from './emitter';
import { Files } from './files';
import { createHandlers, type EngineHandlers } from './handlers';
import { SyncStart } from './sync-start';
import { DeskWindows } from './windows';
import { silentEngineLogger, type EngineLogger } from './logger';
import type { Notifier } from './notifications';
import { OutboxRunner } from './outbox';
import { SearchIndexer } from './search-indexer';
import { accountPaths, deskFiles } from './paths';
import { RealtimeLink } from './realtime';
import { FileSecretStore, type SecretStore } from './secret-store';
import { resolveTiming, type EngineTiming } from './timing';

export interface EngineOptions {
  /** Where the desk keeps its caches, preferences and (with FileSecretStore) its token. */
  dataDir: string;
  /** Default: `FileSecretStore` in `{dataDir}/secrets` (0600 files, not encrypted). Electron passes a safeStorage store. */
  secretStore?: SecretStore;
  notifier?: Notifier;
  logger?: EngineLogger;
  /** Default true; false keeps the engine on REST (catch-up by polling). */
  realtime?: boolean;
  /** Shown in the server's token list. */
  deviceName?: string;
  timing?: Partial<EngineTiming>;
  now?: () => number;
  random?: () => number;
}

/** One running sign-in: the account and the parts that sync it. */
interface Runtime {
  account: Account;
  files: Files;
  outbox: OutboxRunner;
  searchIndex: SearchIndexer;
  catchUp: CatchUp;
  realtime: RealtimeLink | null;
  pollTimer: NodeJS.Timeout | null;
  disposers: (() => void)[];
  /** When the sync (outbox, catch-up, realtime, polling) starts. */
  sync: SyncStart;
}

const SESSION_META = 'session';

interface StoredSession {
  session: SessionView;
  user: ApiUser;
  config: ApiConfig | null;
}

function isStoredSession(value: unknown): value is StoredSession {
  return typeof value === 'object' && value !== null && 'session' in value && 'user' in value;
}

/** One bridge connection's handlers, over a window of its own (its open chats, its focus). */
export interface EngineWindow {
  handlers: EngineHandlers;
  /** The connection ended: its open chats are left, its focus forgotten. */
  close(): void;
}

export interface Engine {
  /** One handler per bridge request (common/bridge.ts), over a window of their own (in-process callers, tests). */
  handlers: EngineHandlers;
  /** A window for a new bridge connection (a page, the Electron shell). */
  openWindow(): EngineWindow;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  onAny(listener: BridgeListener): () => void;
  /** Resolves once a remembered session is restored (or found absent). Handlers wait for it themselves. */
  ready: Promise<void>;
  /** Waits until the outbox has nothing due, no catch-up runs and every cached message is indexed for search (tests, graceful shutdown). */
  settled(): Promise<void>;
  /**
   * True when nothing syncs, nothing in the outbox is due and no refused catch-up waits to be tried
   * again; with `since` (epoch ms), also only once the desk is caught up with everything the server
   * held at that moment (realtime live since the last catch-up, or a catch-up started after it).
   * Unlike `settled()` it starts nothing, so a tool can look at what the engine did by itself.
   */
  quiet(since?: number): boolean;
  close(): Promise<void>;
}

export class DeskEngine {
  readonly emitter: EngineEmitter;
  readonly logger: EngineLogger;
  readonly timing: EngineTiming;
  readonly secrets: SecretStore;
  private readonly files: ReturnType<typeof deskFiles>;
  private preferences: Preferences = { ...DEFAULT_PREFERENCES };
  /** Per-window state (open chats, focus), one window per bridge connection. */
  readonly windows = new DeskWindows({
    joined: (chatId) => this.runtime?.realtime?.joinChat(chatId),
    left: (chatId) => this.runtime?.realtime?.leaveChat(chatId),
  });
  runtime: Runtime | null = null;
  private closed = false;
  private sessionOp: Promise<unknown> = Promise.resolve();
  readonly ready: Promise<void>;

  constructor(readonly options: EngineOptions) {
    this.logger = options.logger ?? silentEngineLogger();
    this.emitter = new EngineEmitter((error) => this.logger.error('an event listener threw', error));
    this.timing = resolveTiming(options.timing);
    this.files = deskFiles(options.dataDir);
    this.secrets = options.secretStore ?? new FileSecretStore(this.files.secrets);
    this.ready = this.restore().catch((error: unknown) => this.logger.error('restoring the session failed', error));
  }

  now(): number {
    return this.options.now?.() ?? Date.now();
  }

  // ------------------------------------------------------------------------------------------
  // Desk-wide state

  getPreferences(): Preferences {
    return { ...this.preferences };
  }

  async setPreferences(patch: Partial<Preferences>): Promise<Preferences> {
    this.preferences = sanitisePreferences({ ...this.preferences, ...patch }, this.preferences);
    await savePreferences(this.files.preferences, this.preferences);
    this.emitter.emit('preferences.changed', this.getPreferences());
    return this.getPreferences();
  }

  connection(): ConnectionState {
    return this.runtime?.account.connection() ?? { kind: 'signed-out' };
  }

  session(): SessionView | null {
    return this.runtime?.account.session ?? null;
  }

  /** The running account, or a `not_signed_in` error. */
  requireRuntime(): Runtime {
    if (!this.runtime || this.runtime.account.closed) throw new BridgeError('not_signed_in', 'Sign in first.');
    return this.runtime;
  }

  // ------------------------------------------------------------------------------------------
  // Sessions

  /** Session changes run one at a time (a login racing a restore or a logout). */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.sessionOp.then(work, work);
    this.sessionOp = next.catch(() => undefined);
    return next;
  }

  private async restore(): Promise<void> {
    this.preferences = await loadPreferences(this.files.preferences);
    const pointer = await loadSessionPointer(this.files.session);
    if (!pointer) return;
    const paths = accountPaths(this.options.dataDir, pointer.serverUrl, pointer.userId);
    const token = await this.secrets.get(paths.key);
    if (!token) return;
    await this.serial(async () => {
      const account = this.openAccount(pointer.serverUrl, pointer.userId, token, null);
      if (!account) return;
      this.emitter.emit('session.changed', { session: account.session, reason: 'restored' });
    });
  }

  login(serverUrlInput: string, email: string, password: string): Promise<SessionView> {
    return this.serial(async () => {
      let serverUrl: string;
      try {
        serverUrl = normaliseServerUrl(serverUrlInput);
      } catch {
        throw new BridgeError('validation', 'The server address is not a valid URL.', { serverUrl: ['The server address is not a valid URL.'] });
      }
      const api = new ApiClient({ serverUrl, token: () => null, socketId: () => null, timeoutMs: this.timing.requestTimeoutMs });
      let config: ApiConfig;
      try {
        config = await api.config();
        if (typeof config?.realtime?.key !== 'string') throw new Error('not a Switchboard server');
      } catch (error) {
        if (error instanceof NetworkError) throw new BridgeError('offline', `The server at ${serverUrl} cannot be reached: ${error.message}`);
        throw new BridgeError('validation', `${serverUrl} does not answer like a Switchboard server.`, { serverUrl: ['This is not a Switchboard server.'] });
      }
      let login: { token: string; user: ApiUser };
      try {
        login = await api.login(email, password, this.options.deviceName ?? `Switchboard Desk (${hostname()})`);
      } catch (error) {
        throw toBridgeError(error);
      }
      await this.stopRuntime();
      const paths = accountPaths(this.options.dataDir, serverUrl, login.user.id);
      await this.secrets.set(paths.key, login.token);
      await saveSessionPointer(this.files.session, { serverUrl, userId: login.user.id });
      const session: SessionView = {
        serverUrl,
        serverName: config.name,
        user: { id: login.user.id, name: login.user.name, email: login.user.email, roles: login.user.roles },
      };
      const account = this.openAccount(serverUrl, login.user.id, login.token, { session, user: login.user, config });
      if (!account) throw new BridgeError('server', 'The desk could not open its cache.');
      this.emitter.emit('session.changed', { session, reason: 'login' });
      return session;
    });
  }

  logout(): Promise<void> {
    return this.serial(async () => {
      const runtime = this.runtime;
      if (!runtime) return;
      // Best effort: a token we cannot revoke now still disappears from this machine.
      if (runtime.account.reachability !== 'unreachable') await runtime.account.api.logout().catch(() => undefined);
      await this.secrets.delete(runtime.account.paths.key);
      await clearSessionPointer(this.files.session);
      await this.stopRuntime();
      this.emitter.emit('session.changed', { session: null, reason: 'logout' });
      this.emitter.emit('connection', { kind: 'signed-out' });
    });
  }

  /** The server refused the token: the session ends, the cache and outbox stay for the next sign-in. */
  private expire(): void {
    void this.serial(async () => {
      const runtime = this.runtime;
      if (!runtime) return;
      this.logger.warn('the server no longer accepts the session; sign in again');
      await this.secrets.delete(runtime.account.paths.key);
      await this.stopRuntime();
      this.emitter.emit('session.changed', { session: null, reason: 'expired' });
      this.emitter.emit('connection', { kind: 'signed-out' });
    });
  }

  private openAccount(serverUrl: string, userId: number, token: string, fresh: StoredSession | null): Account | null {
    const paths = accountPaths(this.options.dataDir, serverUrl, userId);
    const host = {
      emitter: this.emitter,
      logger: this.logger,
      timing: this.timing,
      notifier: this.options.notifier ?? null,
      preferences: () => this.getPreferences(),
      showing: (chatId: number) => this.windows.showing(chatId),
      openChatIds: () => this.windows.openChatIds(),
      now: () => this.now(),
      random: () => this.options.random?.() ?? Math.random(),
      onUnauthenticated: () => this.expire(),
    };
    const cache = openCache(paths.database);
    const restored = fresh === null;
    if (fresh) cache.meta.set(SESSION_META, JSON.stringify(fresh));
    else {
      // A restored session comes from the cache: the desk starts without the network.
      const stored: unknown = JSON.parse(cache.meta.get(SESSION_META) ?? 'null');
      if (!isStoredSession(stored)) {
        cache.close();
        return null;
      }
      fresh = stored;
    }
    const account = new Account(host, { cache, paths, serverUrl, session: fresh.session, user: fresh.user, token });
    this.startRuntime(account, token, fresh.config, restored);
    return account;
  }

  private startRuntime(account: Account, token: string, config: ApiConfig | null, restored: boolean): void {
    const files = new Files(account);
    const outbox = new OutboxRunner(account, files);
    let realtime: RealtimeLink | null = null;
    const catchUp = new CatchUp(account, () => realtime?.epoch ?? null);
    const searchIndex = new SearchIndexer(account, this.logger, () => catchUp.busy);
    const sync = new SyncStart(() => this.beginSync(runtime, config, startRealtime), { fallbackMs: this.timing.syncStartDelayMs, idleMs: this.timing.syncStartIdleMs });
    const runtime: Runtime = { account, files, outbox, searchIndex, catchUp, realtime: null, pollTimer: null, disposers: [], sync };
    this.runtime = runtime;

    runtime.disposers.push(
      account.onReachable((wasUnreachable) => {
        if (wasUnreachable) {
          void catchUp.request();
          outbox.wake();
        }
      }),
      account.onUnreachable(() => outbox.kick()),
      account.onFreshMessages((messages) => files.prefetch(messages)),
      account.onFreshMessages(() => searchIndex.wake()),
    );

    const startRealtime = (realtimeConfig: ApiConfig['realtime']) => {
      if (this.options.realtime === false || account.closed) return;
      realtime = new RealtimeLink(account, realtimeConfig, token, {
        onSubscribed: () => void catchUp.request(),
        onDown: () => {
          account.live = false;
        },
        onFreshMessages: (messages) => account.notifyAbout(messages),
      });
      runtime.realtime = realtime;
      for (const chatId of this.windows.openChatIds()) realtime.joinChat(chatId);
      realtime.start();
    };

    // A fresh sign-in has nothing cached to show: it syncs at once. Restored from the cache, the
    // first page and the clicks right after it are served before the sync competes with them.
    // (A restored session carries the config stored at sign-in: whether it was restored decides, not that.)
    if (restored) runtime.sync.defer();
    else runtime.sync.now();
  }

  /** A page of the list or a thread was served from the cache (the sync waits for a pause after it). */
  pageServed(): void {
    this.runtime?.sync.served();
  }

  /** A bridge request came in. */
  requestArrived(): void {
    this.runtime?.sync.activity();
  }

  private beginSync(runtime: Runtime, config: ApiConfig | null, startRealtime: (realtimeConfig: ApiConfig['realtime']) => void): void {
    const { account, outbox, catchUp } = runtime;
    if (account.closed) return;
    outbox.start();
    // What the last run wrote and did not index yet.
    runtime.searchIndex.wake();
    void catchUp.request();
    if (config) startRealtime(config.realtime);
    else {
      // Restored from cache: the realtime settings may have changed since; ask once the server answers.
      const fetchConfig = () =>
        account.api.config().then(
          (fetched) => {
            const stored: unknown = JSON.parse(account.cache.meta.get(SESSION_META) ?? 'null');
            if (isStoredSession(stored)) account.cache.meta.set(SESSION_META, JSON.stringify({ ...stored, config: fetched }));
            startRealtime(fetched.realtime);
          },
          () => {
            const off = account.onReachable(() => {
              off();
              void fetchConfig();
            });
          },
        );
      void fetchConfig();
    }

    // Without a realtime socket nothing tells us about changes: poll.
    runtime.pollTimer = setInterval(() => {
      if (account.closed || account.reachability === 'unreachable') return;
      if (!runtime.realtime || !runtime.realtime.connected) void catchUp.request();
    }, this.timing.pollIntervalMs);
    runtime.pollTimer.unref();
  }

  private async stopRuntime(): Promise<void> {
    const runtime = this.runtime;
    if (!runtime) return;
    this.runtime = null;
    runtime.sync.cancel();
    if (runtime.pollTimer) clearInterval(runtime.pollTimer);
    for (const dispose of runtime.disposers) dispose();
    runtime.realtime?.stop();
    runtime.outbox.stop();
    runtime.searchIndex.stop();
    runtime.account.close();
  }

  /** Opening a chat: join its channel and bring its newest messages in (in the background). */
  refreshChat(chatId: number): void {
    const runtime = this.runtime;
    if (!runtime || runtime.account.reachability === 'unreachable') return;
    walkChat(runtime.account, chatId).catch((error: unknown) => {
      if (!(error instanceof NetworkError) && !(error instanceof HttpStatusError)) this.logger.error(`refreshing chat ${chatId} failed`, error);
    });
  }

  quiet(since: number | null): boolean {
    const runtime = this.runtime;
    if (!runtime) return true;
    if (!runtime.sync.started) return false;
    if (runtime.catchUp.busy || runtime.catchUp.retryPending || !runtime.outbox.isIdle()) return false;
    if (since === null) return true;
    // Caught up with what happened until `since`: realtime has delivered everything since the last
    // catch-up (live), or a catch-up that started after `since` has completed.
    const freshAsOf = runtime.catchUp.freshAsOf;
    return runtime.account.live || (freshAsOf !== null && freshAsOf > since);
  }

  async settled(): Promise<void> {
    for (;;) {
      const runtime = this.runtime;
      if (!runtime) return;
      runtime.sync.now();
      await runtime.catchUp.request();
      await runtime.outbox.idle();
      await runtime.searchIndex.idle();
      if (!runtime.catchUp.busy && this.runtime === runtime) return;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.ready;
    await this.serial(() => this.stopRuntime());
  }
}

/** An API failure as the bridge reports it. */
export function toBridgeError(error: unknown): BridgeError {
  if (error instanceof BridgeError) return error;
  if (error instanceof NetworkError) return new BridgeError('offline', error.message);
  if (error instanceof HttpStatusError) {
    const message = error.body?.message ?? error.message;
    switch (error.status) {
      case 401:
        return new BridgeError('unauthenticated', message);
      case 403:
        return new BridgeError('forbidden', message);
      case 404:
        return new BridgeError('not_found', message);
      case 413:
        return new BridgeError('payload_too_large', message);
      case 422:
        return new BridgeError('validation', message, error.body?.errors);
      case 429:
        return new BridgeError('too_many_requests', message);
      default:
        return new BridgeError('server', message);
    }
  }
  return new BridgeError('server', 'Something went wrong in the desk engine.');
}

/** Builds the desk's sync engine. It restores the remembered session (from cache, offline too) and starts syncing. */
export function createEngine(options: EngineOptions): Engine {
  const engine = new DeskEngine(options);
  const openWindow = (): EngineWindow => {
    const window = engine.windows.open();
    return { handlers: createHandlers(engine, window), close: () => engine.windows.close(window) };
  };
  return {
    handlers: openWindow().handlers,
    openWindow,
    on: (event, listener) => engine.emitter.on(event, listener),
    onAny: (listener) => engine.emitter.onAny(listener),
    ready: engine.ready,
    settled: () => engine.settled(),
    quiet: (since) => engine.quiet(since ?? null),
    close: () => engine.close(),
  };
}
