// The fuzzer ⇄ server-process probe messages (child-probe.ts runs inside the server; target.ts asks).

export const MEMORY_REQUEST = 'fuzz:memory';

export interface MemoryReply {
  type: typeof MEMORY_REQUEST;
  rss: number;
  heapUsed: number;
  /** Whether a full collection ran first (the process was started with --expose-gc). */
  collected: boolean;
}

export function isMemoryReply(message: unknown): message is MemoryReply {
  return typeof message === 'object' && message !== null && 'type' in message && message.type === MEMORY_REQUEST;
}
