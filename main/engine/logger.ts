/** Where the engine reports what it does. Messages never contain the access token. */
export interface EngineLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export function consoleEngineLogger(prefix = '[desk engine]'): EngineLogger {
  return {
    info: (message) => console.log(`${prefix} ${message}`),
    warn: (message) => console.warn(`${prefix} ${message}`),
    error: (message, error) => console.error(`${prefix} ${message}`, error instanceof Error ? error.message : (error ?? '')),
  };
}

export function silentEngineLogger(): EngineLogger {
  return { info: () => undefined, warn: () => undefined, error: () => undefined };
}
