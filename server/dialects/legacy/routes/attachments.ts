import type Router from '@koa/router';
import { z } from 'zod';
import type { AppDeps } from '../../../deps';
import { sendAttachment } from '../../../http/attachment-download';
import type { AppState } from '../../../http/context';
import { createRouter } from '../../../http/router';
import { idParam, validate } from '../../../http/validate';

/** The files a legacy message's `file_path` links, for whoever sees the chat (employees included). */
export function attachmentRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();
  router.get(
    '/attachments/:id',
    validate({ params: z.object({ id: idParam }) }, async (ctx, { params }) => {
      await sendAttachment(deps, ctx, params.id);
    }),
  );
  return router;
}
