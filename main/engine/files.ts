import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ApiMessage } from '../../common/api';
import { BridgeError, type UploadView } from '../../common/bridge';
import type { Account } from './account';
import { isServerFile } from './attachment-links';
import { HttpStatusError, NetworkError } from './api/errors';
import type { UploadRecord } from './cache';
import { inPool } from './pool';

function linkRefusal(): BridgeError {
  return new BridgeError('not_found', 'This attachment is a link to another site: open it in your browser. The desk does not download it.');
}

/** A file name safe on every OS, keeping what it can of the original (and its extension). */
export function safeFileName(name: string): string {
  const cleaned = basename(name.replace(/\\/g, '/'))
    .replace(/[<>:"/\\|?*]/g, '_')
    .replace(/\p{Cc}/gu, '_')
    .replace(/^\.+/, '_')
    .trim();
  return (cleaned === '' ? 'file' : cleaned).slice(-120);
}

export function uploadView(record: UploadRecord, sent?: number): UploadView {
  return {
    uploadId: record.id,
    name: record.name,
    mimeType: record.mime_type,
    size: record.size,
    sent: sent ?? (record.state === 'uploaded' ? record.size : 0),
    state: record.state,
    error: record.error,
  };
}

/**
 * Files in both directions. Outgoing: a file taken for sending is copied into the account's
 * `outgoing/` folder first (so it survives going offline, a restart or a crash) and uploaded now if
 * possible, else when its message goes. Incoming: files the server keeps are downloaded once into
 * `attachments/{id}/` and opened from there, also offline; a customer's link (attachment-links.ts)
 * is never fetched.
 */
export class Files {
  private readonly uploads = new Map<string, Promise<UploadRecord>>();
  private readonly downloads = new Map<number, Promise<string>>();

  constructor(private readonly account: Account) {}

  async add(input: { name: string; mimeType?: string; path?: string; bytes?: Uint8Array }): Promise<UploadView> {
    const { account } = this;
    if ((input.path === undefined) === (input.bytes === undefined)) {
      throw new BridgeError('validation', 'Give either a file path or its bytes.', { file: ['Give either a file path or its bytes.'] });
    }
    const name = input.name.trim() === '' ? (input.path ? basename(input.path) : 'file') : input.name.trim();
    const id = randomUUID();
    await mkdir(account.paths.outgoing, { recursive: true });
    const localPath = join(account.paths.outgoing, id);
    try {
      if (input.path !== undefined) await copyFile(input.path, localPath);
      else if (input.bytes !== undefined) await writeFile(localPath, input.bytes, { mode: 0o600 });
    } catch (error) {
      await rm(localPath, { force: true });
      const reason = error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'The file does not exist.' : 'The file cannot be read.';
      throw new BridgeError('validation', reason, { file: [reason] });
    }
    const { size } = await stat(localPath);
    if (size === 0) {
      await rm(localPath, { force: true });
      throw new BridgeError('validation', 'The file is empty.', { file: ['The file is empty.'] });
    }
    const record: UploadRecord = {
      id,
      name,
      mime_type: input.mimeType ?? null,
      size,
      local_path: localPath,
      server_path: null,
      state: 'queued',
      error: null,
      created_at: account.now,
    };
    account.cache.catalog.addUpload(record);
    account.host.emitter.emit('upload.progress', uploadView(record));
    if (account.reachability !== 'unreachable') {
      // Started now so the send is quick; a failure here is retried when the message goes.
      this.ensureUploaded(id).catch(() => undefined);
    }
    return uploadView(record);
  }

  view(uploadId: string): UploadView | null {
    const record = this.account.cache.catalog.upload(uploadId);
    return record ? uploadView(record) : null;
  }

  /** The upload's server path, uploading it first if needed (one upload at a time per file). */
  ensureUploaded(uploadId: string): Promise<UploadRecord> {
    const running = this.uploads.get(uploadId);
    if (running) return running;
    const promise = this.upload(uploadId).finally(() => this.uploads.delete(uploadId));
    this.uploads.set(uploadId, promise);
    return promise;
  }

  private async upload(uploadId: string): Promise<UploadRecord> {
    const { account } = this;
    const { catalog } = account.cache;
    const record = catalog.upload(uploadId);
    if (!record) throw new BridgeError('not_found', 'The file to send is gone.');
    if (record.state === 'uploaded' && record.server_path) return record;
    if (record.state === 'failed') throw new BridgeError('validation', record.error ?? 'The file was refused.');
    catalog.setUpload(uploadId, { state: 'uploading', server_path: null, error: null });
    account.host.emitter.emit('upload.progress', uploadView({ ...record, state: 'uploading' }, 0));
    let lastEmit = 0;
    try {
      const uploaded = await account.api.upload(
        { name: record.name, mimeType: record.mime_type, size: record.size, open: () => createReadStream(record.local_path) },
        (sent) => {
          const now = Date.now();
          if (now - lastEmit < 100 && sent < record.size) return;
          lastEmit = now;
          account.host.emitter.emit('upload.progress', uploadView({ ...record, state: 'uploading' }, sent));
        },
      );
      const done: UploadRecord = { ...record, state: 'uploaded', server_path: uploaded.path, mime_type: uploaded.mime_type, error: null };
      if (!account.closed) catalog.setUpload(uploadId, { state: 'uploaded', server_path: uploaded.path, error: null, mime_type: uploaded.mime_type });
      account.host.emitter.emit('upload.progress', uploadView(done));
      return done;
    } catch (error) {
      if (account.closed) throw error;
      const refused = error instanceof HttpStatusError && error.status >= 400 && error.status < 500 && error.status !== 401 && error.status !== 429;
      const message = refused ? (error.body?.errors?.file?.[0] ?? error.message) : error instanceof Error ? error.message : 'The upload failed.';
      catalog.setUpload(uploadId, { state: refused ? 'failed' : 'queued', server_path: null, error: message });
      account.host.emitter.emit('upload.progress', uploadView({ ...record, state: refused ? 'failed' : 'queued', error: message }));
      throw error;
    }
  }

  /** The server no longer knows an upload (expired after 24 h): send it again next time. */
  forgetServerCopy(uploadId: string): void {
    const record = this.account.cache.catalog.upload(uploadId);
    if (record && record.state === 'uploaded') this.account.cache.catalog.setUpload(uploadId, { state: 'queued', server_path: null, error: null });
  }

  /** After a send: our local copies become the cached files of the message's attachments (same order). */
  async adoptSent(uploadIds: string[], message: ApiMessage): Promise<void> {
    const { account } = this;
    for (const [index, uploadId] of uploadIds.entries()) {
      const record = account.cache.catalog.removeUpload(uploadId);
      const attachment = message.attachments[index];
      if (!record) continue;
      if (!attachment || account.closed) {
        await rm(record.local_path, { force: true });
        continue;
      }
      const dir = join(account.paths.attachments, String(attachment.id));
      const path = join(dir, safeFileName(attachment.name));
      try {
        await mkdir(dir, { recursive: true });
        await rename(record.local_path, path);
        if (!account.closed) account.cache.catalog.setAttachmentPath(attachment.id, path, account.now);
      } catch {
        await rm(record.local_path, { force: true });
      }
    }
    if (uploadIds.length > 0) account.touchMessage(message.chat_id, message.id);
  }

  async discard(uploadIds: string[]): Promise<void> {
    for (const uploadId of uploadIds) {
      const record = this.account.cache.catalog.removeUpload(uploadId);
      if (record) await rm(record.local_path, { force: true });
    }
  }

  /** The attachment as a local file: from the cache, else downloaded now. A customer's link is never downloaded. */
  open(attachmentId: number): Promise<{ path: string; name: string; mimeType: string }> {
    const record = this.account.cache.catalog.attachment(attachmentId);
    if (!record) return Promise.reject(new BridgeError('not_found', 'This attachment is not in any message the desk holds.'));
    if (!isServerFile(record.url, this.account.api.serverUrl)) return Promise.reject(linkRefusal());
    const result = (path: string) => ({ path, name: record.name, mimeType: record.mime_type });
    if (record.path && existsSync(record.path)) return Promise.resolve(result(record.path));
    return this.download(attachmentId).then(result, (error: unknown) => {
      if (error instanceof NetworkError) throw new BridgeError('offline', 'The attachment is not downloaded yet and the server is unreachable.');
      // A redirect is not the file (ApiClient.download does not follow it).
      if (error instanceof HttpStatusError && error.status >= 300 && error.status < 400) throw new BridgeError('not_found', 'The server has no file for this attachment.');
      if (error instanceof HttpStatusError) throw new BridgeError(error.status === 404 ? 'not_found' : 'server', error.message);
      throw error;
    });
  }

  private download(attachmentId: number): Promise<string> {
    const running = this.downloads.get(attachmentId);
    if (running) return running;
    const promise = (async () => {
      const { account } = this;
      const record = account.cache.catalog.attachment(attachmentId);
      if (!record) throw new BridgeError('not_found', 'Unknown attachment.');
      if (!isServerFile(record.url, account.api.serverUrl)) throw linkRefusal();
      const dir = join(account.paths.attachments, String(attachmentId));
      await mkdir(dir, { recursive: true });
      const path = join(dir, safeFileName(record.name));
      await account.api.download(attachmentId, path);
      if (!account.closed) {
        account.cache.catalog.setAttachmentPath(attachmentId, path, account.now);
        const message = account.cache.messages.byId(record.message_id);
        if (message) account.touchMessage(message.chat_id, message.id);
      }
      return path;
    })().finally(() => this.downloads.delete(attachmentId));
    this.downloads.set(attachmentId, promise);
    return promise;
  }

  /** Downloads small attachments of these messages in the background, so they open offline later. */
  prefetch(messages: ApiMessage[]): void {
    const limit = this.account.host.timing.prefetchAttachmentBytes;
    if (limit <= 0) return;
    const serverUrl = this.account.api.serverUrl;
    const wanted = messages
      .flatMap((message) => message.attachments)
      .filter((attachment) => attachment.size > 0 && attachment.size <= limit && isServerFile(attachment.url, serverUrl))
      .map((attachment) => attachment.id)
      .filter((id) => !this.account.cache.catalog.attachment(id)?.path);
    if (wanted.length === 0) return;
    inPool(wanted, 2, async (id) => {
      if (this.account.closed || this.account.reachability === 'unreachable') return;
      await this.download(id).catch(() => undefined);
    }).catch(() => undefined);
  }
}
