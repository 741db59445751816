import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { BODY_BUDGET, encodePairs, PNG, type Renderer } from './render-values';
import type { Field } from './routes';
import type { BodySpec, HeaderMutation, PartContent } from './specs';

// Bodies (JSON, form, multipart, junk) and header mutations as bytes and header lines.

const BOUNDARY = 'FuzzBoundary7MA4YWxkTrZu0gW';

function partBytes(content: PartContent): Buffer {
  switch (content) {
    case 'png':
      return PNG;
    case 'pdf':
      return Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    case 'text':
      return Buffer.from('hello, operator\n');
    case 'svg':
      return Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
    case 'html':
      return Buffer.from('<!doctype html><script>alert(1)</script>');
    case 'exe':
      return Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510)]);
    case 'empty':
      return Buffer.alloc(0);
    case 'random':
      return Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 131 + 17) % 256));
    case 'big':
      return Buffer.concat([PNG, Buffer.alloc(3 * 1024 * 1024)]);
    default: {
      const unreachable: never = content;
      throw new Error(`unknown part content ${String(unreachable)}`);
    }
  }
}

export interface Body {
  bytes?: Buffer;
  contentType?: string;
}

export function renderBody(r: Renderer, body: BodySpec, fields: Record<string, Field> | undefined): Body {
  switch (body.t) {
    case 'none':
      return {};
    case 'value': {
      const asObject: Field | undefined = fields ? { type: { kind: 'object', fields } } : undefined;
      if (body.encoding === 'json') return { bytes: Buffer.from(r.json(body.value, asObject)), contentType: 'application/json' };
      r.scalarBudget = BODY_BUDGET;
      const pairs = body.value.t === 'obj' ? body.value.entries.flatMap(([k, v]) => r.pairs(k, v, fields?.[k])) : [];
      const text = body.value.t === 'obj' ? encodePairs(pairs) : r.scalar(body.value);
      return { bytes: Buffer.from(text), contentType: 'application/x-www-form-urlencoded' };
    }
    case 'text':
      return { bytes: Buffer.from(body.text), contentType: 'application/json' };
    case 'multipart': {
      const chunks: Buffer[] = [];
      for (const part of body.parts) {
        const disposition = `form-data; name="${part.name}"${part.filename === null ? '' : `; filename="${part.filename}"`}`;
        const type = part.contentType === null ? '' : `Content-Type: ${part.contentType}\r\n`;
        chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), partBytes(part.content), Buffer.from('\r\n'));
      }
      if (body.boundary !== 'truncated') chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
      const contentType =
        body.boundary === 'missing' ? 'multipart/form-data' : body.boundary === 'mismatch' ? 'multipart/form-data; boundary=SomethingElse' : `multipart/form-data; boundary=${BOUNDARY}`;
      return { bytes: Buffer.concat(chunks), contentType };
    }
    default: {
      const unreachable: never = body;
      throw new Error(`unknown body ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Header values Node's client accepts: Latin-1 without control characters. */
function headerSafe(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) continue;
    out += code > 0xff ? '?' : char;
  }
  return out;
}

export function applyHeaders(headers: [string, string][], mutations: HeaderMutation[], body: Body): { headers: [string, string][]; body: Body } {
  let out = headers;
  let bytes = body.bytes;
  const set = (name: string, value: string) => {
    out = [...out.filter(([n]) => n.toLowerCase() !== name.toLowerCase()), [name, value]];
  };
  for (const m of mutations) {
    switch (m.h) {
      case 'content-type':
        set('Content-Type', m.value);
        break;
      case 'no-content-type':
        out = out.filter(([n]) => n.toLowerCase() !== 'content-type');
        break;
      case 'socket-id':
        set('X-Socket-ID', m.value);
        break;
      case 'host':
        set('Host', m.value);
        break;
      case 'accept':
        set('Accept', m.value);
        break;
      case 'huge':
        out = [...out, ['X-Fuzz-Padding', 'a'.repeat(m.size)]];
        break;
      case 'many':
        out = [...out, ...Array.from({ length: m.count }, (_, i): [string, string] => [`X-Fuzz-${i}`, String(i)])];
        break;
      case 'content-encoding':
        set('Content-Encoding', m.value);
        if (m.compress && bytes) {
          if (m.value === 'gzip') bytes = gzipSync(bytes);
          else if (m.value === 'deflate') bytes = deflateSync(bytes);
          else if (m.value === 'br') bytes = brotliCompressSync(bytes);
        }
        break;
      case 'range':
        set('Range', m.value);
        break;
      case 'expect':
        set('Expect', m.value);
        break;
      case 'other':
        out = [...out, [m.name, m.value]];
        break;
      default: {
        const unreachable: never = m;
        throw new Error(`unknown header mutation ${JSON.stringify(unreachable)}`);
      }
    }
  }
  return { headers: out.map(([n, v]) => [n, headerSafe(v)]), body: { ...body, bytes } };
}
