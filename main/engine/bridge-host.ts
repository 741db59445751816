// The engine's side of the MessagePort bridge, run in the utility process: answers each request
// with the engine's handler and pushes every engine event to each connected port. Plain Node (no
// Electron import), so it is tested in Node over worker_threads' MessageChannel with a real engine.
// Each port is a window of its own (its open chats, its focus), given up when the port closes.
import type { BridgeHandlers, BridgeListener, Handler, RequestName, Result } from '../../common/bridge';
import { toBridgeFailure } from '../../common/bridge';
import { parseBridgeArgs } from '../../common/bridge-schemas';
import type { HostMessage, PortEndpoint, PortRequest } from '../../common/bridge-port';
import { parseRequest } from '../../common/bridge-port';

/** A connection's handlers, over a window of its own. */
export interface BridgeWindow {
  handlers: BridgeHandlers;
  /** The connection ended. */
  close(): void;
}

export interface BridgeEngine {
  /** A window for a new connection (the engine's `openWindow`). */
  openWindow(): BridgeWindow;
  /** Subscribes to every push event; returns the function that unsubscribes. */
  subscribe(listener: BridgeListener): () => void;
}

/**
 * `renderer`: a window's page. `shell`: the main process (tray, badge, notifications).
 * OS notifications are the shell's job in the desktop app, so pages do not get `notification`
 * events (they would show a second, web notification).
 */
export type PortRole = 'renderer' | 'shell';

export interface BridgeHost {
  connect(port: PortEndpoint, role: PortRole): void;
  /** Ports currently connected. */
  connections(): number;
  close(): void;
}

function send(port: PortEndpoint, message: HostMessage): void {
  try {
    port.post(message);
  } catch {
    // The other side went away between the check and the post; its close handler cleans up.
  }
}

/** Calls the request's handler with its arguments checked: the page is not trusted to send the right shape. */
export async function callHandler<K extends RequestName>(handlers: BridgeHandlers, name: K, args: unknown): Promise<Result<K>> {
  const handler: Handler<K> = handlers[name];
  return handler(parseBridgeArgs(name, args));
}

async function answer(handlers: BridgeHandlers, port: PortEndpoint, request: PortRequest): Promise<void> {
  try {
    const result = await callHandler(handlers, request.name, request.args);
    send(port, { type: 'reply', id: request.id, ok: true, result });
  } catch (error) {
    send(port, { type: 'reply', id: request.id, ok: false, error: toBridgeFailure(error) });
  }
}

export function createBridgeHost(engine: BridgeEngine): BridgeHost {
  const ports = new Map<PortEndpoint, { role: PortRole; window: BridgeWindow }>();

  const unsubscribe = engine.subscribe((event, payload) => {
    for (const [port, { role }] of ports) {
      if (role === 'renderer' && event === 'notification') continue;
      send(port, { type: 'event', event, payload });
    }
  });

  return {
    connect(port, role) {
      const window = engine.openWindow();
      ports.set(port, { role, window });
      port.onMessage((data) => {
        const request = parseRequest(data);
        if (!request) {
          const id = typeof data === 'object' && data !== null && 'id' in data && typeof data.id === 'number' ? data.id : null;
          if (id !== null && Number.isSafeInteger(id) && id > 0) {
            send(port, { type: 'reply', id, ok: false, error: { code: 'validation', message: 'Unknown or malformed bridge request.' } });
          }
          return;
        }
        void answer(window.handlers, port, request);
      });
      port.onClose(() => {
        ports.delete(port);
        window.close();
      });
    },
    connections: () => ports.size,
    close() {
      unsubscribe();
      for (const [port, { window }] of ports) {
        port.close();
        window.close();
      }
      ports.clear();
    },
  };
}
