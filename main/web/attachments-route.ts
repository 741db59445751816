// `GET /attachments/{id}`: an attachment of a cached message, as the engine holds it on disk
// (downloaded once, then served offline too). The page shows images from here and links files.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { BridgeHandlers } from '../../common/bridge';
import { BridgeError } from '../../common/bridge';
import { attachmentHeaders } from '../../node/served-files';

const STATUS_OF: Readonly<Record<string, number>> = { not_found: 404, not_signed_in: 401, offline: 503, validation: 400 };

export function attachmentIdOf(path: string): number | null {
  const match = /^\/attachments\/(\d{1,15})$/.exec(path);
  const id = match?.[1] ? Number(match[1]) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

export async function sendAttachment(handlers: BridgeHandlers, attachmentId: number, response: ServerResponse, headOnly: boolean): Promise<void> {
  try {
    const file = await handlers['attachments.open']({ attachmentId });
    const { size } = await stat(file.path);
    response.writeHead(200, {
      ...attachmentHeaders(file.name, file.mimeType),
      'Content-Length': String(size),
      'Cache-Control': 'private, max-age=3600',
    });
    if (headOnly) response.end();
    else createReadStream(file.path).pipe(response);
  } catch (error) {
    const status = error instanceof BridgeError ? (STATUS_OF[error.code] ?? 502) : 500;
    const message = error instanceof BridgeError ? error.message : 'The attachment cannot be opened.';
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(message);
  }
}
