// Messages between the main process and the engine's utility process (over `parentPort`),
// apart from the bridge itself, which has ports of its own. The token's secret store lives in
// the main process because `safeStorage` (OS keychain) exists only there; the engine reaches it
// through `remoteSecretStore`.
import type { SecretStore } from '../engine';
import type { PortRole } from '../engine/bridge-host';

export type SecretOp = 'get' | 'set' | 'delete';

export type MainToHost =
  /** A bridge port is attached to this message (`ports[0]`). */
  | { type: 'connect'; role: PortRole }
  | { type: 'secret-reply'; id: number; ok: true; value: string | null }
  | { type: 'secret-reply'; id: number; ok: false; error: string }
  | { type: 'shutdown' };

export type HostToMain =
  | { type: 'ready' }
  | { type: 'secret'; id: number; op: SecretOp; account: string; secret?: string }
  | { type: 'stopped' }
  | { type: 'fatal'; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function parseMainToHost(data: unknown): MainToHost | null {
  if (!isRecord(data)) return null;
  switch (data.type) {
    case 'connect':
      return data.role === 'renderer' || data.role === 'shell' ? { type: 'connect', role: data.role } : null;
    case 'secret-reply':
      if (typeof data.id !== 'number') return null;
      if (data.ok === true && (typeof data.value === 'string' || data.value === null)) return { type: 'secret-reply', id: data.id, ok: true, value: data.value };
      if (data.ok === false && typeof data.error === 'string') return { type: 'secret-reply', id: data.id, ok: false, error: data.error };
      return null;
    case 'shutdown':
      return { type: 'shutdown' };
    default:
      return null;
  }
}

export function parseHostToMain(data: unknown): HostToMain | null {
  if (!isRecord(data)) return null;
  switch (data.type) {
    case 'ready':
    case 'stopped':
      return { type: data.type };
    case 'fatal':
      return typeof data.message === 'string' ? { type: 'fatal', message: data.message } : null;
    case 'secret': {
      const { id, op, account, secret } = data;
      if (typeof id !== 'number' || typeof account !== 'string' || (op !== 'get' && op !== 'set' && op !== 'delete')) return null;
      if (op === 'set') return typeof secret === 'string' ? { type: 'secret', id, op, account, secret } : null;
      return { type: 'secret', id, op, account };
    }
    default:
      return null;
  }
}

/** The engine's SecretStore, answered by the main process. */
export function remoteSecretStore(post: (message: HostToMain) => void): { store: SecretStore; receive(reply: Extract<MainToHost, { type: 'secret-reply' }>): void } {
  let nextId = 1;
  const pending = new Map<number, { resolve(value: string | null): void; reject(error: Error): void }>();
  const call = (op: SecretOp, account: string, secret?: string) =>
    new Promise<string | null>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      post(secret === undefined ? { type: 'secret', id, op, account } : { type: 'secret', id, op, account, secret });
    });
  return {
    store: {
      get: (account) => call('get', account),
      set: async (account, secret) => {
        await call('set', account, secret);
      },
      delete: async (account) => {
        await call('delete', account);
      },
    },
    receive(reply) {
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new Error(reply.error));
    },
  };
}

/** The main process's side: runs each secret request against its store and answers. */
export async function answerSecret(store: SecretStore, request: Extract<HostToMain, { type: 'secret' }>): Promise<Extract<MainToHost, { type: 'secret-reply' }>> {
  try {
    switch (request.op) {
      case 'get':
        return { type: 'secret-reply', id: request.id, ok: true, value: await store.get(request.account) };
      case 'set':
        await store.set(request.account, request.secret ?? '');
        return { type: 'secret-reply', id: request.id, ok: true, value: null };
      case 'delete':
        await store.delete(request.account);
        return { type: 'secret-reply', id: request.id, ok: true, value: null };
      default: {
        const unreachable: never = request.op;
        return unreachable;
      }
    }
  } catch (error) {
    // Never echo the secret: only the error's message, which the stores keep free of it.
    return { type: 'secret-reply', id: request.id, ok: false, error: error instanceof Error ? error.message : 'secret store failed' };
  }
}
