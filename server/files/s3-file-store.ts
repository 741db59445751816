import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { createReadStream, mkdirSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { discardAll, filePaths, type FileStore } from './file-store';

export interface S3Location {
  bucket: string;
  /** Keys start with it (`switchboard/`), or '' for the bucket's root. */
  prefix: string;
}

export interface S3Options {
  /** An S3-compatible service's URL (MinIO, Ceph, R2 …); AWS's own when unset. */
  endpoint?: string;
  region: string;
  /** Unset: the SDK's usual chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** `endpoint/bucket/key` instead of `bucket.endpoint/key`: what most S3-compatible services want. */
  forcePathStyle: boolean;
}

/** `s3://bucket` or `s3://bucket/some/prefix`; anything else stops the start with the reason. */
export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!match?.[1]) throw new Error(`SWITCHBOARD_FILES_URL must be s3://bucket or s3://bucket/prefix, not ${JSON.stringify(url)}`);
  const prefix = (match[2] ?? '').replace(/^\/+|\/+$/g, '');
  return { bucket: match[1], prefix: prefix === '' ? '' : `${prefix}/` };
}

function isMissing(error: unknown): boolean {
  return error instanceof NoSuchKey || (error instanceof S3ServiceException && (error.name === 'NotFound' || error.$metadata.httpStatusCode === 404));
}

/**
 * Files as objects in one bucket, keyed by the same relative paths the local store uses. Uploads
 * still land on this machine first (the multipart parser writes there) and are streamed up from it.
 */
export class S3FileStore implements FileStore {
  private readonly client: S3Client;

  constructor(
    private readonly location: S3Location,
    options: S3Options,
    /** This machine's folder for multipart uploads on their way in. */
    private readonly incoming: string,
  ) {
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      credentials: options.credentials,
      forcePathStyle: options.forcePathStyle,
      // Checksums only where S3 requires them: many S3-compatible services do not understand the
      // SDK's newer default (chunked uploads with trailing CRC headers), and TLS already guards the bytes.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** Fails the start with a clear reason when the bucket cannot be reached with these settings. */
  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.location.bucket }));
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new Error(`the S3 bucket ${this.location.bucket} cannot be reached (${reason})`, { cause: error });
    }
  }

  private key(path: string): string {
    return `${this.location.prefix}${path}`;
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

  async moveIn(fromAbsolute: string, to: string): Promise<void> {
    const { size } = await stat(fromAbsolute);
    // Streamed from disk: an upload of any size costs a buffer, not its size in memory.
    await this.client.send(new PutObjectCommand({ Bucket: this.location.bucket, Key: this.key(to), Body: createReadStream(fromAbsolute), ContentLength: size }));
    await rm(fromAbsolute, { force: true });
  }

  private async copy(from: string, to: string): Promise<void> {
    const source = `${this.location.bucket}/${this.key(from)}`.split('/').map(encodeURIComponent).join('/');
    await this.client.send(new CopyObjectCommand({ Bucket: this.location.bucket, Key: this.key(to), CopySource: source }));
  }

  /** S3 has no rename: every file is copied first, and the originals go only once all copies exist. */
  async moveAll(moves: readonly { from: string; to: string }[]): Promise<void> {
    const copied: string[] = [];
    try {
      for (const move of moves) {
        await this.copy(move.from, move.to);
        copied.push(move.to);
      }
    } catch (error) {
      await this.discard(copied);
      throw error;
    }
    // A source that cannot be removed now is an orphan object, never a missing attachment.
    await this.discard(moves.map((move) => move.from));
  }

  async write(path: string, content: Uint8Array): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.location.bucket, Key: this.key(path), Body: content, ContentLength: content.byteLength }));
  }

  async remove(path: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.key(path) }));
  }

  discard(paths: readonly string[]): Promise<void> {
    return discardAll(paths, (path) => this.remove(path));
  }

  async open(path: string): Promise<Readable | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(path) }));
      // In Node the SDK answers with the HTTP response itself, a Readable: streamed through, never buffered.
      if (!(object.Body instanceof Readable)) throw new Error('the S3 client answered without a stream');
      return object.Body;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  incomingDir(): string {
    mkdirSync(this.incoming, { recursive: true });
    return this.incoming;
  }

  close(): void {
    // The SDK keeps connections alive for the next request; a stopped server needs none.
    this.client.destroy();
  }
}

