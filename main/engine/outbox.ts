import { randomUUID } from 'node:crypto';
import type { ApiChat, ApiMessage } from '../../common/api';
import { BridgeError, type MessageView, type OutboxEntryView, type OutboxKind } from '../../common/bridge';
import type { Account } from './account';
import { HttpStatusError, NetworkError } from './api/errors';
import { backoffDelay } from './backoff';
import type { OutboxRecord } from './cache';
import type { Files } from './files';
import { pendingAttachments } from './views';

export interface SendPayload {
  text: string | null;
  uploadIds: string[];
}

interface ActionPayloads {
  'assign-me': Record<string, never>;
  close: Record<string, never>;
  transfer: { assignedTo: number; note?: string };
  'mark-read': { upToId?: number };
  hide: { messageId: number };
}

function parsePayload(record: OutboxRecord): Record<string, unknown> {
  const value: unknown = JSON.parse(record.payload);
  return typeof value === 'object' && value !== null ? { ...value } : {};
}

function sendPayload(record: OutboxRecord): SendPayload {
  const payload = parsePayload(record);
  const uploadIds = Array.isArray(payload.uploadIds) ? payload.uploadIds.filter((id): id is string => typeof id === 'string') : [];
  return { text: typeof payload.text === 'string' ? payload.text : null, uploadIds };
}

const ATTACHMENTS_EXPIRED = 'Attachments expired on the server; uploading them again.';

/** What the server's refusal says, in its words (the first field error of a 422 when there is one). */
function refusalReason(error: HttpStatusError): string {
  const fieldErrors = error.body?.errors ? Object.values(error.body.errors).flat() : [];
  return fieldErrors[0] ?? error.body?.message ?? `The server refused it (${error.status}).`;
}

/**
 * The outbox of DESIGN §6. Entries are written to the cache before anything is sent (a send together
 * with its pending message, in one transaction), go out in order per chat, and leave the cache only
 * when the server has confirmed them. Network errors and 5xx wait with capped exponential backoff and
 * jitter (and go at once when the server is back); 429 waits `Retry-After`; other 4xx mark the entry
 * failed with the server's reason until the user retries or discards it. A send repeated after a crash
 * carries the same client_message_id, so the server answers 200 with the original instead of a copy.
 */
export class OutboxRunner {
  private readonly inFlight = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private passScheduled = false;
  private rateLimitedUntil = 0;
  private readonly idleWaiters = new Set<() => void>();
  private readonly maxParallelChats = 4;

  constructor(
    private readonly account: Account,
    private readonly files: Files,
  ) {}

  /** Resumes after a start: whatever was in flight when the process died goes again. */
  start(): void {
    const interrupted = this.account.cache.outbox.resetInterrupted(this.account.now);
    if (interrupted.length > 0) {
      this.account.host.logger.info(`outbox: ${interrupted.length} entries were in flight at the last stop; sending them again`);
    }
    this.account.cache.catalog.resetInterruptedUploads();
    this.kick();
  }

  // ------------------------------------------------------------------------------------------
  // Queueing (called by the bridge handlers)

