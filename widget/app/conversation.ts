// The visitor's conversation: what the frame shows and every call behind it. Sends are optimistic
// (a `client_message_id` makes a retry or a realtime echo the same message), the server's answers
// and realtime events are merged by id, and every (re)subscription resyncs with `after_id`, so
// nothing is lost or doubled.
import { VISITOR_MESSAGES_PAGE, type VisitorSpaceCreated, type VisitorUpload } from '../../common/visitor-api';
import type { ClientDataField, VisitorMessage, WidgetDataResponse } from '../../common/widget-api';
import { NetworkError, VisitorApi, VisitorApiError, type VisitorDetails } from './api';
import { formatBytes, formatOpening, pickLanguage, wordsFor, type Language, type Words } from './i18n';
import { listenToSpace, type SpaceEvent } from './realtime';
import { loadSpace, onSpaceChange, saveSpace } from './storage';

export interface PendingMessage {
  clientId: string;
  text: string | null;
  uploads: VisitorUpload[];
  status: 'sending' | 'failed';
  createdAt: string;
}

export interface DraftFile {
  key: string;
  name: string;
  size: number;
  upload: VisitorUpload | null;
}

export interface ConversationState {
  phase: 'loading' | 'ready' | 'unavailable';
  data: WidgetDataResponse | null;
  language: Language;
  words: Words;
  messages: VisitorMessage[];
  pending: PendingMessage[];
  space: VisitorSpaceCreated | null;
  operatorTyping: string | null;
  spaceClosed: boolean;
  /** A sentence the visitor must see (the server's own on a 429 or a 403). */
  notice: string | null;
  fieldErrors: Partial<Record<ClientDataField, string[]>>;
  drafts: DraftFile[];
  visible: boolean;
}

const TYPING_THROTTLE_MS = 3000;
const OPERATOR_TYPING_MS = 8000;

function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Outside a secure context: a version-4 UUID by hand.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function chime(): void {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.value = 0.04;
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.12);
  } catch {
    // No sound where the browser allows none yet.
  }
}

export class Conversation {
  readonly api: VisitorApi;
  state: ConversationState;
  private readonly listeners = new Set<() => void>();
  private disconnect: (() => void) | null = null;
  private lastTypingAt = 0;
  private readSent = 0;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private pageUrl = '';
  /** Told when the unread count changes (the loader's badge). */
  onUnread: (count: number) => void = () => undefined;
  private unreadShown = -1;

  constructor(private readonly widgetToken: string) {
    this.api = new VisitorApi(widgetToken);
    const language = pickLanguage('auto', navigator.languages);
    this.state = {
      phase: 'loading',
      data: null,
      language,
      words: wordsFor(language),
      messages: [],
      pending: [],
      space: null,
      operatorTyping: null,
      spaceClosed: false,
      notice: null,
      fieldErrors: {},
      drafts: [],
      visible: false,
    };
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<ConversationState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
    const unread = this.unread();
    if (unread !== this.unreadShown) {
      this.unreadShown = unread;
      this.onUnread(unread);
    }
  }

  unread(): number {
    return this.state.visible ? 0 : this.state.messages.filter((message) => message.kind === 'operator' && !message.is_read).length;
  }

  async boot(): Promise<void> {
    const stored = loadSpace(this.widgetToken);
    if (stored) this.api.spaceToken = stored.space_token;
    let data: WidgetDataResponse;
    try {
      data = await this.api.widgetData();
    } catch {
      this.set({ phase: 'unavailable' });
      return;
    }
    const language = pickLanguage(data.locale, navigator.languages);
    this.set({ phase: data.active ? 'ready' : 'unavailable', data, language, words: wordsFor(language), space: stored, messages: data.messages });
    if (stored) this.connect(stored);
    onSpaceChange(this.widgetToken, (space) => this.adopt(space));
  }

  /** Another tab started or forgot the conversation: this one follows. */
  private adopt(space: VisitorSpaceCreated | null): void {
    if (space?.space_token === this.state.space?.space_token) return;
    this.forget(false);
    if (space) {
      this.api.spaceToken = space.space_token;
      this.set({ space });
      this.connect(space);
    }
  }

  private forget(persist: boolean): void {
    this.disconnect?.();
    this.disconnect = null;
    this.api.spaceToken = null;
    this.readSent = 0;
    if (persist) saveSpace(this.widgetToken, null);
    this.set({ space: null, messages: [], pending: [], spaceClosed: false, operatorTyping: null });
  }

