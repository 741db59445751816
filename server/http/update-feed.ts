// The desk's update feed: the files electron-builder writes (latest.yml, latest-mac.yml,
// latest-linux.yml, installers, .blockmap) served read-only from `config.updatesDir` at /updates/,
// as electron-updater's `generic` provider expects. No listing, nothing outside the folder
// (names are checked segment by segment, symlinks resolved), GET and HEAD only.
import type { Middleware } from 'koa';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import type { AppState } from '../http/context';
import { HttpError, MethodNotAllowedError, NotFoundError } from '../http/errors';

export const UPDATES_PREFIX = '/updates/';

/** A segment of a feed path: letters, digits and `._ +-()`, never starting with a dot (no `..`, no hidden files). */
const SAFE_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_ .+()-]{0,254}$/;

/** The relative path a request names inside the feed, or null when it is not a plain file name. */
export function feedRelativePath(requestPath: string): string[] | null {
  if (!requestPath.startsWith(UPDATES_PREFIX)) return null;
  const raw = requestPath.slice(UPDATES_PREFIX.length);
  if (raw === '') return null;
  const segments: string[] = [];
  for (const encoded of raw.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(encoded);
    } catch {
      return null;
    }
    if (!SAFE_SEGMENT.test(segment)) return null;
    segments.push(segment);
  }
  return segments;
}

function contentType(file: string): string {
  switch (extname(file).toLowerCase()) {
    case '.yml':
    case '.yaml':
      return 'text/yaml; charset=utf-8';
    case '.json':
      return 'application/json';
    default:
      return 'application/octet-stream';
  }
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` (one range; electron-updater falls back to a full download otherwise). */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return null;
  let start: number;
  let end: number;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(first);
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

async function resolveFile(root: string, segments: string[]): Promise<{ path: string; size: number; mtime: Date } | null> {
  try {
    const realRoot = await realpath(root);
    const real = await realpath(join(realRoot, ...segments));
    if (!real.startsWith(realRoot + sep)) return null;
    const info = await stat(real);
    return info.isFile() ? { path: real, size: info.size, mtime: info.mtime } : null;
  } catch {
    return null;
  }
}

export function updateFeed(updatesDir: string): Middleware<AppState> {
  return async (ctx, next) => {
    if (ctx.path !== UPDATES_PREFIX.slice(0, -1) && !ctx.path.startsWith(UPDATES_PREFIX)) return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') throw new MethodNotAllowedError();
    const segments = feedRelativePath(ctx.path);
    const file = segments ? await resolveFile(updatesDir, segments) : null;
    if (!file) throw new NotFoundError();
    const range = parseRange(ctx.get('Range') || undefined, file.size);
    if (range === 'unsatisfiable') {
      // In the API's error format (and so not cached as the file would be); `Content-Range` still
      // tells the client the file's size (RFC 9110 §15.5.17).
      throw new HttpError(416, 'BAD_REQUEST', 'The requested range is not satisfiable.', { 'Content-Range': `bytes */${file.size}` });
    }

    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Accept-Ranges', 'bytes');
    ctx.set('Last-Modified', file.mtime.toUTCString());
    // The channel files say which version is current: always revalidate them.
    ctx.set('Cache-Control', /\.ya?ml$/i.test(file.path) ? 'no-cache' : 'public, max-age=3600');
    ctx.type = contentType(file.path);
    const { start, end } = range ?? { start: 0, end: file.size - 1 };
    ctx.status = range ? 206 : 200;
    if (range) ctx.set('Content-Range', `bytes ${start}-${end}/${file.size}`);
    ctx.length = file.size === 0 ? 0 : end - start + 1;
    if (ctx.method === 'HEAD') return;
    ctx.body = file.size === 0 ? Buffer.alloc(0) : createReadStream(file.path, { start, end });
  };
}
