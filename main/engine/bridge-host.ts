// The engine's side of the MessagePort bridge, run in the utility process: answers each request
// with the engine's handler and pushes every engine event to each connected port. Plain Node (no
// Electron import), so it is tested in Node over worker_threads' MessageChannel with a real engine.
import type { Args, BridgeHandlers, BridgeListener, RequestName } from '../../common/bridge';
import { toBridgeFailure } from '../../common/bridge';
import type { HostMessage, PortEndpoint, PortRequest } from '../../common/bridge-port';
import { parseRequest } from '../../common/bridge-port';

export interface BridgeEngine {
  handlers: BridgeHandlers;
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

async function answer(handlers: BridgeHandlers, port: PortEndpoint, request: PortRequest): Promise<void> {
  try {
    const handler = handlers[request.name] as (args: Args<RequestName>) => Promise<unknown>;
    // The engine's handlers validate their own arguments: the page is not trusted to send the right shape.
    const result = await handler(request.args as Args<RequestName>);
    send(port, { type: 'reply', id: request.id, ok: true, result });
  } catch (error) {
    send(port, { type: 'reply', id: request.id, ok: false, error: toBridgeFailure(error) });
  }
}

export function createBridgeHost(engine: BridgeEngine): BridgeHost {
  const ports = new Map<PortEndpoint, PortRole>();

  const unsubscribe = engine.subscribe((event, payload) => {
    for (const [port, role] of ports) {
      if (role === 'renderer' && event === 'notification') continue;
      send(port, { type: 'event', event, payload });
    }
  });

  return {
    connect(port, role) {
      ports.set(port, role);
      port.onMessage((data) => {
        const request = parseRequest(data);
        if (!request) {
          const id = typeof data === 'object' && data !== null && 'id' in data && typeof data.id === 'number' ? data.id : null;
          if (id !== null && Number.isSafeInteger(id) && id > 0) {
            send(port, { type: 'reply', id, ok: false, error: { code: 'validation', message: 'Unknown or malformed bridge request.' } });
          }
          return;
        }
        void answer(engine.handlers, port, request);
      });
      port.onClose(() => ports.delete(port));
    },
    connections: () => ports.size,
    close() {
      unsubscribe();
      for (const port of ports.keys()) port.close();
      ports.clear();
    },
  };
}
