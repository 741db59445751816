import type Router from '@koa/router';
import { z } from 'zod';
import type { AppDeps } from '../../../deps';
import { detectFileType } from '../../../files/file-types';
import { DISALLOWED_FILE_TYPE, receivedName } from '../../../files/pending-uploads';
import { keepVisitorUpload } from '../../../files/visitor-uploads';
import { ATTACHMENTS_OFF } from '../../../domain/visitor-spaces';
import { visibleToVisitor } from '../../../domain/visitor-visibility';
import { sendAttachment } from '../../../http/attachment-download';
import type { AppState } from '../../../http/context';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../http/errors';
import { withMultipart } from '../../../http/multipart';
import { createRouter } from '../../../http/router';
import { idParam, validate } from '../../../http/validate';
import { spaceOf, type VisitorAccess } from '../access';
import { LIMIT_SENTENCES, visitorLimit } from '../limits';
import { presentVisitorUpload } from '../presenters';

/**
 * A visitor's files: `POST uploads.json` (multipart `file`, the widget token in `?token=`) keeps one
 * for the next message, by the same type and size rules as operators' uploads; `GET attachments/{id}`
 * serves a file of the visitor's own conversation.
 */
export function visitorUploadRoutes(deps: AppDeps, access: VisitorAccess): Router<AppState> {
  const router = createRouter('/chat/widget');

  router.post('/uploads.json', async (ctx) => {
    const space = await spaceOf(ctx, access);
    // Refused before a byte of the file is read.
    if (!space.widget.settings.allow_client_attachments) throw new ForbiddenError(ATTACHMENTS_OFF);
    await visitorLimit(ctx, deps.limits.visitorUploads, String(space.chat.id), LIMIT_SENTENCES.uploads);
    await withMultipart(ctx, deps.files.incomingDir(), deps.config.uploadMaxBytes, async (file) => {
      if (!file) throw ValidationError.field('file', 'The file field is required.');
      const type = await detectFileType(file.filepath, receivedName(file));
      if (!type) throw ValidationError.field('file', DISALLOWED_FILE_TYPE);
      const upload = await keepVisitorUpload(deps, space.chat.id, file, type);
      ctx.status = 201;
      ctx.body = presentVisitorUpload(upload);
    });
  });

  router.get(
    '/attachments/:id',
    validate({ params: z.object({ id: idParam }) }, async (ctx, { params }) => {
      const space = await spaceOf(ctx, access);
      await sendAttachment(deps, ctx, params.id, async (attachment) => {
        const message = attachment.chat_id === space.chat.id ? await deps.store.messages.byId(attachment.message_id) : undefined;
        if (!message || !visibleToVisitor(message)) throw new NotFoundError();
      });
    }),
  );

  return router;
}
