import type { Context } from 'koa';
import { koaBody, type ScalarOrArrayFiles } from 'koa-body';
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PayloadTooLargeError, ValidationError, type HttpError } from './errors';

// Multipart bodies with one `file`, for every dialect that takes files (v1's uploads, the legacy
// send). The app's body parser leaves multipart alone; only these routes parse it, into a folder of
// their own that is removed whatever happens.

/** Formidable's refusals (its numeric error codes) as the documented answers for `field`; anything else is ours. */
function multipartError(error: unknown, field: string, maxFiles: number): HttpError | undefined {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  switch (code) {
    case 1009: // biggerThanTotalMaxFileSize
    case 1016: // biggerThanMaxFileSize
      return new PayloadTooLargeError('The file is larger than the upload limit.');
    case 1008: // smallerThanMinFileSize
    case 1010: // noEmptyFiles
      return ValidationError.field(field, `The ${field} field must not be empty.`);
    case 1015: // maxFilesExceeded
      return ValidationError.field(field, maxFiles === 1 ? `The ${field} field must be a single file.` : `The ${field} field must not have more than ${maxFiles} files.`);
    case 1006: // maxFieldsSizeExceeded
    case 1007: // maxFieldsExceeded
    case 1011: // missingContentType
    case 1012: // malformedMultipart
    case 1013: // missingMultipartBoundary
    case 1014: // unknownTransferEncoding
      return ValidationError.field(field, `The request must be multipart/form-data with a ${field} field.`);
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
 * Parses the multipart body (its fields into `ctx.request.body`) into a folder of this request and
 * calls `work` with the files under `fieldNames`; the folder is removed when `work` is done, so a
 * refused, oversized or aborted upload, or a file under another field name, leaves nothing on disk.
 */
async function parseMultipart<T>(
  ctx: Context,
  incomingDir: string,
  options: { maxBytes: number; maxFiles: number; fieldNames: readonly string[]; errorField: string },
  work: (files: UploadedFile[]) => Promise<T>,
): Promise<T> {
  const dir = join(incomingDir, randomUUID());
  await mkdir(dir);
  // Formidable lists files as their writes finish, not as they were sent; each file's name carries
  // its place in the body, so the files go on in the sender's order.
  let sequence = 0;
  try {
    const parse = koaBody({
      multipart: true,
      json: false,
      urlencoded: false,
      text: false,
      formidable: {
        uploadDir: dir,
        maxFileSize: options.maxBytes,
        maxTotalFileSize: options.maxBytes * options.maxFiles,
        maxFiles: options.maxFiles,
        maxFields: 10,
        allowEmptyFiles: false,
        keepExtensions: false,
        filename: () => `${String(sequence++).padStart(6, '0')}-${randomUUID()}`,
      },
    });
    try {
      await parse(ctx, () => Promise.resolve());
    } catch (error) {
      throw multipartError(error, options.errorField, options.maxFiles) ?? error;
    }
    const files: UploadedFile[] = [];
    for (const name of options.fieldNames) {
      const entry = ctx.request.files?.[name];
      if (entry) files.push(...(Array.isArray(entry) ? entry : [entry]));
    }
    files.sort((a, b) => (a.newFilename < b.newFilename ? -1 : a.newFilename > b.newFilename ? 1 : 0));
    return await work(files);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The multipart body with one `file` (v1's uploads, the legacy send): `work` gets it, if any. */
export function withMultipart<T>(ctx: Context, incomingDir: string, maxBytes: number, work: (file: UploadedFile | undefined) => Promise<T>): Promise<T> {
  return parseMultipart(ctx, incomingDir, { maxBytes, maxFiles: 1, fieldNames: ['file'], errorField: 'file' }, (files) => work(files[0]));
}

/**
 * The multipart body with up to `maxFiles` files under `field` (sent as `field[]` or `field`), each
 * within `maxBytes`: the CRM's `attachments[]`.
 */
export function withMultipartFiles<T>(
  ctx: Context,
  incomingDir: string,
  field: string,
  limits: { maxBytes: number; maxFiles: number },
  work: (files: UploadedFile[]) => Promise<T>,
): Promise<T> {
  return parseMultipart(ctx, incomingDir, { ...limits, fieldNames: [`${field}[]`, field], errorField: field }, work);
}
