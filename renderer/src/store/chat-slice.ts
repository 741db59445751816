import type { BridgeEvents, ChatRow, MessageView, OperatorView } from '../../../common/bridge';
import { bridge } from './bridge-ref';
import { shownError } from './errors';
import { mergeMessages, oldestServerId, prependOlder } from './merge-messages';
import type { ShownError, SliceCreator } from './types';

const PAGE = 50;
/** Older history comes in larger pages: the reader is scrolling through it (the server gives at most 100). */
const OLDER_PAGE = 100;

export interface ChatSlice {
  openChatId: number | null;
  openChatRow: ChatRow | null;
  /** The open chat's history as far as it is paged in, oldest first. */
  messages: MessageView[];
  hasOlder: boolean;
  loadingOlder: boolean;
  olderError: ShownError | null;
  chatLoading: boolean;
  /** A request about the open chat the engine refused at once (not an outbox failure). */
  chatError: ShownError | null;
  operators: OperatorView[] | null;
  operatorsError: ShownError | null;
  openChat(chatId: number, options?: { force?: boolean }): Promise<void>;
  closeChatView(): void;
  loadOlder(): Promise<void>;
  messagesChanged(payload: BridgeEvents['messages.changed']): void;
  addOwnMessage(message: MessageView): void;
  assignMe(): Promise<void>;
  closeChat(): Promise<void>;
  transfer(assignedTo: number, note: string): Promise<boolean>;
  markRead(): Promise<void>;
  /** Hides a customer's message of the open chat (spam); queued like the other actions. */
  hideMessage(messageId: number): Promise<void>;
  loadOperators(): Promise<void>;
  /**
   * The last message id of the open chat a catch-up was asked for, so one missing message is asked
   * for once; 0 when none. It belongs to the open chat of this session: opening another chat,
   * closing the view, signing out or in as someone else starts it again.
   */
  caughtUpTo: number;
  /** The list says the open chat has a newer message than the thread shows: have the engine fetch it. */
  catchUpOpenChat(lastMessageId: number): void;
}

let openSeq = 0;

export const createChatSlice: SliceCreator<ChatSlice> = (set, get) => {
  async function act(work: (chatId: number) => Promise<unknown>): Promise<boolean> {
    const chatId = get().openChatId;
    if (chatId === null) return false;
    try {
      set({ chatError: null });
      await work(chatId);
      return true;
    } catch (error) {
      if (get().openChatId === chatId) set({ chatError: shownError(error) });
      return false;
    }
  }

  return {
    openChatId: null,
    openChatRow: null,
    messages: [],
    hasOlder: false,
    loadingOlder: false,
    olderError: null,
    chatLoading: false,
    chatError: null,
    operators: null,
    operatorsError: null,
    caughtUpTo: 0,

    async openChat(chatId, options = {}) {
      const previous = get().openChatId;
      if (previous === chatId && !options.force) return;
      if (previous !== null && previous !== chatId) void bridge().invoke('chat.leave', { chatId: previous }).catch(() => undefined);
      const seq = ++openSeq;
      const known = get().rows.find((row) => row.id === chatId) ?? null;
      if (previous !== chatId) {
        set({ openChatId: chatId, openChatRow: known, messages: [], hasOlder: false, loadingOlder: false, olderError: null, chatError: null, operators: null, operatorsError: null, caughtUpTo: 0 });
      }
      set({ chatLoading: true, selectedId: chatId });
      try {
        const result = await bridge().invoke('chat.open', { chatId, limit: PAGE });
        if (seq !== openSeq) return;
        set({ openChatRow: result.chat ?? known, messages: result.messages, hasOlder: result.hasOlder, chatLoading: false });
      } catch (error) {
        if (seq !== openSeq) return;
        set({ chatLoading: false, chatError: shownError(error) });
      }
    },

    closeChatView() {
      const chatId = get().openChatId;
      if (chatId !== null) void bridge().invoke('chat.leave', { chatId }).catch(() => undefined);
      openSeq++;
      set({ openChatId: null, openChatRow: null, messages: [], hasOlder: false, chatError: null, olderError: null, caughtUpTo: 0 });
    },

    async loadOlder() {
      const { openChatId: chatId, messages, hasOlder, loadingOlder } = get();
      if (chatId === null || !hasOlder || loadingOlder) return;
      const beforeId = oldestServerId(messages);
      if (beforeId === null) {
        set({ hasOlder: false });
        return;
      }
      const seq = openSeq;
      set({ loadingOlder: true, olderError: null });
      try {
        const result = await bridge().invoke('chat.loadOlder', { chatId, beforeId, limit: OLDER_PAGE });
        if (seq !== openSeq) return;
        set({ messages: prependOlder(get().messages, result.messages), hasOlder: result.hasOlder, loadingOlder: false });
      } catch (error) {
        if (seq !== openSeq) return;
        set({ loadingOlder: false, olderError: shownError(error) });
      }
    },

    messagesChanged(payload) {
      if (payload.chatId !== get().openChatId) return;
      const { messages, hasOlder } = get();
      set({ messages: mergeMessages(messages, payload.upserted, payload.removedKeys, hasOlder), hasOlder: hasOlder || payload.hasOlder });
    },

    addOwnMessage(message) {
      if (message.chatId !== get().openChatId) return;
      set({ messages: mergeMessages(get().messages, [message], [], get().hasOlder) });
    },

    async assignMe() {
      await act((chatId) => bridge().invoke('chat.assignMe', { chatId }));
    },

    async closeChat() {
      await act((chatId) => bridge().invoke('chat.close', { chatId }));
    },

    transfer(assignedTo, note) {
      return act((chatId) => bridge().invoke('chat.transfer', note.trim() ? { chatId, assignedTo, note: note.trim() } : { chatId, assignedTo }));
    },

    async hideMessage(messageId) {
      await act((chatId) => bridge().invoke('chat.hideMessage', { chatId, messageId }));
    },

    async markRead() {
      const chatId = get().openChatId;
      if (chatId === null) return;
      await bridge()
        .invoke('chat.markRead', { chatId })
        .catch(() => undefined);
    },

    catchUpOpenChat(lastMessageId) {
      const { openChatId: chatId, messages, chatLoading, caughtUpTo } = get();
      if (chatId === null || chatLoading || lastMessageId <= caughtUpTo) return;
      const newest = messages.reduce((max, message) => Math.max(max, message.id), 0);
      if (lastMessageId <= newest) return;
      set({ caughtUpTo: lastMessageId });
      // Opening again makes the engine fetch the newest page (and report it as messages.changed);
      // the leave keeps its count of open views balanced.
      void bridge()
        .invoke('chat.open', { chatId, limit: 1 })
        .then(() => bridge().invoke('chat.leave', { chatId }))
        .catch(() => undefined);
    },

    async loadOperators() {
      const chatId = get().openChatId;
      if (chatId === null) return;
      set({ operators: null, operatorsError: null });
      try {
        const { operators } = await bridge().invoke('chat.operators', { chatId });
        if (get().openChatId === chatId) set({ operators });
      } catch (error) {
        if (get().openChatId === chatId) set({ operatorsError: shownError(error) });
      }
    },
  };
};
