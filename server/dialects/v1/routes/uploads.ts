import type Router from '@koa/router';
import type { Context } from 'koa';
import { koaBody, type ScalarOrArrayFiles } from 'koa-body';
import { randomUUID } from 'node:crypto';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ApiUpload } from '../../../../common/api';
import { contentDisposition } from '../../../../node/served-files';
import type { AppDeps } from '../../../deps';
import { authorizeChat } from '../../../domain/visibility';
import { detectFileType } from '../../../files/file-types';
import { currentAuth, type AppState } from '../../../http/context';
import { NotFoundError, PayloadTooLargeError, ValidationError, type HttpError } from '../../../http/errors';
import { idParam, validate } from '../../../http/validate';
import { createRouter } from '../../../http/router';

const INLINE_TYPES = /^(image\/(png|jpeg|gif|webp|bmp|avif)|application\/pdf|text\/plain)$/;

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

type UploadedFile = Extract<ScalarOrArrayFiles[string], { filepath: string }>;

/** Parses the multipart body into `dir` and returns the one `file`. */
async function receiveFile(ctx: Context, dir: string, maxBytes: number): Promise<UploadedFile> {
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
  const file = Array.isArray(files) ? files[0] : files;
  if (!file) throw ValidationError.field('file', 'The file field is required.');
  return file;
}

async function openStored(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') throw new NotFoundError();
    throw error;
  }
}

export function uploadRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();

  router.post('/uploads', async (ctx) => {
    const { user } = currentAuth(ctx);
    // Each request gets a folder of its own, removed at the end whatever happened: a refused,
    // oversized or aborted upload, or a file under another field name, leaves nothing on disk.
    const dir = join(deps.files.incomingDir(), randomUUID());
    await mkdir(dir);
    try {
      const file = await receiveFile(ctx, dir, deps.config.uploadMaxBytes);
      const originalName = (file.originalFilename ?? 'file').slice(0, 255);
      const type = await detectFileType(file.filepath, originalName);
      if (!type) throw ValidationError.field('file', 'The file field must be a file of an allowed type (images, PDF, text, office documents, zip).');
      const now = deps.clock.now();
      const path = deps.files.pendingPath(user.id, type.ext);
      deps.files.moveIn(file.filepath, path);
      try {
        await deps.store.uploads.create({
          id: randomUUID(),
          user_id: user.id,
          path,
          original_name: originalName,
          mime_type: type.mime,
          size: file.size,
          created_at: now,
          expires_at: now + deps.config.uploadTtlMs,
        });
      } catch (error) {
        deps.files.remove(path);
        throw error;
      }
      ctx.status = 201;
      ctx.body = { data: { path, original_name: originalName, mime_type: type.mime, size: file.size } satisfies ApiUpload };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  router.get(
    '/attachments/:id',
    validate({ params: z.object({ id: idParam }) }, async (ctx, { params }) => {
      const attachment = await deps.store.messages.attachmentWithChat(params.id);
      if (!attachment) throw new NotFoundError();
      await authorizeChat(deps.store, currentAuth(ctx).user, attachment.chat_id, 'view');
      // A customer's link is not a file we keep: its URL is in the message already, and redirecting
      // to it would make this route an open redirect that desks follow with the operator's machine.
      if (attachment.storage_path === null) throw new NotFoundError();
      // Opened before the headers go out: a file gone from disk is a 404, not a connection cut mid-stream.
      const file = await openStored(deps.files.absolute(attachment.storage_path));
      ctx.set('Content-Type', attachment.mime_type);
      ctx.set('Content-Length', String(attachment.size));
      ctx.set('Content-Disposition', contentDisposition(INLINE_TYPES.test(attachment.mime_type) ? 'inline' : 'attachment', attachment.name));
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('Cache-Control', 'private, max-age=31536000, immutable');
      ctx.body = file.createReadStream();
    }),
  );

  return router;
}
