// Links that lead off the desk: which ones the OS browser may open, and which URLs are on the
// server the desk signed in to. One place for both, used by the engine (what it downloads, what it
// offers as a link) and by the Electron shell (what `shell.openExternal` gets).

/** Longer than this is no link a person clicks; it is refused rather than handed to the OS. */
export const EXTERNAL_URL_MAX_LENGTH = 8192;

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Links the OS browser may open: http(s) with a host and no credentials; nothing else (no file:, javascript:, custom schemes). */
export function isSafeExternalUrl(url: string): boolean {
  if (url.length > EXTERNAL_URL_MAX_LENGTH) return false;
  const parsed = parseUrl(url);
  if (parsed === null) return false;
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  return parsed.hostname !== '' && parsed.username === '' && parsed.password === '';
}

/**
 * True when `url` is on the origin of `serverUrl` (scheme, host and port compared after parsing, so
 * `HTTP://Host:80/` and `http://host/` agree, and `http://host.evil/` or another port does not).
 * A URL that does not parse is on no origin.
 */
export function isOnOrigin(url: string, serverUrl: string): boolean {
  const parsed = parseUrl(url);
  const server = parseUrl(serverUrl);
  if (parsed === null || server === null || parsed.origin === 'null') return false;
  return parsed.origin === server.origin;
}

/** The host to show beside a link (`cdn.example.com:8443`), or the text itself when it is no URL. */
export function linkHost(url: string): string {
  return parseUrl(url)?.host || url.slice(0, 200);
}