  private connect(space: VisitorSpaceCreated): void {
    const data = this.state.data;
    if (!data) return;
    this.disconnect?.();
    this.disconnect = listenToSpace(data.realtime, this.widgetToken, space.space_id, space.space_token, {
      event: (event) => this.onEvent(event),
      subscribed: () => void this.resync(),
      socketId: (id) => {
        this.api.socketId = id;
      },
    });
  }

  /** Everything after the newest message held, page by page. */
  async resync(): Promise<void> {
    if (!this.state.space) return;
    try {
      for (;;) {
        const after = this.state.messages.reduce((max, message) => Math.max(max, message.id), 0);
        const page = await this.api.messages(after);
        for (const message of page) this.merge(message);
        if (page.length < VISITOR_MESSAGES_PAGE) break;
      }
      this.markRead();
    } catch (error) {
      // The conversation was deleted (or its token is no longer valid): start afresh.
      if (error instanceof VisitorApiError && error.status === 404) this.forget(true);
    }
  }

  private merge(message: VisitorMessage): void {
    const others = this.state.messages.filter((known) => known.id !== message.id);
    const isNew = others.length === this.state.messages.length;
    const messages = [...others, message].sort((a, b) => a.id - b.id);
    const pending = message.client_message_id === null ? this.state.pending : this.state.pending.filter((item) => item.clientId !== message.client_message_id);
    const patch: Partial<ConversationState> = { messages, pending };
    if (message.kind === 'operator') {
      patch.operatorTyping = null;
      if (isNew && (!this.state.visible || document.visibilityState !== 'visible')) chime();
    }
    if (message.kind === 'client') patch.spaceClosed = false;
    this.set(patch);
  }

  private onEvent(event: SpaceEvent): void {
    switch (event.name) {
      case 'NewChatMessage':
      case 'MessageUpdated':
        this.merge(event.data.message);
        this.markRead();
        return;
      case 'MessageDeleted':
        this.set({ messages: this.state.messages.filter((message) => message.id !== event.data.message_id) });
        return;
      case 'UserTyping':
        clearTimeout(this.typingTimer);
        if (event.data.typing) this.typingTimer = setTimeout(() => this.set({ operatorTyping: null }), OPERATOR_TYPING_MS);
        this.set({ operatorTyping: event.data.typing ? event.data.user.name : null });
        return;
      case 'SpaceUpdated':
        this.set({ spaceClosed: event.data.space.status === 'closed' });
        return;
      case 'MessagesRead': {
        const upTo = event.data.up_to_id;
        this.set({ messages: this.state.messages.map((message) => (message.kind === 'client' && message.id <= upTo && !message.is_read ? { ...message, is_read: true } : message)) });
        return;
      }
      case 'ChatDeleted':
        this.forget(true);
        return;
      default: {
        const unreachable: never = event;
        throw new Error(`unknown event ${JSON.stringify(unreachable)}`);
      }
    }
  }

  setVisible(visible: boolean, pageUrl?: string): void {
    if (pageUrl !== undefined) this.pageUrl = pageUrl;
    this.set({ visible });
    this.markRead();
  }

  /** The operators' messages the visitor now sees are read: once, up to the newest. */
  markRead(): void {
    if (!this.state.visible || document.visibilityState !== 'visible' || !this.state.space) return;
    const newest = this.state.messages.reduce((max, message) => (message.kind === 'operator' ? Math.max(max, message.id) : max), 0);
    if (newest <= this.readSent) return;
    this.readSent = newest;
    this.set({ messages: this.state.messages.map((message) => (message.kind === 'operator' && !message.is_read ? { ...message, is_read: true } : message)) });
    this.api.read(newest).catch(() => {
      this.readSent = 0;
    });
  }

  /** Starts the conversation (with the client data the widget asks for) unless there is one. */
  async ensureSpace(details: Partial<Record<ClientDataField, string>>): Promise<boolean> {
    if (this.state.space) return true;
    const data = this.state.data;
    if (!data) return false;
    const { words } = this.state;
    if (data.require_client_data) {
      const missing: Partial<Record<ClientDataField, string[]>> = {};
      for (const field of data.client_data_fields) if ((details[field] ?? '').trim() === '') missing[field] = [words.required];
      if (Object.keys(missing).length > 0) {
        this.set({ fieldErrors: missing });
        return false;
      }
    }
    const body: VisitorDetails = { ...details, locale: this.state.language };
    if (this.pageUrl !== '' && this.pageUrl.length <= 2000 && /^https?:/.test(this.pageUrl)) body.page_url = this.pageUrl;
    try {
      const space = await this.api.startSpace(body);
      saveSpace(this.widgetToken, space);
      this.api.spaceToken = space.space_token;
      this.set({ space, fieldErrors: {}, notice: null });
      this.connect(space);
      return true;
    } catch (error) {
      this.failed(error);
      return false;
    }
  }

