import { fromBridgeFailure, toBridgeFailure, type BridgeClient } from '../../common/bridge';
import { callHandler } from './bridge-host';
import type { Engine } from './engine';

/**
 * The bridge in one process: what main/web and the Electron utility process wrap around the engine
 * (and what tests drive). Errors cross as `BridgeFailure` data, as they would over IPC.
 */
export function createLocalClient(engine: Engine): BridgeClient {
  return {
    async invoke(name, args) {
      try {
        // Checked as the bridge host checks them: a caller's wrong shape is a validation error here too.
        return await callHandler(engine.handlers, name, args);
      } catch (error) {
        throw fromBridgeFailure(toBridgeFailure(error));
      }
    },
    on(event, listener) {
      return engine.on(event, listener);
    },
  };
}
