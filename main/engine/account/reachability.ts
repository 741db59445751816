import type { NetworkError } from '../api/errors';
import { backoffDelay } from '../backoff';
import { connectionState, INITIAL_FACTS, sameConnectionState, type ConnectionFacts } from '../connection-state';
import type { AccountHost } from './host';

/**
 * Whether the server answers, and the connection facts the indicator is derived from. While the
 * server is unreachable it is probed (`GET /config`) with backoff; any answer anywhere ends the outage.
 */
export class ReachabilityTracker {
  private facts: ConnectionFacts = { ...INITIAL_FACTS, signedIn: true };
  private lastState = connectionState(this.facts);
  private probeTimer: NodeJS.Timeout | null = null;
  private probeAttempt = 0;
  private readonly reachableListeners = new Set<(wasUnreachable: boolean) => void>();
  private readonly unreachableListeners = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly host: AccountHost,
    /** Asks the server something cheap; its answer (or failure) reaches `markReachable`/`markUnreachable` through the API client. */
    private readonly probe: () => Promise<unknown>,
  ) {}

  get reachability() {
    return this.facts.reachability;
  }

  connection() {
    return this.lastState;
  }

  setFacts(patch: Partial<ConnectionFacts>): void {
    this.facts = { ...this.facts, ...patch };
    const next = connectionState(this.facts);
    if (sameConnectionState(next, this.lastState)) return;
    this.lastState = next;
    if (!this.closed) this.host.emitter.emit('connection', next);
  }

  onReachable(listener: (wasUnreachable: boolean) => void): () => void {
    this.reachableListeners.add(listener);
    return () => this.reachableListeners.delete(listener);
  }

  onUnreachable(listener: () => void): () => void {
    this.unreachableListeners.add(listener);
    return () => this.unreachableListeners.delete(listener);
  }

  markReachable(): void {
    if (this.closed || this.facts.reachability === 'reachable') return;
    const wasUnreachable = this.facts.reachability === 'unreachable';
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    this.probeAttempt = 0;
    this.setFacts({ reachability: 'reachable', offlineSince: null, offlineReason: null, nextProbeAt: null });
    if (wasUnreachable) this.host.logger.info('the server is reachable again');
    for (const listener of this.reachableListeners) listener(wasUnreachable);
  }

  /** Returns true when this failure started the outage. */
  markUnreachable(error: NetworkError): boolean {
    if (this.closed) return false;
    const first = this.facts.reachability !== 'unreachable';
    if (first) {
      this.host.logger.warn(error.message);
      this.setFacts({ reachability: 'unreachable', offlineSince: this.host.now(), offlineReason: error.message, sync: null });
      for (const listener of this.unreachableListeners) listener();
    }
    if (!this.probeTimer) this.scheduleProbe();
    return first;
  }

  private scheduleProbe(): void {
    if (this.closed) return;
    this.probeAttempt++;
    const delay = backoffDelay(this.host.timing.probe, this.probeAttempt, () => this.host.random());
    this.setFacts({ nextProbeAt: this.host.now() + delay });
    this.probeTimer = setTimeout(() => {
      this.probeTimer = null;
      if (this.closed || this.facts.reachability !== 'unreachable') return;
      this.probe().then(
        () => undefined,
        () => {
          if (!this.probeTimer && this.facts.reachability === 'unreachable') this.scheduleProbe();
        },
      );
    }, delay);
    this.probeTimer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
  }
}
