import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';

/**
 * Where uploads and attachments live: local disk by default, or an S3-compatible bucket so that
 * an upload on one node and the send on another meet. Paths handed around are relative
 * (`uploads/pending/1/{uuid}.png`) and always produced here from ids, never taken from a request,
 * so no input can point elsewhere.
 */
export interface FileStore {
  pendingPath(userId: number, ext: string): string;
  /** A website visitor's upload, kept under its space (visitors have no user id). */
  spacePendingPath(chatId: number, ext: string): string;
  attachmentPath(chatId: number, ext: string): string;
  /** Takes a file on this machine's disk (one the multipart parser wrote) into the store at `to`; the local file is gone afterwards. */
  moveIn(fromAbsolute: string, to: string): Promise<void>;
  /** Moves all or none: when one move fails, the ones done are undone before the error goes on. */
  moveAll(moves: readonly { from: string; to: string }[]): Promise<void>;
  write(path: string, content: Uint8Array): Promise<void>;
  /** Removes a file; one already gone is no error. */
  remove(path: string): Promise<void>;
  /** Removes files nothing points at any longer, as well as it can: a failure leaves an orphan, never an error. */
  discard(paths: readonly string[]): Promise<void>;
  /** The file's bytes, or undefined when there is no such file (opened before any header goes out). */
  open(path: string): Promise<Readable | undefined>;
  /** A folder on this machine where multipart uploads land before they are checked. */
  incomingDir(): string;
  close(): void;
}

/** The layout both stores share: pending uploads by owner, attachments by chat, each under a fresh id. */
export const filePaths = {
  pending: (userId: number, ext: string) => `uploads/pending/${userId}/${randomUUID()}.${ext}`,
  spacePending: (chatId: number, ext: string) => `uploads/spaces/${chatId}/${randomUUID()}.${ext}`,
  attachment: (chatId: number, ext: string) => `attachments/${chatId}/${randomUUID()}.${ext}`,
};

/** Runs every removal, whatever the others do: cleanup after a failure must not replace that failure. */
export async function discardAll(paths: readonly string[], remove: (path: string) => Promise<void>): Promise<void> {
  await Promise.allSettled(paths.map((path) => remove(path)));
}
