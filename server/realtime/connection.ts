import type { WebSocket } from 'ws';

/** One client socket and what the protocol remembers about it. */
export class Connection {
  /** Channels this socket has joined. */
  readonly channels = new Set<string>();
  /** Last time anything arrived from the client (frame, WS ping or pong), in ms. */
  lastSeen: number;
  /** When the server pinged a silent connection and is waiting for a sign of life; null when not waiting. */
  pingedAt: number | null = null;
  private eventWindowStart = 0;
  private eventsInWindow = 0;
  private closing = false;

  constructor(
    readonly socketId: string,
    private readonly ws: WebSocket,
    now: number,
  ) {
    this.lastSeen = now;
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
