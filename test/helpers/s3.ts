import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { ServerConfigInput } from '../../server/config';

/** s3rver accepts any signature made with these (its documented defaults). */
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * An S3 emulator (s3rver) in this process on 127.0.0.1, a free port, its objects in a temp dir,
 * with one bucket; `config` is what a server needs to keep its files there.
 */
export interface TestS3 {
  bucket: string;
  endpoint: string;
  config: ServerConfigInput;
  /** Every key in the bucket. */
  keys(): Promise<string[]>;
  /** An object's bytes, or undefined when it does not exist. */
  read(key: string): Promise<Buffer | undefined>;
  exists(key: string): Promise<boolean>;
  /** Deletes an object behind the server's back (a lost file). */
  remove(key: string): Promise<void>;
  close(): Promise<void>;
}

export async function startS3(bucket = 'switchboard-files'): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'switchboard-s3-'));
  const emulator = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await emulator.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ endpoint, region: 'us-east-1', credentials: CREDENTIALS, forcePathStyle: true });
  const missing = (error: unknown) => error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound');
  return {
    bucket,
    endpoint,
    config: { filesUrl: `s3://${bucket}`, s3: { endpoint, region: 'us-east-1', credentials: CREDENTIALS } },
    async keys() {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      return (listed.Contents ?? []).flatMap((object) => (object.Key === undefined ? [] : [object.Key])).sort();
    },
    async read(key) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return object.Body ? Buffer.from(await object.Body.transformToByteArray()) : undefined;
      } catch (error) {
        if (missing(error)) return undefined;
        throw error;
      }
    },
    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return true;
      } catch (error) {
        if (missing(error)) return false;
        throw error;
      }
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async close() {
      client.destroy();
      await emulator.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
