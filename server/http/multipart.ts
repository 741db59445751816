import type { Context } from 'koa';
import { koaBody, type ScalarOrArrayFiles } from 'koa-body';
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PayloadTooLargeError, ValidationError, type HttpError } from './errors';

// Multipart bodies with one `file`, for every dialect that takes files (v1's uploads, the legacy
// send). The app's body parser leaves multipart alone; only these routes parse it, into a folder of
// their own that is removed whatever happens.

/** Formidable's refusals (its numeric error codes) as the documented answers; anything else is ours. */
function multipartError(error: unknown): HttpError | undefined {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  switch (code) {
    case 1009: // biggerThanTotalMaxFileSize
    case 1016: // biggerThanMaxFileSize
      return new PayloadTooLargeError('The file is larger than the upload limit.');
    case 1008: // smallerThanMinFileSize
    case 1010: // noEmptyFiles
      return ValidationError.field('file', 'The file field must not be empty.');
    case 1015: // maxFilesExceeded
      return ValidationError.field('file', 'The file field must be a single file.');
    case 1006: // maxFieldsSizeExceeded
    case 1007: // maxFieldsExceeded
    case 1011: // missingContentType
    case 1012: // malformedMultipart
    case 1013: // missingMultipartBoundary
    case 1014: // unknownTransferEncoding
      return ValidationError.field('file', 'The request must be multipart/form-data with a file field.');
    default:
      return undefined;
  }
}

export type UploadedFile = Extract<ScalarOrArrayFiles[string], { filepath: string }>;

/** Whether the request carries a multipart body (the only kind `withMultipart` parses). */
export function isMultipart(ctx: Context): boolean {
  // A string when the type matches, false when it does not, null when there is no body.
  return typeof ctx.is('multipart') === 'string';
}

/**
 * Parses the multipart body (its fields into `ctx.request.body`) and calls `work` with the one
 * `file`, if any. The file lives in a folder of this request, removed when `work` is done: a refused,
 * oversized or aborted upload, or a file under another field name, leaves nothing on disk.
 */
export async function withMultipart<T>(ctx: Context, incomingDir: string, maxBytes: number, work: (file: UploadedFile | undefined) => Promise<T>): Promise<T> {
  const dir = join(incomingDir, randomUUID());
  await mkdir(dir);
  try {
    const parse = koaBody({
      multipart: true,
      json: false,
      urlencoded: false,
      text: false,
      formidable: { uploadDir: dir, maxFileSize: maxBytes, maxTotalFileSize: maxBytes, maxFiles: 1, maxFields: 10, allowEmptyFiles: false, keepExtensions: false },
    });
    try {
      await parse(ctx, () => Promise.resolve());
    } catch (error) {
      throw multipartError(error) ?? error;
    }
    const files = ctx.request.files?.file;
    return await work(Array.isArray(files) ? files[0] : files);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
