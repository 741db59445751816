import { contentDisposition } from '../../node/served-files';
import type { AppDeps } from '../deps';
import { authorizeChat } from '../domain/visibility';
import type { Context } from 'koa';
import type { AttachmentRecord } from '../domain/records';
import { currentAuth, type AppState } from './context';
import { NotFoundError } from './errors';

// An attachment's file, for whoever sees its chat; every dialect that links files serves them this way.

const INLINE_TYPES = /^(image\/(png|jpeg|gif|webp|bmp|avif)|application\/pdf|text\/plain)$/;

/** Whether the caller may have this attachment; throws (a 404) when not. */
export type AttachmentGate = (attachment: AttachmentRecord & { chat_id: number }) => Promise<void>;

/**
 * Answers with the attachment's bytes; a missing attachment, or one the caller may not have (by
 * default: of a chat the signed-in user cannot see), is a 404.
 */
export async function sendAttachment(
  deps: Pick<AppDeps, 'store' | 'files'>,
  ctx: Context & { state: AppState },
  attachmentId: number,
  gate: AttachmentGate = async (attachment) => {
    await authorizeChat(deps.store, currentAuth(ctx).user, attachment.chat_id, 'view');
  },
): Promise<void> {
  const attachment = await deps.store.messages.attachmentWithChat(attachmentId);
  if (!attachment) throw new NotFoundError();
  await gate(attachment);
  // A customer's link is not a file we keep: its URL is in the message already, and redirecting
  // to it would make this route an open redirect that desks follow with the operator's machine.
  if (attachment.storage_path === null) throw new NotFoundError();
  // Opened before the headers go out: a file gone from the store is a 404, not a connection cut mid-stream.
  const file = await deps.files.open(attachment.storage_path);
  if (!file) throw new NotFoundError();
  ctx.set('Content-Type', attachment.mime_type);
  ctx.set('Content-Length', String(attachment.size));
  ctx.set('Content-Disposition', contentDisposition(INLINE_TYPES.test(attachment.mime_type) ? 'inline' : 'attachment', attachment.name));
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Cache-Control', 'private, max-age=31536000, immutable');
  ctx.body = file;
}
