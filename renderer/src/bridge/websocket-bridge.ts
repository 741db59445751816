// The bridge in a browser: the web desk (main/web) answers on a WebSocket at /bridge of the page's
// own origin, with the same framing as Electron's MessagePort (common/bridge-port.ts). When the
// socket drops (the desk process restarted), it reconnects with backoff; requests made meanwhile
// wait for the next socket.
import type { BridgeClient } from '../../../common/bridge';
import type { PortEndpoint } from '../../../common/bridge-port';
import { createPortBridgeClient } from '../../../common/bridge-port-client';
import { bytesReplacer } from './bytes';

import type { LinkState } from './desk-bridge';

function socketEndpoint(socket: WebSocket): PortEndpoint {
  return {
    post(message) {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message, bytesReplacer));
    },
    onMessage(listener) {
      socket.addEventListener('message', (event) => {
        if (typeof event.data !== 'string') return;
        let data: unknown;
        try {
          data = JSON.parse(event.data);
        } catch {
          return;
        }
        listener(data);
      });
    },
    onClose(listener) {
      socket.addEventListener('close', () => listener());
    },
    close() {
      socket.close();
    },
  };
}

export function bridgeSocketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/bridge`;
}

export function connectWebSocketBridge(url: string, onLink: (state: LinkState) => void): BridgeClient {
  const bridge = createPortBridgeClient((message, error) => console.error(message, error));
  let attempt = 0;

  const open = () => {
    onLink(attempt === 0 ? 'connecting' : 'lost');
    const socket = new WebSocket(url);
    let opened = false;
    socket.addEventListener('open', () => {
      opened = true;
      attempt = 0;
      bridge.attach(socketEndpoint(socket));
      onLink('connected');
    });
    socket.addEventListener('close', () => {
      if (opened) onLink('lost');
      attempt++;
      const delay = Math.min(10_000, 250 * 2 ** Math.min(attempt, 6)) * (0.75 + Math.random() * 0.5);
      window.setTimeout(open, delay);
    });
  };
  open();
  return bridge.client;
}
