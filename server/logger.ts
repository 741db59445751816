export interface Logger {
  info(message: string): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}

export function consoleLogger(): Logger {
  return {
    info: (message) => console.log(message),
    warn: (message, detail) => console.warn(message, detail ?? ''),
    error: (message, detail) => console.error(message, detail ?? ''),
  };
}

/** For tests and benchmarks: errors still reach stderr, the rest is dropped. */
export function quietLogger(): Logger {
  return {
    info: () => undefined,
    warn: () => undefined,
    error: (message, detail) => console.error(message, detail ?? ''),
  };
}
