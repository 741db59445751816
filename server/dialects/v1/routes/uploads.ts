import type Router from '@koa/router';
import { z } from 'zod';
import type { ApiUpload } from '../../../../common/api';
import type { AppDeps } from '../../../deps';
import { detectFileType } from '../../../files/file-types';
import { DISALLOWED_FILE_TYPE, keepPendingUpload, receivedName } from '../../../files/pending-uploads';
import { sendAttachment } from '../../../http/attachment-download';
import { currentAuth, type AppState } from '../../../http/context';
import { ValidationError } from '../../../http/errors';
import { withMultipart } from '../../../http/multipart';
import { createRouter } from '../../../http/router';
import { idParam, validate } from '../../../http/validate';

export function uploadRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();

  router.post('/uploads', async (ctx) => {
    const { user } = currentAuth(ctx);
    await withMultipart(ctx, deps.files.incomingDir(), deps.config.uploadMaxBytes, async (file) => {
      if (!file) throw ValidationError.field('file', 'The file field is required.');
      const type = await detectFileType(file.filepath, receivedName(file));
      if (!type) throw ValidationError.field('file', DISALLOWED_FILE_TYPE);
      const upload = await keepPendingUpload(deps, user.id, file, type);
      ctx.status = 201;
      ctx.body = { data: { path: upload.path, original_name: upload.original_name, mime_type: upload.mime_type, size: upload.size } satisfies ApiUpload };
    });
  });

  router.get(
    '/attachments/:id',
    validate({ params: z.object({ id: idParam }) }, async (ctx, { params }) => {
      await sendAttachment(deps, ctx, params.id);
    }),
  );

  return router;
}
