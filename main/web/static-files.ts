// The built renderer (renderer/dist) over HTTP: hashed assets cached for a year, index.html never
// (it names the current assets), and only files inside the folder — never a path outside it.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { contentTypeOf, servedFilePath } from '../../node/served-files';

/** The file under `root` that a URL path names, or null (traversal, odd encodings). */
export function staticFilePath(root: string, urlPath: string): string | null {
  return servedFilePath(root, urlPath.split('?')[0] ?? '/');
}

/** The page, with the desk's settings for the renderer as `<meta>` tags (no inline script: the CSP forbids it). */
export async function renderIndex(root: string, meta: Record<string, string>): Promise<string> {
  const html = await readFile(resolve(root, 'index.html'), 'utf8');
  const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const tags = Object.entries(meta)
    .map(([name, content]) => `<meta name="${escape(name)}" content="${escape(content)}">`)
    .join('');
  return html.replace('</head>', `${tags}</head>`);
}

/** Sends a file of the built renderer; false when there is none at that path. */
export async function sendStatic(root: string, urlPath: string, response: ServerResponse, headOnly: boolean): Promise<boolean> {
  const file = staticFilePath(root, urlPath);
  if (!file) return false;
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) return false;
    size = info.size;
  } catch {
    return false;
  }
  const immutable = urlPath.startsWith('/assets/');
  response.writeHead(200, {
    'Content-Type': contentTypeOf(file),
    'Content-Length': String(size),
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (headOnly) response.end();
  else createReadStream(file).pipe(response);
  return true;
}
