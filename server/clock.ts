/** The server's time. Injected (config `clock`), so tests move time forward instead of rewriting rows. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