  private failed(error: unknown): void {
    const { words } = this.state;
    if (error instanceof VisitorApiError) {
      const fields: Partial<Record<ClientDataField, string[]>> = {};
      for (const field of ['name', 'email', 'phone'] satisfies ClientDataField[]) {
        const sentences = error.fields[field];
        if (sentences) fields[field] = sentences;
      }
      let notice = error.message;
      if (error.nextOpenAt !== null && this.state.data) {
        this.set({ data: { ...this.state.data, open: false, next_open_at: error.nextOpenAt } });
        notice = `${error.message} ${words.backAt(formatOpening(error.nextOpenAt, this.state.language))}`;
      }
      // Sentences about the form's fields show beside them, not twice.
      this.set({ notice: Object.keys(fields).length > 0 ? null : notice, fieldErrors: fields });
      return;
    }
    this.set({ notice: error instanceof NetworkError ? words.offlineNetwork : words.failedGeneric });
  }

  /** The visitor sends what the composer holds; true when it was taken (the composer empties). */
  async submit(text: string, details: Partial<Record<ClientDataField, string>>): Promise<boolean> {
    const uploads = this.state.drafts.flatMap((draft) => (draft.upload ? [draft.upload] : []));
    const trimmed = text.trim();
    if (trimmed === '' && uploads.length === 0) return false;
    if (!(await this.ensureSpace(details))) return false;
    const pending: PendingMessage = { clientId: uuid(), text: trimmed === '' ? null : text, uploads, status: 'sending', createdAt: new Date().toISOString() };
    this.set({ pending: [...this.state.pending, pending], drafts: [], notice: null });
    this.lastTypingAt = 0;
    void this.deliver(pending);
    return true;
  }

  retry(clientId: string): void {
    const pending = this.state.pending.find((item) => item.clientId === clientId);
    if (!pending) return;
    const again: PendingMessage = { ...pending, status: 'sending' };
    this.set({ pending: this.state.pending.map((item) => (item.clientId === clientId ? again : item)), notice: null });
    void this.deliver(again);
  }

  private async deliver(pending: PendingMessage): Promise<void> {
    try {
      const message = await this.api.send(pending.text, pending.clientId, pending.uploads.map((upload) => upload.id));
      this.merge(message);
    } catch (error) {
      this.set({ pending: this.state.pending.map((item) => (item.clientId === pending.clientId ? { ...item, status: 'failed' } : item)) });
      this.failed(error);
    }
  }

  /** The visitor is typing: the operators hear it at most every few seconds. */
  typing(): void {
    if (!this.state.space) return;
    const now = Date.now();
    if (now - this.lastTypingAt < TYPING_THROTTLE_MS) return;
    this.lastTypingAt = now;
    this.api.typing(true).catch(() => undefined);
  }

  /** Files from the picker, a paste or a drop: checked against the server's limits, then uploaded. */
  async attach(files: File[], details: Partial<Record<ClientDataField, string>>): Promise<void> {
    const data = this.state.data;
    if (!data?.allow_client_attachments || files.length === 0) return;
    const { words, language } = this.state;
    for (const file of files) {
      if (file.size > data.upload.max_bytes) {
        this.set({ notice: words.fileTooBig(file.name, formatBytes(data.upload.max_bytes, language)) });
        continue;
      }
      if (file.type !== '' && !data.upload.mime_types.includes(file.type)) {
        this.set({ notice: words.fileType(file.name) });
        continue;
      }
      if (!(await this.ensureSpace(details))) return;
      const draft: DraftFile = { key: uuid(), name: file.name, size: file.size, upload: null };
      this.set({ drafts: [...this.state.drafts, draft], notice: null });
      try {
        const upload = await this.api.upload(file);
        this.set({ drafts: this.state.drafts.map((item) => (item.key === draft.key ? { ...item, upload } : item)) });
      } catch (error) {
        this.set({ drafts: this.state.drafts.filter((item) => item.key !== draft.key) });
        this.failed(error);
      }
    }
  }

  removeDraft(key: string): void {
    this.set({ drafts: this.state.drafts.filter((draft) => draft.key !== key) });
  }
}
