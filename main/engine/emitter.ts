import type { BridgeEvents, BridgeListener, EventName, EventPayload } from '../../common/bridge';

/** The engine's push events, typed by the bridge contract. A listener that throws never breaks the engine. */
export class EngineEmitter {
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();
  private readonly anyListeners = new Set<BridgeListener>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Every event, for bridges that forward all of them (IPC, WebSocket). */
  onAny(listener: BridgeListener): () => void {
    this.anyListeners.add(listener);
    return () => this.anyListeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: BridgeEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as (payload: BridgeEvents[E]) => void)(payload);
      } catch (error) {
        this.onListenerError(error);
      }
    }
    for (const listener of this.anyListeners) {
      try {
        listener(event, payload);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
