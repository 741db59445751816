// The desk's sync engine (DESIGN §6): plain Node, driven through the bridge contract of common/bridge.ts.
export { createEngine, type Engine, type EngineOptions } from './engine';
export { createLocalClient } from './local-client';
export { FileSecretStore, type SecretStore } from './secret-store';
export { shouldNotify, type Notifier, type NotificationPayload } from './notifications';
export { consoleEngineLogger, silentEngineLogger, type EngineLogger } from './logger';
export { DEFAULT_TIMING, type EngineTiming } from './timing';
