// The messages that carry the bridge contract (common/bridge.ts) over a MessagePort between the
// renderer's preload and the engine's utility process. Plain structured-clone data; each side
// checks the shape of what it receives, because a port is a boundary between processes.
import type { BridgeFailure, EventName, RequestName } from './bridge';
import { isBridgeFailure, isEventName, isRequestName } from './bridge';

export interface PortRequest {
  type: 'request';
  id: number;
  name: RequestName;
  args: unknown;
}

export type PortReply = { type: 'reply'; id: number; ok: true; result: unknown } | { type: 'reply'; id: number; ok: false; error: BridgeFailure };

export interface PortEvent {
  type: 'event';
  event: EventName;
  payload: unknown;
}

export type HostMessage = PortReply | PortEvent;

/** The smallest port the two sides need; Electron's MessagePortMain, the DOM's MessagePort and Node's adapt to it in a few lines. */
export interface PortEndpoint {
  post(message: PortRequest | HostMessage): void;
  /** Called with each message's data. */
  onMessage(listener: (data: unknown) => void): void;
  onClose(listener: () => void): void;
  close(): void;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

export function parseRequest(data: unknown): PortRequest | null {
  if (!isRecord(data) || data.type !== 'request' || !isId(data.id) || !isRequestName(data.name)) return null;
  const args = data.args === undefined ? {} : data.args;
  if (!isRecord(args) || Array.isArray(args)) return null;
  return { type: 'request', id: data.id, name: data.name, args };
}

export function parseHostMessage(data: unknown): HostMessage | null {
  if (!isRecord(data)) return null;
  if (data.type === 'event') {
    return isEventName(data.event) ? { type: 'event', event: data.event, payload: data.payload } : null;
  }
  if (data.type !== 'reply' || !isId(data.id)) return null;
  if (data.ok === true) return { type: 'reply', id: data.id, ok: true, result: data.result };
  if (data.ok === false && isBridgeFailure(data.error)) return { type: 'reply', id: data.id, ok: false, error: data.error };
  return null;
}
