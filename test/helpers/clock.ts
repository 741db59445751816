import type { Clock } from '../../server/clock';

/** The wall clock plus an offset that tests move forward (an upload expiring, a token running out). */
export class TestClock implements Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
