import type { ConnectionState } from '../../common/bridge';

export type Reachability = 'unknown' | 'reachable' | 'unreachable';

/** What the engine knows; the state shown to the user is derived from it by `connectionState`. */
export interface ConnectionFacts {
  signedIn: boolean;
  reachability: Reachability;
  /** When the server was last found unreachable (start of the outage). */
  offlineSince: number | null;
  offlineReason: string | null;
  nextProbeAt: number | null;
  /** A catch-up in progress: chats brought up to date of those that need it. */
  sync: { done: number; total: number } | null;
}

export const INITIAL_FACTS: ConnectionFacts = {
  signedIn: false,
  reachability: 'unknown',
  offlineSince: null,
  offlineReason: null,
  nextProbeAt: null,
  sync: null,
};

/**
 * The state machine of the connection indicator: signed-out → connecting → syncing n/m → online,
 * and offline whenever the server cannot be reached (even mid-sync: the outage is what matters).
 * Realtime is not part of it: without a socket the engine polls, and the desk is still online.
 */
export function connectionState(facts: ConnectionFacts): ConnectionState {
  if (!facts.signedIn) return { kind: 'signed-out' };
  switch (facts.reachability) {
    case 'unreachable':
      return { kind: 'offline', since: facts.offlineSince ?? 0, reason: facts.offlineReason, nextAttemptAt: facts.nextProbeAt };
    case 'unknown':
      return facts.sync ? { kind: 'syncing', done: facts.sync.done, total: facts.sync.total } : { kind: 'connecting' };
    case 'reachable':
      return facts.sync ? { kind: 'syncing', done: facts.sync.done, total: facts.sync.total } : { kind: 'online' };
    default: {
      const unreachable: never = facts.reachability;
      throw new Error(`unknown reachability ${String(unreachable)}`);
    }
  }
}

export function sameConnectionState(a: ConnectionState, b: ConnectionState): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
