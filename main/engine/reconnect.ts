import { backoffDelay, type BackoffPolicy } from './backoff';

/**
 * When to connect again after a connection dropped. A server restart drops every desk at the same
 * moment; were they all to come straight back, the server would meet them all in the same second
 * (each then authorises its channels and catches up). Each attempt waits the backoff's jittered
 * delay instead (backoff.ts: half fixed, half random), growing while the server stays away.
 */
export class ReconnectSchedule {
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  /** Runs `connect` after the next attempt's delay (replacing one already waiting); returns the delay. */
  schedule(connect: () => void): number {
    this.cancel();
    this.attempt++;
    const delay = backoffDelay(this.policy, this.attempt, this.random);
    this.timer = setTimeout(() => {
      this.timer = null;
      connect();
    }, delay);
    this.timer.unref();
    return delay;
  }

  /** The connection is up and in use again: the next drop starts from the first attempt. */
  succeeded(): void {
    this.attempt = 0;
  }

  get waiting(): boolean {
    return this.timer !== null;
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
