// The bridge's PortEndpoint (common/bridge-port.ts) over one WebSocket: each message is a JSON
// text frame. JSON has no bytes, so the page sends a file's bytes (`uploads.add`) as
// `{"$bytes": "<base64>"}`, turned back into a Buffer (a Uint8Array) here.
import type { WebSocket } from 'ws';
import type { HostMessage, PortEndpoint, PortRequest } from '../../common/bridge-port';

function isEncodedBytes(value: unknown): value is { $bytes: string } {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 1 && '$bytes' in value && typeof value.$bytes === 'string';
}

/** JSON.parse, with `{"$bytes": base64}` objects decoded to bytes. Malformed JSON is null (and dropped). */
export function decodeBridgeFrame(text: string): unknown {
  try {
    return JSON.parse(text, (_key, value: unknown) => (isEncodedBytes(value) ? Buffer.from(value.$bytes, 'base64') : value));
  } catch {
    return null;
  }
}

export function websocketPort(socket: WebSocket): PortEndpoint {
  const listeners: ((data: unknown) => void)[] = [];
  // Decoded once for every listener: a frame may carry a whole file.
  socket.on('message', (data, isBinary) => {
    // Only text frames carry the protocol; a binary frame is not ours.
    if (isBinary) return;
    const decoded = decodeBridgeFrame(data.toString());
    for (const listener of listeners) listener(decoded);
  });
  return {
    post(message: PortRequest | HostMessage) {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    },
    onMessage(listener) {
      listeners.push(listener);
    },
    onClose(listener) {
      socket.on('close', () => listener());
    },
    close() {
      socket.close(1001, 'desk closing');
    },
  };
}
