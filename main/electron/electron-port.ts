import type { MessagePortMain } from 'electron';
import type { PortEndpoint } from '../../common/bridge-port';

/** Electron's MessagePortMain (main and utility processes) as a PortEndpoint. */
export function electronPortEndpoint(port: MessagePortMain): PortEndpoint {
  return {
    post: (message) => port.postMessage(message),
    onMessage: (listener) => {
      port.on('message', (event) => listener(event.data));
      port.start();
    },
    onClose: (listener) => port.on('close', listener),
    close: () => port.close(),
  };
}
