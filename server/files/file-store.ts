import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * Files on disk under one root. Paths handed around are relative (`uploads/pending/1/{uuid}.png`)
 * and always produced here from ids, never taken from a request, so no input can point elsewhere.
 */
export class FileStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
    mkdirSync(this.root, { recursive: true });
  }

  absolute(path: string): string {
    const full = resolve(this.root, path);
    if (relative(this.root, full).startsWith('..') || !full.startsWith(this.root + sep)) {
      throw new Error(`path escapes the file store: ${path}`);
    }
    return full;
  }

  pendingPath(userId: number, ext: string): string {
    return `uploads/pending/${userId}/${randomUUID()}.${ext}`;
  }

  /** A website visitor's upload, kept under its space (visitors have no user id). */
  spacePendingPath(chatId: number, ext: string): string {
    return `uploads/spaces/${chatId}/${randomUUID()}.${ext}`;
  }

  attachmentPath(chatId: number, ext: string): string {
    return `attachments/${chatId}/${randomUUID()}.${ext}`;
  }

  /** Moves a file into the store (same filesystem: an atomic rename). */
  moveIn(fromAbsolute: string, to: string): void {
    const target = this.absolute(to);
    mkdirSync(dirname(target), { recursive: true });
    renameSync(fromAbsolute, target);
  }

  move(from: string, to: string): void {
    this.moveIn(this.absolute(from), to);
  }

  /** Moves all or none: when one move fails, the ones done are moved back before the error goes on. */
  moveAll(moves: readonly { from: string; to: string }[]): void {
    const done: { from: string; to: string }[] = [];
    try {
      for (const move of moves) {
        this.move(move.from, move.to);
        done.push(move);
      }
    } catch (error) {
      for (const move of done.reverse()) this.move(move.to, move.from);
      throw error;
    }
  }

  write(path: string, content: Uint8Array): void {
    const target = this.absolute(path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }

  remove(path: string): void {
    rmSync(this.absolute(path), { force: true });
  }

  /** Where multipart uploads land before they are checked: inside the root, so moving them is a rename. */
  incomingDir(): string {
    const dir = join(this.root, 'incoming');
    mkdirSync(dir, { recursive: true });
    return dir;
  }
}
