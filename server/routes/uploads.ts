import Router from '@koa/router';
import { koaBody } from 'koa-body';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { z } from 'zod';
import type { ApiUpload } from '../../common/api';
import { authorizeChat } from '../domain/access';
import { detectFileType } from '../files/file-types';
import { currentAuth, type AppState } from '../http/context';
import type { AppDeps } from '../http/deps';
import { NotFoundError, ValidationError } from '../http/errors';
import { idParam, validate } from '../http/validate';

const INLINE_TYPES = /^(image\/(png|jpeg|gif|webp|bmp|avif)|application\/pdf|text\/plain)$/;

function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function uploadRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>();

  router.post(
    '/uploads',
    koaBody({
      multipart: true,
      json: false,
      urlencoded: false,
      text: false,
      formidable: {
        uploadDir: deps.files.incomingDir(),
        maxFileSize: deps.config.uploadMaxBytes,
        maxTotalFileSize: deps.config.uploadMaxBytes,
        maxFiles: 1,
        maxFields: 10,
        allowEmptyFiles: false,
        keepExtensions: false,
      },
    }),
    async (ctx) => {
      const { user } = currentAuth(ctx);
      const files = ctx.request.files?.file;
      const file = Array.isArray(files) ? files[0] : files;
      if (!file) throw ValidationError.field('file', 'The file field is required.');
      try {
        const originalName = (file.originalFilename ?? 'file').slice(0, 255);
        const type = await detectFileType(file.filepath, originalName);
        if (!type) throw ValidationError.field('file', 'The file field must be a file of an allowed type (images, PDF, text, office documents, zip).');
        const now = deps.now();
        const path = deps.files.pendingPath(user.id, type.ext);
        deps.files.moveIn(file.filepath, path);
        deps.store.uploads.create({
          id: randomUUID(),
          user_id: user.id,
          path,
          original_name: originalName,
          mime_type: type.mime,
          size: file.size,
          created_at: now,
          expires_at: now + deps.config.uploadTtlMs,
        });
        ctx.status = 201;
        ctx.body = { data: { path, original_name: originalName, mime_type: type.mime, size: file.size } satisfies ApiUpload };
      } finally {
        await rm(file.filepath, { force: true });
      }
    },
  );

  router.get(
    '/attachments/:id',
    validate({ params: z.object({ id: idParam }) }, (ctx, { params }) => {
      const attachment = deps.store.messages.attachmentWithChat(params.id);
      if (!attachment) throw new NotFoundError();
      authorizeChat(deps.store, currentAuth(ctx).user, attachment.chat_id, 'view');
      if (attachment.storage_path === null) {
        if (attachment.external_url === null) throw new NotFoundError();
        ctx.redirect(attachment.external_url);
        return;
      }
      ctx.set('Content-Type', attachment.mime_type);
      ctx.set('Content-Length', String(attachment.size));
      ctx.set('Content-Disposition', contentDisposition(INLINE_TYPES.test(attachment.mime_type) ? 'inline' : 'attachment', attachment.name));
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('Cache-Control', 'private, max-age=31536000, immutable');
      ctx.body = createReadStream(deps.files.absolute(attachment.storage_path));
    }),
  );

  return router;
}
