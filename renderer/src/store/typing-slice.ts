import type { BridgeEvents } from '../../../common/bridge';
import type { SliceCreator } from './types';

export interface TypingPerson {
  /** null: the chat's customer, whose name the chat shows (they have no user id). */
  id: number | null;
  name: string;
  /** Local time (this page's clock) when the hint expires. */
  until: number;
}

export interface TypingSlice {
  /** Who else is typing, per chat. */
  typing: Record<number, TypingPerson[]>;
  typingEvent(event: BridgeEvents['typing']): void;
  expireTyping(): void;
}

const DEFAULT_TTL_MS = 8000;
const MAX_TTL_MS = 30_000;

/**
 * How long a hint lasts on this page. `expiresAt` is the engine's clock; a browser on another
 * machine may disagree with it, so an implausible remainder falls back to the usual lifetime.
 */
export function typingTtl(expiresAt: number, now: number): number {
  const remaining = expiresAt - now;
  return remaining > 0 && remaining <= MAX_TTL_MS ? remaining : DEFAULT_TTL_MS;
}

export const createTypingSlice: SliceCreator<TypingSlice> = (set, get) => ({
  typing: {},

  typingEvent(event) {
    const now = Date.now();
    const id = event.user?.id ?? null;
    const others = (get().typing[event.chatId] ?? []).filter((person) => person.id !== id && person.until > now);
    if (!event.typing) {
      set({ typing: { ...get().typing, [event.chatId]: others } });
      return;
    }
    const ttl = typingTtl(event.expiresAt, now);
    set({ typing: { ...get().typing, [event.chatId]: [...others, { id, name: event.user?.name ?? '', until: now + ttl }] } });
    setTimeout(() => get().expireTyping(), ttl + 50);
  },

  expireTyping() {
    const now = Date.now();
    const next: Record<number, TypingPerson[]> = {};
    let changed = false;
    for (const [chatId, people] of Object.entries(get().typing)) {
      const alive = people.filter((person) => person.until > now);
      if (alive.length !== people.length) changed = true;
      if (alive.length > 0) next[Number(chatId)] = alive;
    }
    if (changed) set({ typing: next });
  },
});