  /** The optimistic send: the pending message and its outbox entry, in one transaction. */
  queueSend(chatId: number, text: string | null, uploadIds: string[]): MessageView {
    const { account } = this;
    const cleaned = text !== null && text.trim() !== '' ? text : null;
    if (cleaned === null && uploadIds.length === 0) {
      throw new BridgeError('validation', 'Write a message or attach a file.', { text: ['Write a message or attach a file.'] });
    }
    const uploads = uploadIds.map((id) => {
      const upload = account.cache.catalog.upload(id);
      if (!upload) throw new BridgeError('validation', 'An attached file is gone; attach it again.', { uploadIds: ['An attached file is gone.'] });
      if (upload.state === 'failed') throw new BridgeError('validation', upload.error ?? 'An attached file was refused.', { uploadIds: [upload.error ?? 'refused'] });
      return upload;
    });
    const clientMessageId = randomUUID();
    const now = account.now;
    account.cache.transaction(() => {
      const localId = account.cache.meta.nextLocalId();
      account.cache.messages.insertPending({
        id: localId,
        chat_id: chatId,
        sender_id: account.user.id,
        sender_type: 'operator',
        sender_name: account.user.name,
        text: cleaned,
        payload: '{}',
        attachments: JSON.stringify(pendingAttachments(uploads)),
        is_read: 1,
        client_message_id: clientMessageId,
        is_hidden: 0,
        hidden_by_name: null,
        hidden_at: null,
        created_at: now,
        updated_at: now,
      });
      account.cache.outbox.add({ id: clientMessageId, chatId, kind: 'send', payload: { text: cleaned, uploadIds } satisfies SendPayload }, now);
    });
    const record = account.cache.messages.byClientMessageId(clientMessageId);
    if (!record) throw new Error('the pending message vanished');
    account.touchMessage(chatId, record.id);
    account.touchOutbox(chatId);
    this.kick();
    const [view] = account.messageViews([record]);
    if (!view) throw new Error('no view of the pending message');
    return view;
  }

  queueAction<K extends keyof ActionPayloads>(chatId: number, kind: K, payload: ActionPayloads[K]): OutboxEntryView {
    const { account } = this;
    const record = account.cache.transaction(() => {
      if (kind === 'mark-read') {
        // Reading the same chat again and again is one request: the newest position wins.
        const queued = account.cache.outbox.queuedMarkRead(chatId);
        if (queued) {
          account.cache.outbox.setPayload(queued.id, payload, account.now);
          return account.cache.outbox.byId(queued.id) ?? queued;
        }
      }
      return account.cache.outbox.add({ id: randomUUID(), chatId, kind, payload }, account.now);
    });
    account.touchOutbox(chatId);
    this.kick();
    return this.view(record);
  }

  private view(record: OutboxRecord): OutboxEntryView {
    const entry = this.account.outboxEntries().find((candidate) => candidate.id === record.id);
    if (!entry) throw new Error('outbox entry vanished');
    return entry;
  }

  retry(id: string): OutboxEntryView | null {
    const { account } = this;
    const record = account.cache.outbox.byId(id);
    if (!record) return null;
    if (record.kind === 'send') {
      for (const uploadId of sendPayload(record).uploadIds) {
        const upload = account.cache.catalog.upload(uploadId);
        if (upload?.state === 'failed') account.cache.catalog.setUpload(uploadId, { state: 'queued', server_path: null, error: null });
      }
    }
    account.cache.outbox.retry(id, account.now);
    this.touch(record);
    this.kick();
    const updated = account.cache.outbox.byId(id);
    return updated ? this.view(updated) : null;
  }

  /** Drops an entry (and its pending message and files) unless a request for it is on the wire. */
  async discard(id: string): Promise<boolean> {
    const { account } = this;
    const record = account.cache.outbox.byId(id);
    if (!record) return false;
    if (record.state === 'sending') {
      throw new BridgeError('validation', 'It is being sent right now; wait for the answer.', { id: ['It is being sent right now.'] });
    }
    const removed = account.cache.transaction(() => {
      account.cache.outbox.remove(id);
      return record.kind === 'send' ? account.cache.messages.removeByClientMessageId(id) : undefined;
    });
    if (record.kind === 'send') await this.files.discard(sendPayload(record).uploadIds);
    if (removed) account.touchRemoved(record.chat_id, id);
    this.touch(record);
    this.kick();
    return true;
  }

