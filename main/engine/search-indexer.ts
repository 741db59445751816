import type { Account } from './account';
import type { EngineLogger } from './logger';

/** Messages indexed per transaction: big enough to be cheap per row, small enough not to hold up a bridge request for long. */
const BATCH_SIZE = 2000;
/** A wake waits this long so the pages of one walk are indexed together, not one by one. */
const WAKE_DELAY_MS = 200;
/** While the sync is writing, indexing looks again this often. */
const YIELD_DELAY_MS = 250;

/**
 * Indexes for search the messages written into the cache (cache/search-index.ts), batch by batch,
 * giving the event loop back between batches so the UI's requests are answered meanwhile.
 * Until a message is indexed, search finds it by scanning the backlog.
 */
export class SearchIndexer {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly idleWaiters = new Set<() => void>();

  constructor(
    private readonly account: Account,
    private readonly logger: EngineLogger,
    /**
     * True while the sync is bringing history in: indexing waits, so a first sync's history is in
     * the cache (and the list shows it) sooner. Search scans the backlog meanwhile.
     */
    private readonly syncing: () => boolean,
  ) {}

  /** Messages were written: index them soon. */
  wake(delayMs = WAKE_DELAY_MS): void {
    if (this.timer || this.stopped || this.account.closed) return;
    this.timer = setTimeout(() => this.step(), delayMs);
    // Indexing alone keeps no process alive; but someone waiting for it must (else a script that
    // awaits settled() ends with its top-level await unsettled, exit code 13).
    if (this.idleWaiters.size === 0) this.timer.unref();
  }

  /** Resolves once the backlog is empty (at once when stopped). */
  idle(): Promise<void> {
    if (this.stopped || this.account.closed || !this.account.cache.searchIndex.pending()) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.idleWaiters.add(resolve));
    this.timer?.ref();
    this.wake(0);
    return done;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.resolveWaiters();
  }

  private step(): void {
    this.timer = null;
    if (this.stopped || this.account.closed) return this.resolveWaiters();
    if (this.syncing()) return this.wake(YIELD_DELAY_MS);
    try {
      this.account.cache.searchIndex.indexBatch(BATCH_SIZE);
    } catch (error) {
      // The backlog stays (search still scans it); the next write tries again.
      this.logger.error('indexing messages for search failed', error);
      return this.resolveWaiters();
    }
    if (this.account.cache.searchIndex.pending()) this.wake(0);
    else this.resolveWaiters();
  }

  private resolveWaiters(): void {
    for (const resolve of this.idleWaiters) resolve();
    this.idleWaiters.clear();
  }
}
