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

/** Moves the file into the store as a pending upload of `userId`; its row is written or the file removed again. */
export async function keepPendingUpload(deps: UploadDeps, userId: number, file: ReceivedFile, type: DetectedType): Promise<UploadRecord> {
  const now = deps.clock.now();
  const path = deps.files.pendingPath(userId, type.ext);
  deps.files.moveIn(file.filepath, path);
  const upload: UploadRecord = {
    id: randomUUID(),
    user_id: userId,
    path,
    original_name: receivedName(file),
    mime_type: type.mime,
    size: file.size,
    created_at: now,
    expires_at: now + deps.config.uploadTtlMs,
  };
  try {
    await deps.store.uploads.create(upload);
  } catch (error) {
    deps.files.remove(path);
    throw error;
  }
  return upload;
}

/** Removes a pending upload that nothing will attach (its send was refused), row and file. */
export async function discardPendingUpload(deps: UploadDeps, upload: UploadRecord): Promise<void> {
  await deps.store.uploads.consume(upload.id);
  deps.files.remove(upload.path);
}
