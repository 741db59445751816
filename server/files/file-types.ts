import { fileTypeFromBuffer, fileTypeFromFile, type FileTypeResult } from 'file-type';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';

/** What a file is, decided from its content; the client's name and type are never trusted. */
export interface DetectedType {
  mime: string;
  ext: string;
}

const ALLOWED = new Map<string, string>([
  ['image/png', 'png'],
  ['image/jpeg', 'jpg'],
  ['image/gif', 'gif'],
  ['image/webp', 'webp'],
  ['image/bmp', 'bmp'],
  ['image/tiff', 'tiff'],
  ['image/heic', 'heic'],
  ['image/avif', 'avif'],
  ['application/pdf', 'pdf'],
  ['application/rtf', 'rtf'],
  ['application/zip', 'zip'],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx'],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
  ['application/vnd.openxmlformats-officedocument.presentationml.presentation', 'pptx'],
  ['application/vnd.oasis.opendocument.text', 'odt'],
  ['application/vnd.oasis.opendocument.spreadsheet', 'ods'],
  ['application/vnd.oasis.opendocument.presentation', 'odp'],
]);

// Legacy Office files are all OLE compound documents; only the name tells them apart.
const COMPOUND_DOCUMENTS = new Map<string, DetectedType>([
  ['.doc', { mime: 'application/msword', ext: 'doc' }],
  ['.xls', { mime: 'application/vnd.ms-excel', ext: 'xls' }],
  ['.ppt', { mime: 'application/vnd.ms-powerpoint', ext: 'ppt' }],
]);

export const ALLOWED_MIME_TYPES: readonly string[] = [
  ...ALLOWED.keys(),
  ...[...COMPOUND_DOCUMENTS.values()].map((t) => t.mime),
  'text/plain',
  'text/csv',
];

function looksLikeText(head: Uint8Array): boolean {
  if (head.includes(0)) return false;
  try {
    // A multi-byte character cut at the end of the sample is not a reason to refuse.
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 4)));
    return true;
  } catch {
    return false;
  }
}

/**
 * HTML, SVG, XML and scripts are text too, but not "text" a desk or browser should ever receive as
 * plain text: rendered or run anywhere without our nosniff header, they are active content.
 * libmagic (Laravel's `mimes` rule) calls them text/html, image/svg+xml, text/x-shellscript — none
 * of which is on the allow-list. Like libmagic, markup is recognised by a leading tag or an active
 * HTML/SVG tag near the start.
 */
function looksLikeMarkupOrScript(head: Uint8Array): boolean {
  const start = new TextDecoder('utf-8').decode(head.subarray(0, 1024)).replace(/^\uFEFF/, '').trimStart();
  return /^(<[a-z!?/]|#!)/i.test(start) || /<(svg|html|script|iframe|object|embed)[\s>/]/i.test(start);
}

function decide(detected: FileTypeResult | undefined, head: Uint8Array, originalName: string): DetectedType | undefined {
  if (detected) {
    const ext = ALLOWED.get(detected.mime);
    if (ext) return { mime: detected.mime, ext };
    if (detected.mime === 'application/x-cfb') return COMPOUND_DOCUMENTS.get(extname(originalName).toLowerCase());
    return undefined;
  }
  if (head.length > 0 && looksLikeText(head) && !looksLikeMarkupOrScript(head)) {
    return extname(originalName).toLowerCase() === '.csv' ? { mime: 'text/csv', ext: 'csv' } : { mime: 'text/plain', ext: 'txt' };
  }
  return undefined;
}

/** The allowed type of these bytes, or undefined when they are not on the allow-list. */
export async function detectBufferType(content: Uint8Array, originalName: string): Promise<DetectedType | undefined> {
  return decide(await fileTypeFromBuffer(content), content.subarray(0, 8192), originalName);
}

/** The allowed type of a file on disk, or undefined when it is not on the allow-list. */
export async function detectFileType(path: string, originalName: string): Promise<DetectedType | undefined> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(8192);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return decide(await fileTypeFromFile(path), head.subarray(0, bytesRead), originalName);
  } finally {
    await handle.close();
  }
}
