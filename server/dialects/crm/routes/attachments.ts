import type Router from '@koa/router';
import type { AppDeps } from '../../../deps';
import { sendAttachment } from '../../../http/attachment-download';
import type { AppState } from '../../../http/context';
import { NotFoundError } from '../../../http/errors';
import { createRouter } from '../../../http/router';
import { idParam } from '../../../http/validate';

/** The files of CRM messages, for whoever sees their space (`?api_token=` works, so a link opens in a browser). */
export function attachmentRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();
  router.get('/attachments/:id', async (ctx) => {
    const id = idParam.safeParse(ctx.params.id);
    if (!id.success) throw new NotFoundError();
    await sendAttachment(deps, ctx, id.data);
  });
  return router;
}
