import type { AttachmentView } from '../../common/bridge';
import { isOnOrigin, isSafeExternalUrl, linkHost } from '../../node/external-links';

// A customer's channel may send a link instead of a file (`attachments: [{url}]` in the webhook). The
// server hands such a link on as the attachment's `url`; a file it keeps has a `url` on its own origin.
// The desk downloads only the latter: fetching a customer-chosen URL from the operator's machine
// would let any customer make it request addresses only that machine reaches (an intranet admin
// page, a router, 127.0.0.1). Links are shown as links; the operator opens them on purpose.

/** A file the server keeps (download it, cache it): its URL is on the signed-in server's origin. Pending uploads (no URL yet) are ours too. */
export function isServerFile(url: string | null, serverUrl: string): boolean {
  return url === null || isOnOrigin(url, serverUrl);
}

/** What the UI gets for a link attachment; undefined for a file the server keeps. */
export function attachmentLink(url: string | null, serverUrl: string): AttachmentView['link'] {
  if (url === null || isServerFile(url, serverUrl)) return undefined;
  return { url: isSafeExternalUrl(url) ? url : null, host: linkHost(url) };
}
