// When a desk restored from its cache starts syncing. The operator's first look (the list's first
// page, the open thread, the clicks right after) is served from the cache alone; the sync (outbox,
// catch-up, realtime) would compete with it for the engine's one thread, so it starts once the
// requests pause after the first page, and at the latest a little after the start.

export interface SyncStartTiming {
  /** The sync starts this long after the start at the latest, whatever the windows do. */
  fallbackMs: number;
  /** After the first page, the sync starts once no request came for this long. */
  idleMs: number;
}

/** However busy the windows keep the engine after the first page, the sync waits at most this many pauses. */
const MAX_PAUSES_AFTER_PAGE = 3;

export class SyncStart {
  private begun = false;
  private pageServed = false;
  private fallback: NodeJS.Timeout | null = null;
  private idle: NodeJS.Timeout | null = null;
  private afterPage: NodeJS.Timeout | null = null;

  constructor(
    private readonly begin: () => void,
    private readonly timing: SyncStartTiming,
  ) {}

  get started(): boolean {
    return this.begun;
  }

  /** Waits for the first page (or the fallback) before starting. */
  defer(): void {
    if (this.begun || this.fallback) return;
    this.fallback = setTimeout(() => this.now(), this.timing.fallbackMs);
    this.fallback.unref();
  }

  /** A page of the list or a thread was served from the cache. */
  served(): void {
    if (this.begun) return;
    if (!this.pageServed) {
      // A window that keeps asking (a poll, a scroll) would otherwise postpone the sync to the fallback.
      this.afterPage = setTimeout(() => this.now(), this.timing.idleMs * MAX_PAUSES_AFTER_PAGE);
      this.afterPage.unref();
    }
    this.pageServed = true;
    this.waitForPause();
  }

  /** A request came in: after the first page, the pause starts again. */
  activity(): void {
    if (!this.begun && this.pageServed) this.waitForPause();
  }

  /** Starts the sync now (a fresh sign-in has no cache to show; a caller waits for it). */
  now(): void {
    if (this.begun) return;
    this.begun = true;
    this.cancel();
    this.begin();
  }

  cancel(): void {
    if (this.fallback) clearTimeout(this.fallback);
    if (this.idle) clearTimeout(this.idle);
    if (this.afterPage) clearTimeout(this.afterPage);
    this.fallback = null;
    this.idle = null;
    this.afterPage = null;
  }

  private waitForPause(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => this.now(), this.timing.idleMs);
    this.idle.unref();
  }
}
