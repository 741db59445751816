// `switchboard://chat/{id}` links (from a browser, a mail, another app). The text comes from
// outside the app, so the parser accepts exactly one shape and refuses everything else:
// no path normalisation (`chat/1/../x`), no encodings, no queries, ids within safe integers.

export const DEEP_LINK_SCHEME = 'switchboard';

export type DeepLink = { kind: 'chat'; chatId: number };

const MAX_LINK_LENGTH = 256;
// Scheme and host are case-insensitive by RFC 3986; a trailing slash is what some launchers add.
const CHAT_LINK = /^switchboard:\/\/chat\/([1-9][0-9]{0,15})\/?$/i;

export function parseDeepLink(text: unknown): DeepLink | null {
  if (typeof text !== 'string' || text.length > MAX_LINK_LENGTH) return null;
  const match = CHAT_LINK.exec(text.trim());
  if (!match?.[1]) return null;
  const chatId = Number(match[1]);
  if (!Number.isSafeInteger(chatId)) return null;
  return { kind: 'chat', chatId };
}

/**
 * The deep link in a command line (Windows and Linux pass it as an argument of the second
 * instance or of the first start). Only an argument that is wholly a link counts.
 */
export function findDeepLink(argv: readonly string[]): DeepLink | null {
  for (const arg of argv) {
    if (!arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) continue;
    const link = parseDeepLink(arg);
    if (link) return link;
  }
  return null;
}
