/**
 * The paths the legacy dialect answers (`/api/chats…`, `/api/messages…`, its `/api/auth/*` and the
 * files it links). v1 lives under `/api/v1`, so the two never share a path; everything here, even a
 * 404 or 405, answers in the legacy format.
 */
const LEGACY_PATH = /^\/api\/(auth|chats|messages|attachments)(\/|$)/;

export function isLegacyPath(path: string): boolean {
  return LEGACY_PATH.test(path);
}
