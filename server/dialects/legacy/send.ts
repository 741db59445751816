import type { z } from 'zod';
import type { AppDeps } from '../../deps';
import type { JsonObject, MessageRecord } from '../../domain/records';
import { detectFileType } from '../../files/file-types';
import { DISALLOWED_FILE_TYPE, discardPendingUpload, keepPendingUpload, receivedName } from '../../files/pending-uploads';
import { currentAuth, socketIdOf, type ApiContext } from '../../http/context';
import { ValidationError } from '../../http/errors';
import { isMultipart, withMultipart, type UploadedFile } from '../../http/multipart';
import { parseBody } from '../../http/validate';
import type { LegacyMessageType } from './presenters';

/** What both legacy sends ask for, whatever their field names. */
export interface LegacySend {
  text: string;
  type: LegacyMessageType | undefined;
  metadata?: JsonObject | null;
}

/**
 * Both legacy sends (`/api/chats/{id}/send`, `/api/messages/chats/{chat}`): a JSON body, or a
 * multipart one with a `file` for `file`/`image` messages, checked from its content as v1's uploads
 * are. A `system` message is the system-message rule's (admins and moderators with the update
 * right), whichever endpoint asks. Nothing is kept of a refused send.
 */
export async function receiveSend<S extends z.ZodType>(
  deps: AppDeps,
  ctx: ApiContext,
  chatId: number,
  schema: S,
  read: (body: z.output<S>) => LegacySend,
): Promise<MessageRecord> {
  const { user } = currentAuth(ctx);
  const socketId = socketIdOf(ctx);
  const send = async (file: UploadedFile | undefined): Promise<MessageRecord> => {
    const input = read(parseBody(ctx, schema));
    if ((input.type === 'file' || input.type === 'image') && !file) throw ValidationError.field('file', `The file field is required when type is ${input.type}.`);
    if (file && (input.type === 'text' || input.type === 'system')) throw ValidationError.field('file', 'The file field is prohibited unless type is in file, image.');
    const payload = input.metadata ? { metadata: input.metadata } : {};
    if (input.type === 'system') return deps.chats.systemMessage(user, chatId, input.text, socketId, payload);
    if (!file) return (await deps.chats.send(user, chatId, { text: input.text }, socketId, payload)).message;
    const type = await detectFileType(file.filepath, receivedName(file));
    if (!type) throw ValidationError.field('file', DISALLOWED_FILE_TYPE);
    if (input.type === 'image' && !type.mime.startsWith('image/')) throw ValidationError.field('file', 'The file field must be an image.');
    const upload = await keepPendingUpload(deps, user.id, file, type);
    try {
      return (await deps.chats.send(user, chatId, { text: input.text, attachments: [upload.path] }, socketId, payload)).message;
    } catch (error) {
      await discardPendingUpload(deps, upload);
      throw error;
    }
  };
  return isMultipart(ctx) ? withMultipart(ctx, deps.files.incomingDir(), deps.config.uploadMaxBytes, send) : send(undefined);
}
