// The soak's desk: the real sync engine in a process of its own (so it can be SIGKILLed), serving
// the real bridge contract (main/engine/bridge-host.ts) over the Node IPC channel to the soak, the
// way the Electron utility process serves it over a MessagePort.
//
//   node --import tsx scripts/soak/desk-process.ts <dataDir>   (started by scripts/soak/desk-child.ts)
//
// A data dir with a remembered session restores it (from the cache, offline too); a new one waits
// for `session.login` over the bridge.
import { consoleEngineLogger, createEngine } from '../../main/engine';
import { createBridgeHost } from '../../main/engine/bridge-host';
import type { PortEndpoint } from '../../common/bridge-port';

const [dataDir] = process.argv.slice(2);
if (!dataDir || !process.send) throw new Error('usage: node --import tsx scripts/soak/desk-process.ts <dataDir> (as a child with an IPC channel)');

const engine = createEngine({
  dataDir,
  deviceName: 'Switchboard soak',
  logger: consoleEngineLogger(),
  // Short delays, so a cycle does not wait out production backoffs; the logic is the same.
  timing: { retry: { baseMs: 50, capMs: 500 }, probe: { baseMs: 50, capMs: 300 }, pollIntervalMs: 1000, requestTimeoutMs: 5000, reconnect: { baseMs: 100, capMs: 500 } },
});

const parent: PortEndpoint = {
  post: (message) => {
    process.send?.(message);
  },
  onMessage: (listener) => process.on('message', listener),
  onClose: (listener) => process.on('disconnect', listener),
  close: () => process.disconnect(),
};

const host = createBridgeHost({ openWindow: () => engine.openWindow(), subscribe: (listener) => engine.onAny(listener) });
host.connect(parent, 'renderer');
// Beside the bridge, one question of the soak's own: has the engine finished what it started by
// itself? (Asking over the bridge would start work: opening a chat refreshes it.)
process.on('message', (data: unknown) => {
  if (typeof data === 'object' && data !== null && 'soakQuiet' in data && typeof data.soakQuiet === 'number') {
    const since = 'since' in data && typeof data.since === 'number' ? data.since : undefined;
    process.send?.({ soakQuietReply: data.soakQuiet, quiet: engine.quiet(since) });
  }
});
process.on('disconnect', () => {
  host.close();
  void engine.close().finally(() => process.exit(0));
});
