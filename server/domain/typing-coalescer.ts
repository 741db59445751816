import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock';

/** The widget says "typing" at most every 3 s; a client that says it more often is not repeated to the desks. */
export const VISITOR_TYPING_REPEAT_MS = 2500;
const MAX_CHATS = 50_000;

/**
 * Decides which of a visitor's typing signals reach the operators: a start at most once per
 * `repeatMs` per chat, a stop only after a start. A script posting typing.json in a loop costs
 * the desks nothing beyond the first signal. In memory and per node: on several nodes a flood
 * reaches the desks at most once per node, which is still bounded.
 */
export class TypingCoalescer {
  private readonly lastStart: LRUCache<number, number>;

  constructor(
    private readonly clock: Clock,
    private readonly repeatMs: number = VISITOR_TYPING_REPEAT_MS,
  ) {
    this.lastStart = new LRUCache<number, number>({ max: MAX_CHATS });
  }

  /** Whether this signal should be told to the operators (and remembers it if so). */
  shouldTell(chatId: number, typing: boolean): boolean {
    const last = this.lastStart.get(chatId);
    if (!typing) {
      if (last === undefined) return false;
      this.lastStart.delete(chatId);
      return true;
    }
    const now = this.clock.now();
    if (last !== undefined && now - last < this.repeatMs) return false;
    this.lastStart.set(chatId, now);
    return true;
  }
}
