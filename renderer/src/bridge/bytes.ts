// JSON carries no bytes: a file's bytes cross the web desk's WebSocket as `{"$bytes": base64}`
// (main/web/ws-port.ts decodes them).

const CHUNK = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + CHUNK));
  }
  return btoa(binary);
}

/** A JSON.stringify replacer that encodes Uint8Array values. */
export function bytesReplacer(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? { $bytes: bytesToBase64(value) } : value;
}
