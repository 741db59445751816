import { randomBytes } from 'node:crypto';
import type Router from '@koa/router';
import { isWebhookTyping, webhookBody, webhookTypingBody } from '../../../../common/schemas';
import type { AppDeps } from '../../../deps';
import type { IncomingAttachment } from '../../../domain/chat-service';
import { detectBufferType } from '../../../files/file-types';
import type { AppState } from '../../../http/context';
import { HttpError, PayloadTooLargeError, ValidationError } from '../../../http/errors';
import { malformedBody } from '../../../http/malformed-body';
import { idParam, parseBody } from '../../../http/validate';
import { presentMessage } from '../presenters';
import { SIGNATURE_HEADER, signatureValid, TIMESTAMP_HEADER, timestampFresh, WEBHOOK_TOLERANCE_SECONDS } from '../webhook-signature';
import { createRouter } from '../../../http/router';

const STALE_TIMESTAMP = `The ${TIMESTAMP_HEADER} header must be the Unix time in seconds, within ${WEBHOOK_TOLERANCE_SECONDS / 60} minutes of the server's clock.`;
const UNKNOWN_SOURCE_SECRET = randomBytes(32).toString('hex');

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Customers' messages from external channels (Telegram, VK, …), signed with the source's secret. */
export function webhookRoutes(deps: AppDeps): Router<AppState> {
  const router = createRouter();

  router.post('/webhooks/sources/:sourceId', async (ctx) => {
    // The timestamp first (it needs no secret, so its answer is the same for every source id), then
    // the signature: a forged or replayed request learns nothing, not whether the source exists,
    // not even that its JSON is broken.
    const timestamp = ctx.get(TIMESTAMP_HEADER);
    if (!timestampFresh(timestamp, deps.clock.now())) throw new HttpError(401, 'UNAUTHENTICATED', STALE_TIMESTAMP);
    const sourceId = idParam.safeParse(ctx.params.sourceId);
    const source = sourceId.success ? await deps.store.catalog.source(sourceId.data) : undefined;
    const rawBody = ctx.request.rawBody ?? malformedBody(ctx.request)?.raw ?? '';
    // An unknown source is checked against a secret nobody holds, so it takes the same path and answer as a wrong signature.
    const secret = source?.webhook_secret ?? UNKNOWN_SOURCE_SECRET;
    if (!signatureValid(secret, timestamp, rawBody, ctx.get(SIGNATURE_HEADER)) || !source) {
      throw new HttpError(401, 'UNAUTHENTICATED', 'Invalid signature.');
    }
    if (isWebhookTyping(ctx.request.body)) {
      const hint = parseBody(ctx, webhookTypingBody);
      const chatId = await deps.chats.customerTyping(source.id, hint.external_user_id, hint.typing);
      // A customer with no open chat has no operators to tell; the hint is dropped, as a late one would be.
      ctx.body = { data: { chat_id: chatId ?? null, typing: hint.typing } };
      return;
    }
    const body = parseBody(ctx, webhookBody);
    const attachments: IncomingAttachment[] = [];
    for (const [index, attachment] of (body.attachments ?? []).entries()) {
      if (attachment.content_base64 !== undefined) {
        const content = Buffer.from(attachment.content_base64, 'base64');
        if (content.length > deps.config.uploadMaxBytes) throw new PayloadTooLargeError(`Attachment ${index} is larger than the upload limit.`);
        const name = attachment.name ?? 'file';
        const type = await detectBufferType(content, name);
        if (!type) throw ValidationError.field(`attachments.${index}`, `The attachments.${index} field must be a file of an allowed type.`);
        attachments.push({ name, mimeType: type.mime, size: content.length, content, ext: type.ext, url: null });
      } else if (attachment.url !== undefined) {
        const url = new URL(attachment.url);
        // The desk opens these links; `javascript:`, `file:` or `data:` ones would run or read in an operator's session.
        if (url.protocol !== 'https:' && url.protocol !== 'http:') {
          throw ValidationError.field(`attachments.${index}.url`, `The attachments.${index}.url field must be a valid URL.`);
        }
        const name = attachment.name ?? (safeDecode(url.pathname.split('/').pop() ?? '') || 'file');
        attachments.push({
          name,
          mimeType: attachment.mime_type ?? 'application/octet-stream',
          size: 0,
          content: null,
          ext: null,
          url: attachment.url,
        });
      }
    }
    const text = typeof body.text === 'string' && body.text.trim() !== '' ? body.text : null;
    const result = await deps.chats.receive({
      sourceId: source.id,
      externalUserId: body.external_user_id,
      userMetadata: body.user_metadata,
      text,
      attachments,
      externalMessageId: body.external_message_id ?? null,
    });
    ctx.status = result.created ? 201 : 200;
    ctx.body = { data: { chat_id: result.chat.id, message: presentMessage(result.message, deps.baseUrl()) } };
  });

  return router;
}
