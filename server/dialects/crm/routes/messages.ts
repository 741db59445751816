import type Router from '@koa/router';
import type { AppDeps } from '../../../deps';
import { InvalidFieldError, NotAllowedError, NotVisibleError } from '../../../domain/errors';
import type { ChatRecord, UserRecord } from '../../../domain/records';
import type { ReceivedAttachment } from '../../../domain/space-service';
import { isAdmin } from '../../../domain/roles';
import { canView } from '../../../domain/visibility';
import { detectFileType } from '../../../files/file-types';
import { DISALLOWED_FILE_TYPE, receivedName } from '../../../files/pending-uploads';
import { currentAuth, socketIdOf, type ApiContext, type AppState } from '../../../http/context';
import { ValidationError } from '../../../http/errors';
import { assertBodyParsed } from '../../../http/malformed-body';
import { isMultipart, withMultipartFiles } from '../../../http/multipart';
import { createRouter } from '../../../http/router';
import { consumeLimit } from '../../../http/throttle';
import { idParam, parseInput } from '../../../http/validate';
import { rootBody } from '../body';
import { offsetOf, setPageHeaders } from '../pagination';
import { presentMessage } from '../presenters';
import { messageCreateBody, messagesQuery, messageUpdateBody } from '../schemas';
import { visibleSpace, visibleSpaceByToken } from '../spaces-access';

/** How many files one `attach` takes. */
export const ATTACH_MAX_FILES = 10;

/** `/chat/messages…`: a space's messages, oldest first; sending, editing, deleting and attaching files. */
export function messageRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();

  const spaceOf = (user: UserRecord, ref: { space_token?: string | undefined; space_id?: number | undefined }): Promise<ChatRecord> =>
    ref.space_id !== undefined ? visibleSpace(deps, user, ref.space_id) : visibleSpaceByToken(deps, user, ref.space_token ?? '');

  /** A message of a space the user sees, with that space. */
  const visibleMessage = async (user: UserRecord, rawId: unknown) => {
    const parsed = idParam.safeParse(rawId);
    const message = parsed.success ? await deps.store.messages.byId(parsed.data) : undefined;
    if (!message) throw new NotVisibleError('message');
    try {
      return { message, chat: await visibleSpace(deps, user, message.chat_id) };
    } catch (error) {
      if (error instanceof NotVisibleError) throw new NotVisibleError('message');
      throw error;
    }
  };

  const answer = async (ctx: ApiContext, messageId: number, chat: ChatRecord) => {
    const message = await deps.store.messages.byId(messageId);
    if (!message) throw new NotVisibleError('message');
    ctx.body = presentMessage(message, chat, deps.baseUrl());
  };

  router.get('/messages.json', async (ctx) => {
    assertBodyParsed(ctx.request);
    const query = parseInput(messagesQuery, ctx.query);
    const chat = await spaceOf(currentAuth(ctx).user, query);
    const total = (await deps.store.messages.countsByChat([chat.id])).get(chat.id) ?? 0;
    const messages = await deps.store.messages.oldestFirst(chat.id, offsetOf(query), query.per_page);
    setPageHeaders(ctx, deps.baseUrl(), query, total, { space_id: query.space_id, space_token: query.space_token });
    ctx.body = messages.map((message) => presentMessage(message, chat, deps.baseUrl()));
  });

  router.get('/messages/:id.json', async (ctx) => {
    assertBodyParsed(ctx.request);
    const { message, chat } = await visibleMessage(currentAuth(ctx).user, ctx.params.id);
    ctx.body = presentMessage(message, chat, deps.baseUrl());
  });

  router.post('/messages.json', async (ctx) => {
    const { user } = currentAuth(ctx);
    const body = rootBody(ctx, 'message', messageCreateBody);
    const chat = await spaceOf(user, body);
    if (body.widget_id !== undefined && body.widget_id !== chat.source_id) {
      throw InvalidFieldError.field('widget_id', 'The widget id does not match the space.');
    }
    // An admin may write as another operator (an import, a bot account); everyone else only as themselves.
    let sender = user;
    if (body.user_id !== undefined && body.user_id !== user.id) {
      if (!isAdmin(user)) throw new NotAllowedError('You may only send messages as yourself.');
      const named = await deps.store.users.byId(body.user_id);
      if (!named || !named.is_active || !canView(named, chat)) throw InvalidFieldError.field('user_id', 'The selected user id is invalid.');
      sender = named;
    }
    // One send quota per user across dialects, counted on who asked.
    await consumeLimit(ctx, deps.limits.send, String(user.id));
    const { message, created } = await deps.chats.send(sender, chat.id, { text: body.message, client_message_id: body.client_message_id }, socketIdOf(ctx));
    ctx.status = created ? 201 : 200;
    await answer(ctx, message.id, chat);
  });

  router.patch('/messages/:id.json', async (ctx) => {
    const { user } = currentAuth(ctx);
    const { message, chat } = await visibleMessage(user, ctx.params.id);
    const body = rootBody(ctx, 'message', messageUpdateBody);
    await deps.spaces.editMessage(user, message.id, body.message, socketIdOf(ctx));
    await answer(ctx, message.id, chat);
  });

  router.delete('/messages/:id.json', async (ctx) => {
    assertBodyParsed(ctx.request);
    const { user } = currentAuth(ctx);
    const { message } = await visibleMessage(user, ctx.params.id);
    await deps.spaces.deleteMessage(user, message.id, socketIdOf(ctx));
    ctx.status = 204;
  });

  router.post('/messages/:id/attach.json', async (ctx) => {
    const { user } = currentAuth(ctx);
    const { message, chat } = await visibleMessage(user, ctx.params.id);
    if (!isMultipart(ctx)) throw ValidationError.field('attachments', 'The request must be multipart/form-data with attachments[] files.');
    const limits = { maxBytes: deps.config.uploadMaxBytes, maxFiles: ATTACH_MAX_FILES };
    await withMultipartFiles(ctx, deps.files.incomingDir(), 'attachments', limits, async (files) => {
      if (files.length === 0) throw ValidationError.field('attachments', 'The attachments field is required.');
      const received: ReceivedAttachment[] = [];
      const errors: Record<string, string[]> = {};
      for (const [index, file] of files.entries()) {
        const type = await detectFileType(file.filepath, receivedName(file));
        if (!type) errors[`attachments.${index}`] = [DISALLOWED_FILE_TYPE.replace('The file field', `The attachments.${index} field`)];
        else received.push({ absolutePath: file.filepath, name: receivedName(file), mimeType: type.mime, size: file.size, ext: type.ext });
      }
      if (Object.keys(errors).length > 0) throw new ValidationError(errors);
      await deps.spaces.attach(user, message.id, received, socketIdOf(ctx));
    });
    await answer(ctx, message.id, chat);
  });

  return router;
}
