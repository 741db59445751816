// The Electron preload: exposes exactly the bridge contract (common/bridge.ts) as
// `window.switchboard`, backed by a MessagePort to the engine's utility process. No raw
// ipcRenderer, no Node: the page gets `invoke` and `on`, nothing else.
import type { Args, BridgeClient, EventName, EventPayload, RequestName, Result } from '../common/bridge';
import { BridgeError, isEventName, isRequestName, toBridgeFailure } from '../common/bridge';
import { contextBridge, ipcRenderer } from 'electron';
import { IPC, OPEN_CHAT_EVENT } from './ipc-channels';
import { createPortBridgeClient } from '../common/bridge-port-client';
import { domPortEndpoint } from './dom-port';

const bridge = createPortBridgeClient((message, error) => console.error(message, error));

ipcRenderer.on(IPC.bridgePort, (event) => {
  const [port] = event.ports;
  if (port) bridge.attach(domPortEndpoint(port));
});

ipcRenderer.on(IPC.openChat, (_event, chatId: unknown) => {
  if (typeof chatId === 'number' && Number.isSafeInteger(chatId) && chatId > 0) bridge.emit(OPEN_CHAT_EVENT, { chatId });
});

const api: BridgeClient = {
  invoke<K extends RequestName>(name: K, args: Args<K>): Promise<Result<K>> {
    if (!isRequestName(name)) return Promise.reject(new BridgeError('validation', `Unknown request: ${String(name)}`).toFailure());
    // contextBridge keeps only the message of an Error; a plain BridgeFailure crosses whole, and the
    // page rebuilds the error with fromBridgeFailure (as it does for the web desk's bridge).
    return bridge.client.invoke(name, args).catch((error: unknown) => Promise.reject(toBridgeFailure(error)));
  },
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    if (!isEventName(event) && event !== OPEN_CHAT_EVENT) throw new BridgeError('validation', `Unknown event: ${String(event)}`);
    if (typeof listener !== 'function') throw new BridgeError('validation', 'A listener must be a function.');
    return bridge.client.on(event, listener);
  },
};

contextBridge.exposeInMainWorld('switchboard', api);
ipcRenderer.send(IPC.ready);
