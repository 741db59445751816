// What the store knows of its bridge, without the DOM: the store's slices run wherever a
// `DeskBridge` is given to them (the page, or a test in Node over the real engine).
import type { BridgeClient } from '../../../common/bridge';
import { BridgeError, fromBridgeFailure, isBridgeFailure } from '../../../common/bridge';
import type { ShellEvents } from './global';

export type BridgeKind = 'electron' | 'web';

/** The web desk's socket: connecting, up, or lost (reconnecting). */
export type LinkState = 'connecting' | 'connected' | 'lost';

export interface DeskBridge {
  kind: BridgeKind;
  client: BridgeClient;
  /** Events of the desktop shell (none in a browser). */
  onShell<E extends keyof ShellEvents>(event: E, listener: (payload: ShellEvents[E]) => void): () => void;
}

/** Whatever a bridge rejected with, as a BridgeError (contextBridge turns errors into plain data). */
export function asBridgeError(error: unknown): BridgeError {
  if (error instanceof BridgeError) return error;
  if (isBridgeFailure(error)) return fromBridgeFailure(error);
  return new BridgeError('server', error instanceof Error ? error.message : 'Something went wrong.');
}
