import { mkdirSync } from 'node:fs';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { discardAll, filePaths, type FileStore } from './file-store';

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}

/** Files on disk under one root (the default: `DATA_DIR/files`). */
export class LocalFileStore implements FileStore {
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
    return filePaths.pending(userId, ext);
  }

  spacePendingPath(chatId: number, ext: string): string {
    return filePaths.spacePending(chatId, ext);
  }

  attachmentPath(chatId: number, ext: string): string {
    return filePaths.attachment(chatId, ext);
  }

  /** Same filesystem as the incoming folder: an atomic rename. */
  async moveIn(fromAbsolute: string, to: string): Promise<void> {
    const target = this.absolute(to);
    await mkdir(dirname(target), { recursive: true });
    await rename(fromAbsolute, target);
  }

  private move(from: string, to: string): Promise<void> {
    return this.moveIn(this.absolute(from), to);
  }

  async moveAll(moves: readonly { from: string; to: string }[]): Promise<void> {
    const done: { from: string; to: string }[] = [];
    try {
      for (const move of moves) {
        await this.move(move.from, move.to);
        done.push(move);
      }
    } catch (error) {
      for (const move of done.reverse()) await this.move(move.to, move.from);
      throw error;
    }
  }

  async write(path: string, content: Uint8Array): Promise<void> {
    const target = this.absolute(path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }

  async remove(path: string): Promise<void> {
    await rm(this.absolute(path), { force: true });
  }

  discard(paths: readonly string[]): Promise<void> {
    return discardAll(paths, (path) => this.remove(path));
  }

  async open(path: string): Promise<Readable | undefined> {
    try {
      // The handle closes with the stream (at its end, or when the client goes away).
      const handle = await open(this.absolute(path), 'r');
      return handle.createReadStream();
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** Inside the root, so moving an upload into place is a rename. */
  incomingDir(): string {
    const dir = join(this.root, 'incoming');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  close(): void {
    // Nothing held open between requests.
  }
}
