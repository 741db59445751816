import type { WebSocket } from 'ws';
import { ConnectionGrants } from './grants';

/** One client socket and what the protocol remembers about it. */
export class Connection {
  /** Channels this socket has joined. */
  readonly channels = new Set<string>();
  /** Who authorised its private and presence channels. */
  readonly grants: ConnectionGrants;
  /** Last time anything arrived from the client (frame, WS ping or pong), in ms. */
  lastSeen: number;
  /** Since when it has held no channel (from connecting, or since its last one ended); null while it holds one. */
  unsubscribedSince: number | null;
  /** When the server pinged a silent connection and is waiting for a sign of life; null when not waiting. */
  pingedAt: number | null = null;
  private eventWindowStart = 0;
  private eventsInWindow = 0;
  private closing = false;

  constructor(
    readonly socketId: string,
    /** The client's address, for the per-address connection limit. */
    readonly address: string,
    private readonly ws: WebSocket,
    now: number,
    unusedGrantLimit: number,
  ) {
    this.lastSeen = now;
    this.unsubscribedSince = now;
    this.grants = new ConnectionGrants(unusedGrantLimit);
  }

  get isOpen(): boolean {
    return !this.closing && this.ws.readyState === this.ws.OPEN;
  }

  /** Bytes written but not yet flushed to the network. */
  get bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  touch(now: number): void {
    this.lastSeen = now;
    this.pingedAt = null;
  }

  send(frame: string | Buffer): void {
    if (!this.isOpen) return;
    // A Buffer built once per broadcast is sent as a text frame to every subscriber without re-encoding.
    this.ws.send(frame, { binary: false });
  }

  ping(): void {
    if (this.isOpen) this.ws.ping();
  }

  /** Counts one client event; false when it is over `perSecond` in the current second. */
  allowClientEvent(now: number, perSecond: number): boolean {
    if (now - this.eventWindowStart >= 1000) {
      this.eventWindowStart = now;
      this.eventsInWindow = 0;
    }
    this.eventsInWindow++;
    return this.eventsInWindow <= perSecond;
  }

  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.ws.close(code, reason);
  }

  /** Drops the TCP connection without a closing handshake (a peer that no longer answers). */
  terminate(): void {
    this.closing = true;
    this.ws.terminate();
  }

  /** Resolves once the socket is fully closed. */
  whenClosed(): Promise<void> {
    if (this.ws.readyState === this.ws.CLOSED) return Promise.resolve();
    return new Promise((resolve) => this.ws.once('close', () => resolve()));
  }
}
