// Entry of the engine's utility process (Electron `utilityProcess.fork`): the sync engine with its
// SQLite cache runs here, off the main process. Pages and the shell reach it over MessagePorts the
// main process hands over; the token's store is answered by the main process (safeStorage).
import { hostname } from 'node:os';
import { consoleEngineLogger, createEngine } from '../engine';
import { createBridgeHost } from '../engine/bridge-host';
import { electronPortEndpoint } from './electron-port';
import { parseHostArgs } from './host-args';
import { parseMainToHost, remoteSecretStore, type HostToMain } from './host-channel';
import { useNativeBinding } from './sqlite-binding';

const parentPort = process.parentPort;
const post = (message: HostToMain) => parentPort.postMessage(message);

const args = parseHostArgs(process.argv);
if (!args) {
  post({ type: 'fatal', message: 'engine-host needs --data-dir' });
  process.exit(2);
}
if (args.sqliteBinding) useNativeBinding(args.sqliteBinding);

const secrets = remoteSecretStore(post);
const engine = createEngine({
  dataDir: args.dataDir,
  secretStore: secrets.store,
  deviceName: `Switchboard desk (${hostname()})`,
  logger: consoleEngineLogger('[switchboard engine]'),
});
const host = createBridgeHost({ openWindow: () => engine.openWindow(), subscribe: (listener) => engine.onAny(listener) });

parentPort.on('message', (event) => {
  const message = parseMainToHost(event.data);
  if (!message) return;
  switch (message.type) {
    case 'connect': {
      const [port] = event.ports;
      if (port) host.connect(electronPortEndpoint(port), message.role);
      return;
    }
    case 'secret-reply':
      secrets.receive(message);
      return;
    case 'shutdown':
      host.close();
      void engine.close().finally(() => {
        post({ type: 'stopped' });
        process.exit(0);
      });
      return;
    default: {
      const unreachable: never = message;
      return unreachable;
    }
  }
});

post({ type: 'ready' });
