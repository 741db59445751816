import type { Clock } from '../clock';
import type { VisitorUploadRecord } from '../domain/records';
import type { Store } from '../store/contract';
import type { DetectedType } from './file-types';
import type { FileStore } from './file-store';
import { keepReceivedFile, type ReceivedFile } from './pending-uploads';

// A website visitor's file becomes a pending upload of its space, as an operator's becomes one of
// its user (pending-uploads.ts): checked from its content first, expiring after the same time, and
// attached by id when the visitor sends it.

interface UploadDeps {
  files: FileStore;
  store: Store;
  clock: Clock;
  config: { uploadTtlMs: number };
}

/** Moves the file into the store as a pending upload of space `chatId`; its row is written or the file removed again. */
export function keepVisitorUpload(deps: UploadDeps, chatId: number, file: ReceivedFile, type: DetectedType): Promise<VisitorUploadRecord> {
  return keepReceivedFile(deps, deps.files.spacePendingPath(chatId, type.ext), file, type, async (pending) => {
    const upload: VisitorUploadRecord = { ...pending, chat_id: chatId };
    await deps.store.spaces.createUpload(upload);
    return upload;
  });
}
