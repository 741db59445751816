// State that belongs to one window of the desk (an Electron window, a web-desk tab, the shell):
// which chats it shows and whether it has the focus. Each bridge connection gets its own window,
// so one tab's blur does not make another tab's open chat notify, and a tab that goes away takes
// its open chats with it. The engine sees the union (what to subscribe to, which threads to push).

/** One bridge connection's view of the desk. */
export interface DeskWindow {
  readonly id: number;
  /** Whether the operator is looking at it; a window reports it (`desk.focus`). */
  readonly focused: boolean;
  /** The chats it shows, each counted once per `chat.open` not yet left. */
  readonly openChats: ReadonlyMap<number, number>;
}

interface MutableWindow {
  id: number;
  focused: boolean;
  openChats: Map<number, number>;
}

/** What the engine does when the first window opens a chat or the last one leaves it. */
export interface WindowHooks {
  joined(chatId: number): void;
  left(chatId: number): void;
}

export class DeskWindows {
  private readonly all = new Map<number, MutableWindow>();
  /** Open views of each chat over all windows. */
  private readonly union = new Map<number, number>();
  private nextId = 1;

  constructor(private readonly hooks: WindowHooks) {}

  /** A new window; it starts focused, as a window that just opened is in front. */
  open(): DeskWindow {
    const window: MutableWindow = { id: this.nextId++, focused: true, openChats: new Map() };
    this.all.set(window.id, window);
    return window;
  }

  /** The window went away: what it showed is no longer shown by it. */
  close(window: DeskWindow): void {
    const own = this.all.get(window.id);
    if (!own) return;
    for (const [chatId, count] of own.openChats) for (let i = 0; i < count; i++) this.leave(own, chatId);
    this.all.delete(window.id);
  }

  setFocused(window: DeskWindow, focused: boolean): void {
    const own = this.all.get(window.id);
    if (own) own.focused = focused;
  }

  openChat(window: DeskWindow, chatId: number): void {
    const own = this.all.get(window.id);
    if (!own) return;
    own.openChats.set(chatId, (own.openChats.get(chatId) ?? 0) + 1);
    const views = (this.union.get(chatId) ?? 0) + 1;
    this.union.set(chatId, views);
    if (views === 1) this.hooks.joined(chatId);
  }

  leaveChat(window: DeskWindow, chatId: number): void {
    const own = this.all.get(window.id);
    if (own?.openChats.has(chatId)) this.leave(own, chatId);
  }

  private leave(window: MutableWindow, chatId: number): void {
    const mine = (window.openChats.get(chatId) ?? 0) - 1;
    if (mine > 0) window.openChats.set(chatId, mine);
    else window.openChats.delete(chatId);
    const views = (this.union.get(chatId) ?? 0) - 1;
    if (views > 0) {
      this.union.set(chatId, views);
      return;
    }
    this.union.delete(chatId);
    this.hooks.left(chatId);
  }

  /** Chats some window shows. */
  openChatIds(): ReadonlySet<number> {
    return new Set(this.union.keys());
  }

  /** Whether the operator is looking at this chat: a focused window shows it. */
  showing(chatId: number): boolean {
    for (const window of this.all.values()) if (window.focused && window.openChats.has(chatId)) return true;
    return false;
  }
}
