import type { Server } from 'node:http';

/** Counts the HTTP requests a server is answering, so a graceful stop can wait for them. */
export class InFlightRequests {
  private count = 0;
  private readonly waiters = new Set<() => void>();

  track(server: Server): void {
    server.on('request', (_request, response) => {
      this.count++;
      // 'close' comes once the answer is sent or the client went away: either way it is over.
      response.once('close', () => {
        this.count--;
        if (this.count === 0) for (const wake of [...this.waiters]) wake();
      });
    });
  }

  get size(): number {
    return this.count;
  }

  /** Resolves once no request is under way, or after `timeoutMs` whatever is left. */
  drained(timeoutMs: number): Promise<void> {
    if (this.count === 0 || timeoutMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }
}
