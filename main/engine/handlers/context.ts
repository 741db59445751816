import type { DeskEngine } from '../engine';
import type { DeskWindow } from '../windows';

/**
 * What every feature's handlers work over: the engine, and the window (bridge connection) asking.
 * Arguments arrive checked against their schemas (common/bridge-schemas.ts) by whoever lets a
 * request in (the bridge host, the in-process client), so handlers trust their types.
 */
export interface HandlerContext {
  engine: DeskEngine;
  window: DeskWindow;
}
