import type { BackoffPolicy } from './backoff';

/** Every delay the engine uses; tests shorten them, nothing else should need to. */
export interface EngineTiming {
  /** Outbox retries after network errors and 5xx. */
  retry: BackoffPolicy;
  /** Probing an unreachable server. */
  probe: BackoffPolicy;
  /** How often to catch up when no realtime socket is connected. */
  pollIntervalMs: number;
  requestTimeoutMs: number;
  /** A typing indicator disappears this long after the last hint. */
  typingTtlMs: number;
  /** Pages walked per chat in one catch-up before leaving a gap marker. */
  catchUpMaxPages: number;
  /** Messages per request in catch-up and history (≤ 100). */
  pageSize: number;
  /** Chats caught up at the same time. */
  catchUpConcurrency: number;
  /** Canned responses are refreshed with a full read of the chat list, else once they are this old. */
  cannedMaxAgeMs: number;
  /**
   * When the realtime socket dropped, when to connect it again: after a server restart every desk
   * comes back at once, so each waits a spread (jittered) delay that grows with failed attempts.
   */
  reconnect: BackoffPolicy;
  /** Attachments up to this size are downloaded with the history, so they open offline (0: only on demand). */
  prefetchAttachmentBytes: number;
  /**
   * A desk restored from its cache shows the list and the open thread before it syncs: syncing
   * starts once requests pause for `syncStartIdleMs` after the first page is served, and at the
   * latest this long after the start.
   */
  syncStartDelayMs: number;
  syncStartIdleMs: number;
}

export const DEFAULT_TIMING: EngineTiming = {
  retry: { baseMs: 1000, capMs: 60_000 },
  probe: { baseMs: 1000, capMs: 30_000 },
  pollIntervalMs: 30_000,
  requestTimeoutMs: 20_000,
  typingTtlMs: 8000,
  catchUpMaxPages: 20,
  pageSize: 100,
  catchUpConcurrency: 4,
  prefetchAttachmentBytes: 5 * 1024 * 1024,
  cannedMaxAgeMs: 5 * 60_000,
  reconnect: { baseMs: 8000, capMs: 60_000 },
  syncStartDelayMs: 3000,
  syncStartIdleMs: 1000,
};

export function resolveTiming(input: Partial<EngineTiming> = {}): EngineTiming {
  return { ...DEFAULT_TIMING, ...input };
}
