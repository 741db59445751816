// What both desk hosts (Electron's `app://desk` protocol and the web desk's HTTP server) and the
// server need to hand files out safely: a URL path mapped only to files inside one folder, a
// content type from the extension, and the headers that keep a customer's file from running.
import { extname, resolve, sep } from 'node:path';

/**
 * The file under `root` that an encoded URL path names (`/` is `index.html`), or null for
 * traversal, NUL bytes, backslashes and undecodable escapes.
 */
export function servedFilePath(root: string, encodedPath: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(encodedPath);
  } catch {
    return null;
  }
  // URL parsing may already have removed `..` segments; what is left must still not smuggle any in.
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

/** The content type of one of our own files (the built UI), from its extension. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** `Content-Disposition` with an ASCII fallback name and the exact UTF-8 one (RFC 6266 / 5987). */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

const INLINE_IMAGES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp']);

/**
 * Headers for a customer's attachment served by a desk: raster images show inline; anything else
 * (a customer could send HTML or SVG) is an opaque download, and a sandboxing CSP keeps even a
 * mislabelled file from running as part of the desk.
 */
export function attachmentHeaders(name: string, mimeType: string): Record<string, string> {
  const inline = INLINE_IMAGES.has(mimeType);
  return {
    'Content-Type': inline ? mimeType : 'application/octet-stream',
    'Content-Disposition': contentDisposition(inline ? 'inline' : 'attachment', name),
    'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    'X-Content-Type-Options': 'nosniff',
  };
}
