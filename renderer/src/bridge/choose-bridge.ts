// The renderer cannot tell its bridges apart, and does not need to: Electron's preload puts one at
// `window.switchboard`; in a browser, the web desk serves one over a WebSocket.
import type { Args, BridgeClient, EventName, EventPayload, RequestName, Result } from '../../../common/bridge';
import { asBridgeError, type DeskBridge, type LinkState } from './desk-bridge';
import { bridgeSocketUrl, connectWebSocketBridge } from './websocket-bridge';

function normalised(client: BridgeClient): BridgeClient {
  return {
    invoke<K extends RequestName>(name: K, args: Args<K>): Promise<Result<K>> {
      return client.invoke(name, args).catch((error: unknown) => Promise.reject(asBridgeError(error)));
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      return client.on(event, listener);
    },
  };
}

export function chooseBridge(onLink: (state: LinkState) => void): DeskBridge {
  const preload = window.switchboard;
  if (preload) {
    onLink('connected');
    return { kind: 'electron', client: normalised(preload), onShell: (event, listener) => preload.on(event, listener) };
  }
  return { kind: 'web', client: normalised(connectWebSocketBridge(bridgeSocketUrl(window.location), onLink)), onShell: () => () => undefined };
}
