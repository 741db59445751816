// `BridgeClient` over a MessagePort to the engine. The port may arrive after the page asks for
// things (the engine starts in parallel) and may be replaced when the engine restarts, so requests
// wait for a port, and requests in flight on a lost port fail instead of hanging forever.
import type { Args, BridgeClient, EventName, EventPayload, RequestName, Result } from './bridge';
import { BridgeError, fromBridgeFailure } from './bridge';
import type { PortEndpoint, PortRequest } from './bridge-port';
import { parseHostMessage } from './bridge-port';

interface Pending {
  resolve(result: unknown): void;
  reject(error: BridgeError): void;
}

export interface PortBridgeClient {
  client: BridgeClient;
  /** Uses this port from now on (the first, or a new one after the engine restarted). */
  attach(port: PortEndpoint): void;
  /** Delivers an event that did not come from the engine (e.g. from the shell) to the page's listeners. */
  emit(event: string, payload: unknown): void;
}

/** `reportError` hears about listeners that threw (common/ has no console of its own). */
export function createPortBridgeClient(reportError: (message: string, error: unknown) => void): PortBridgeClient {
  let port: PortEndpoint | null = null;
  let nextId = 1;
  const waiting: PortRequest[] = [];
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  function deliver(event: string, payload: unknown): void {
    for (const listener of [...(listeners.get(event) ?? [])]) {
      try {
        listener(payload);
      } catch (error) {
        // One broken listener must not keep the event from the others.
        reportError(`bridge listener for ${event} failed`, error);
      }
    }
  }

  function failInFlight(): void {
    for (const [id, request] of pending) {
      if (waiting.some((queued) => queued.id === id)) continue;
      pending.delete(id);
      request.reject(new BridgeError('server', 'The desk engine stopped while handling this request; try again.'));
    }
  }

  function attach(next: PortEndpoint): void {
    if (port) {
      failInFlight();
      port.close();
    }
    port = next;
    const current = next;
    current.onMessage((data) => {
      const message = parseHostMessage(data);
      if (!message) return;
      if (message.type === 'event') {
        deliver(message.event, message.payload);
        return;
      }
      const request = pending.get(message.id);
      if (!request) return;
      pending.delete(message.id);
      if (message.ok) request.resolve(message.result);
      else request.reject(fromBridgeFailure(message.error));
    });
    current.onClose(() => {
      if (port !== current) return;
      port = null;
      failInFlight();
    });
    for (const request of waiting.splice(0)) current.post(request);
  }

  const client: BridgeClient = {
    invoke<K extends RequestName>(name: K, args: Args<K>): Promise<Result<K>> {
      const id = nextId++;
      const request: PortRequest = { type: 'request', id, name, args };
      return new Promise<Result<K>>((resolve, reject) => {
        // The engine implements the contract; the reply's shape is its promise for `name`.
        pending.set(id, { resolve: (result) => resolve(result as Result<K>), reject });
        if (port) port.post(request);
        else waiting.push(request);
      });
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      // Payloads of `event` are EventPayload<E> by the contract the engine implements.
      const wrapped = (payload: unknown) => listener(payload as EventPayload<E>);
      set.add(wrapped);
      return () => {
        set.delete(wrapped);
      };
    },
  };

  return { client, attach, emit: deliver };
}
