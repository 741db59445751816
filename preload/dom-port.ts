import type { PortEndpoint } from '../common/bridge-port';

/** A DOM MessagePort (what the preload receives from the main process) as a PortEndpoint. */
export function domPortEndpoint(port: MessagePort): PortEndpoint {
  return {
    post: (message) => port.postMessage(message),
    onMessage: (listener) => {
      port.addEventListener('message', (event) => listener(event.data));
      port.start();
    },
    onClose: (listener) => port.addEventListener('close', listener),
    close: () => port.close(),
  };
}
