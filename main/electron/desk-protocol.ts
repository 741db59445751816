// The renderer's files are served from `app://desk/…` (a privileged standard scheme) rather than
// file://, so the page has a real origin for CSP and navigation checks, and a page can reach only
// the files of the built renderer — never the rest of the disk.
import { servedFilePath } from '../../node/served-files';
import { DESK_HOST, DESK_SCHEME } from './security';

export { attachmentHeaders, contentTypeOf } from '../../node/served-files';

/** The path of an `app://desk/…` URL, or null for any other origin or an unparsable URL. */
function deskPath(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return parsed.protocol === `${DESK_SCHEME}:` && parsed.host === DESK_HOST ? parsed.pathname : null;
}

/** The file under `root` that a desk URL names, or null (other origin, traversal, odd encodings). */
export function deskFilePath(root: string, url: string): string | null {
  const path = deskPath(url);
  return path === null ? null : servedFilePath(root, path);
}

/** `app://desk/attachments/{id}`: an attachment the engine holds on disk (the web desk serves the same path). */
export function deskAttachmentId(url: string): number | null {
  const match = /^\/attachments\/([1-9][0-9]{0,14})$/.exec(deskPath(url) ?? '');
  return match?.[1] ? Number(match[1]) : null;
}
