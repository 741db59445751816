import type { BridgeClient } from '../../../common/bridge';
import type { DeskBridge } from '../bridge/desk-bridge';

let current: DeskBridge | null = null;

export function setBridge(bridge: DeskBridge): void {
  current = bridge;
}

/** The bridge the store's actions talk through (set once at start, before the first render). */
export function bridge(): BridgeClient {
  if (!current) throw new Error('the bridge is not set up yet');
  return current.client;
}

export function bridgeKind(): DeskBridge['kind'] {
  return current?.kind ?? 'web';
}
