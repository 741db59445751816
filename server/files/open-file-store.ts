import { join } from 'node:path';
import type { FileStore } from './file-store';
import { LocalFileStore } from './local-file-store';
import { parseS3Url, S3FileStore, type S3Options } from './s3-file-store';

export interface FileStoreConfig {
  uploadsDir: string;
  /** `s3://bucket[/prefix]`: an S3-compatible bucket instead of `uploadsDir`. */
  filesUrl?: string;
  s3: S3Options;
}

/** The store the configuration names: `filesUrl` (s3://…) chooses a bucket, checked before the server starts; otherwise local disk. */
export async function openFileStore(config: FileStoreConfig): Promise<FileStore> {
  if (!config.filesUrl) return new LocalFileStore(config.uploadsDir);
  // Multipart uploads still land on this machine's disk first, then stream up.
  const store = new S3FileStore(parseS3Url(config.filesUrl), config.s3, join(config.uploadsDir, 'incoming'));
  try {
    await store.check();
  } catch (error) {
    store.close();
    throw error;
  }
  return store;
}
