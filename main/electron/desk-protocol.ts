// The renderer's files are served from `app://desk/…` (a privileged standard scheme) rather than
// file://, so the page has a real origin for CSP and navigation checks, and a page can reach only
// the files of the built renderer — never the rest of the disk.
import { extname, resolve, sep } from 'node:path';
import { DESK_HOST, DESK_SCHEME } from './security';

/** The file under `root` that a desk URL names, or null (other origin, traversal, odd encodings). */
export function deskFilePath(root: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${DESK_SCHEME}:` || parsed.host !== DESK_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  // URL parsing already removed `..` segments; what is left must still not smuggle any in.
  if (pathname.includes('\0') || pathname.includes('\\') || pathname.split('/').includes('..')) return null;
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const base = resolve(root);
  const file = resolve(base, relative);
  return file.startsWith(base + sep) ? file : null;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** `app://desk/attachments/{id}`: an attachment the engine holds on disk (the web desk serves the same path). */
export function deskAttachmentId(url: string): number | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${DESK_SCHEME}:` || parsed.host !== DESK_HOST) return null;
  const match = /^\/attachments\/([1-9][0-9]{0,14})$/.exec(parsed.pathname);
  return match?.[1] ? Number(match[1]) : null;
}

const INLINE_IMAGES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp']);

/**
 * Headers for an attachment: images show inline; anything else (a customer could send HTML or SVG)
 * is an opaque download, and a sandboxing CSP keeps even a mislabelled file from running.
 */
export function attachmentHeaders(name: string, mimeType: string): Record<string, string> {
  const inline = INLINE_IMAGES.has(mimeType);
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return {
    'Content-Type': inline ? mimeType : 'application/octet-stream',
    'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    'Content-Security-Policy': "default-src 'none'; img-src 'self'; sandbox",
    'X-Content-Type-Options': 'nosniff',
  };
}
