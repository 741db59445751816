import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { UploadRecord } from '../domain/records';
import type { Store } from '../store/contract';
import type { DetectedType } from './file-types';
import type { FileStore } from './file-store';

// A received file becomes a pending upload of its user: what `ChatService.send` attaches by path.
// v1's `POST /uploads` and the legacy multipart send both keep files this way; the file's type is
// decided from its content (files/file-types.ts) before it gets here.

/** The refusal of a file whose content is not on the allow-list, in Laravel's words. */
export const DISALLOWED_FILE_TYPE = 'The file field must be a file of an allowed type (images, PDF, text, office documents, zip).';

export interface ReceivedFile {
  /** Where the multipart parser put it. */
  filepath: string;
  originalFilename: string | null;
  size: number;
}

interface UploadDeps {
  files: FileStore;
  store: Store;
  clock: Clock;
  config: { uploadTtlMs: number };
}

/** The name a received file is kept under. */
export function receivedName(file: ReceivedFile): string {
  return (file.originalFilename ?? 'file').slice(0, 255);
}

/** What every pending upload row holds, whoever owns it. */
export interface PendingFile {
  id: string;
  path: string;
  original_name: string;
  mime_type: string;
  size: number;
  created_at: number;
  expires_at: number;
}

/**
 * Moves a received file to `path` and saves its row with `save`; when the row cannot be written,
 * the file is removed again, so no file is kept that nothing points at.
 */
export async function keepReceivedFile<T extends PendingFile>(
  deps: Pick<UploadDeps, 'files' | 'clock' | 'config'>,
  path: string,
  file: ReceivedFile,
  type: DetectedType,
  save: (pending: PendingFile) => Promise<T>,
): Promise<T> {
  const now = deps.clock.now();
  await deps.files.moveIn(file.filepath, path);
  const pending: PendingFile = {
    id: randomUUID(),
    path,
    original_name: receivedName(file),
    mime_type: type.mime,
    size: file.size,
    created_at: now,
    expires_at: now + deps.config.uploadTtlMs,
  };
  try {
    return await save(pending);
  } catch (error) {
    await deps.files.discard([path]);
    throw error;
  }
}

/** Moves the file into the store as a pending upload of `userId`; its row is written or the file removed again. */
export function keepPendingUpload(deps: UploadDeps, userId: number, file: ReceivedFile, type: DetectedType): Promise<UploadRecord> {
  return keepReceivedFile(deps, deps.files.pendingPath(userId, type.ext), file, type, async (pending) => {
    const upload: UploadRecord = { ...pending, user_id: userId };
    await deps.store.uploads.create(upload);
    return upload;
  });
}

/** Removes a pending upload that nothing will attach (its send was refused), row and file. */
export async function discardPendingUpload(deps: UploadDeps, upload: UploadRecord): Promise<void> {
  await deps.store.uploads.consume(upload.id);
  await deps.files.remove(upload.path);
}