  private touch(record: OutboxRecord): void {
    this.account.touchOutbox(record.chat_id);
    if (record.kind === 'send') {
      const message = this.account.cache.messages.byClientMessageId(record.id);
      if (message) this.account.touchMessage(record.chat_id, message.id);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Running

  /** Looks for work now (after queueing, after the server came back, after a timer). */
  kick(): void {
    if (this.passScheduled || this.account.closed) return;
    this.passScheduled = true;
    setImmediate(() => {
      this.passScheduled = false;
      this.pass();
    });
  }

  /** Resolves when nothing is due or in flight (waiting entries with a future time do not count). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.add(resolve));
  }

  /** Nothing due or in flight right now (entries waiting for a later time do not count). */
  isIdle(): boolean {
    if (this.inFlight.size > 0 || this.passScheduled) return false;
    return !this.account.cache.outbox.heads().some((head) => this.due(head));
  }

  private due(head: OutboxRecord): boolean {
    const now = this.account.now;
    if (head.next_attempt_at !== null && head.next_attempt_at > now) return false;
    if (head.kind === 'send' && this.rateLimitedUntil > now) return false;
    return true;
  }

  private pass(): void {
    const { account } = this;
    if (account.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const heads = account.cache.outbox.heads();
    // While the server is unreachable, the prober finds out when it is back; entries wait.
    const offline = account.reachability === 'unreachable';
    let nextWake = Number.POSITIVE_INFINITY;
    for (const head of heads) {
      if (this.inFlight.has(head.chat_id)) continue;
      if (!this.due(head)) {
        const at = Math.max(head.next_attempt_at ?? 0, head.kind === 'send' ? this.rateLimitedUntil : 0);
        nextWake = Math.min(nextWake, at);
        continue;
      }
      if (offline || this.inFlight.size >= this.maxParallelChats) continue;
      this.inFlight.add(head.chat_id);
      this.process(head).finally(() => {
        this.inFlight.delete(head.chat_id);
        this.kick();
      });
    }
    if (Number.isFinite(nextWake) && !offline) {
      this.timer = setTimeout(() => this.kick(), Math.max(0, nextWake - account.now) + 5);
      this.timer.unref();
    }
    if (this.isIdle()) {
      for (const resolve of this.idleWaiters) resolve();
      this.idleWaiters.clear();
    }
  }

  private async process(head: OutboxRecord): Promise<void> {
    const { account } = this;
    if (!account.cache.outbox.markSending(head.id, account.now)) return;
    // markSending counted this attempt: `attempts > 1` now means an earlier one may have reached the server.
    const record: OutboxRecord = { ...head, state: 'sending', attempts: head.attempts + 1 };
    this.touch(record);
    try {
      await this.perform(record);
      if (account.closed) return;
      account.cache.outbox.remove(record.id);
      this.touch(record);
    } catch (error) {
      if (account.closed) return;
      this.settleFailure(record, error);
    }
  }

  private async perform(record: OutboxRecord): Promise<void> {
    const kind: OutboxKind = record.kind;
    switch (kind) {
      case 'send':
        return this.performSend(record);
      case 'assign-me':
        return this.applyChatAnswer(await this.account.api.assignMe(record.chat_id));
      case 'close':
        return this.applyChatAnswer(await this.account.api.close(record.chat_id));
      case 'transfer':
        return this.performTransfer(record);
      case 'mark-read': {
        const payload = parsePayload(record);
        const upToId = typeof payload.upToId === 'number' ? payload.upToId : undefined;
        return this.applyChatAnswer(await this.account.api.markRead(record.chat_id, upToId));
      }
      case 'hide': {
        // Hiding twice is fine on the server, so a repeat after a crash needs no check first.
        const payload = parsePayload(record);
        const messageId = typeof payload.messageId === 'number' ? payload.messageId : 0;
        const message = await this.account.api.hideMessage(messageId);
        if (!this.account.closed) this.account.applyMessages([message]);
        return;
      }
      default: {
        const unreachable: never = kind;
        throw new Error(`unknown outbox kind ${String(unreachable)}`);
      }
    }
  }

  private applyChatAnswer(chat: ApiChat): void {
    if (!this.account.closed) this.account.applyChat(chat);
  }

  private async performSend(record: OutboxRecord): Promise<void> {
    const { account } = this;
    const payload = sendPayload(record);
    const paths: string[] = [];
    for (const uploadId of payload.uploadIds) {
      const upload = await this.files.ensureUploaded(uploadId);
      if (upload.server_path === null) throw new BridgeError('validation', 'An attached file could not be uploaded.');
      paths.push(upload.server_path);
    }
    let answer: { message: ApiMessage; created: boolean };
    try {
      answer = await account.api.send(record.chat_id, { text: payload.text, attachments: paths.length > 0 ? paths : undefined, client_message_id: record.id });
    } catch (error) {
      // Uploads expire on the server after a day: an old queued message uploads its files again.
      const expired = error instanceof HttpStatusError && error.status === 422 && Object.keys(error.body?.errors ?? {}).some((field) => field.startsWith('attachments'));
      // Once: if the files were uploaded again and the server still refuses them, that is its answer.
      if (!expired || record.error === ATTACHMENTS_EXPIRED) throw error;
      for (const uploadId of payload.uploadIds) this.files.forgetServerCopy(uploadId);
      throw new HttpStatusError(503, { message: ATTACHMENTS_EXPIRED, code: 'SERVER_ERROR' }, 0);
    }
    if (account.closed) return;
    account.applyMessages([answer.message]);
    await this.files.adoptSent(payload.uploadIds, answer.message);
  }

  /** A transfer repeated after a crash would fail (the chat is no longer ours): check first whether it already happened. */
  private async performTransfer(record: OutboxRecord): Promise<void> {
    const payload = parsePayload(record);
    const assignedTo = typeof payload.assignedTo === 'number' ? payload.assignedTo : 0;
    const note = typeof payload.note === 'string' ? payload.note : undefined;
    if (record.attempts > 1) {
      const chat = await this.account.api.chat(record.chat_id);
      if (chat.assigned_to === assignedTo) return this.applyChatAnswer(chat);
    }
    this.applyChatAnswer(await this.account.api.transfer(record.chat_id, assignedTo, note));
  }

  private settleFailure(record: OutboxRecord, error: unknown): void {
    const { account } = this;
    const now = account.now;
    const current = account.cache.outbox.byId(record.id);
    if (!current) return;
    const attempts = current.attempts;
    const retryAt = () => now + backoffDelay(account.host.timing.retry, attempts, () => account.host.random());
    if (error instanceof NetworkError) {
      account.cache.outbox.reschedule(record.id, retryAt(), 'network', error.message, null, now);
    } else if (error instanceof HttpStatusError && error.status === 429) {
      const until = now + (error.retryAfterMs ?? backoffDelay(account.host.timing.retry, attempts, () => account.host.random()));
      if (record.kind === 'send') this.rateLimitedUntil = Math.max(this.rateLimitedUntil, until);
      account.cache.outbox.reschedule(record.id, until, 'rate-limit', error.message, 429, now);
      account.host.logger.info(`outbox: rate limited, next attempt in ${Math.round((until - now) / 1000)} s`);
    } else if (error instanceof HttpStatusError && error.status === 401) {
      // The session ended; the entry waits for the next sign-in of this user.
      account.cache.outbox.reschedule(record.id, null, 'network', 'Signed out: sign in again to send.', 401, now);
    } else if (error instanceof HttpStatusError && (error.status >= 500 || error.status === 408)) {
      account.cache.outbox.reschedule(record.id, retryAt(), 'server', error.message, error.status, now);
    } else if (error instanceof HttpStatusError) {
      account.cache.outbox.fail(record.id, refusalReason(error), error.status, now);
      account.host.logger.info(`outbox: ${record.kind} on chat ${record.chat_id} refused (${error.status})`);
      // A 403 usually means someone else took the chat: show who.
      if (error.status === 403 || error.status === 422) {
        account.api.chat(record.chat_id).then(
          (chat) => account.applyChat(chat),
          () => undefined,
        );
      }
    } else if (error instanceof BridgeError) {
      account.cache.outbox.fail(record.id, error.message, null, now);
    } else {
      account.host.logger.error(`outbox: ${record.kind} failed unexpectedly`, error);
      account.cache.outbox.reschedule(record.id, retryAt(), 'server', 'Unexpected error; will try again.', null, now);
    }
    this.touch(record);
  }

  /** The server is back: what waited out the outage goes now. */
  wake(): void {
    this.account.cache.outbox.wakeAfterOutage(this.account.now);
    this.kick();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const resolve of this.idleWaiters) resolve();
    this.idleWaiters.clear();
  }
}
