import { WebSocket } from 'ws';
import { DEMO_REALTIME } from '../../server/config';
import type { TestServer } from '../helpers/server';

// A bare WebSocket speaking the Pusher protocol by hand, for what a well-behaved pusher-js never does:
// malformed frames, oversized frames, floods, silence, vanishing without a close.

export interface Frame {
  event: string;
  channel?: string;
  /** Parsed a second time when the server sent it as a JSON string, as pusher-js does. */
  data: unknown;
  user_id?: unknown;
}

export interface Closed {
  code: number;
  reason: string;
}

export class RawPusherClient {
  readonly frames: Frame[] = [];
  socketId = '';
  readonly closed: Promise<Closed>;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('error', () => undefined);
    ws.on('message', (raw) => {
      const text = raw.toString();
      const parsed: Frame = JSON.parse(text);
      if (typeof parsed.data === 'string') {
        try {
          parsed.data = JSON.parse(parsed.data);
        } catch {
          // Not JSON: kept as the string it is.
        }
      }
      this.frames.push(parsed);
      for (const wake of this.waiters) wake();
    });
  }

  /** Opens `/app/{key}` and waits for the handshake (or the refusal, when `expectHandshake` is false). */
  static async connect(
    s: TestServer,
    options: { key?: string; query?: string; autoPong?: boolean; expectHandshake?: boolean; headers?: Record<string, string> } = {},
  ): Promise<RawPusherClient> {
    const port = new URL(s.url).port;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/app/${options.key ?? DEMO_REALTIME.key}?${options.query ?? 'protocol=7&client=raw&version=1'}`, {
      autoPong: options.autoPong ?? true,
      headers: options.headers,
    });
    const client = new RawPusherClient(ws);
    if (options.expectHandshake === false) return client;
    const established = await client.next((f) => f.event === 'pusher:connection_established' || f.event === 'pusher:error', 'the handshake');
    if (established.event !== 'pusher:connection_established') throw new Error(`refused: ${JSON.stringify(established)}`);
    const data = established.data;
    if (typeof data === 'object' && data !== null && 'socket_id' in data && typeof data.socket_id === 'string') client.socketId = data.socket_id;
    return client;
  }

  send(frame: object): void {
    this.ws.send(JSON.stringify(frame));
  }

  sendRaw(payload: string | Buffer): void {
    this.ws.send(payload);
  }

  /** The first frame (already received or still to come) matching `predicate`. */
  next(predicate: (frame: Frame) => boolean, what: string, timeoutMs = 15_000): Promise<Frame> {
    const found = this.frames.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`gave up waiting for ${what}; frames: ${JSON.stringify(this.frames)}`));
      }, timeoutMs);
      const check = () => {
        const frame = this.frames.find(predicate);
        if (!frame) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(frame);
      };
      this.waiters.add(check);
    });
  }

  /** Subscribes and waits for the answer: `pusher_internal:subscription_succeeded` or `pusher:subscription_error`. */
  subscribe(channel: string, auth?: string, channelData?: string): Promise<Frame> {
    this.send({ event: 'pusher:subscribe', data: { channel, auth, channel_data: channelData } });
    return this.next(
      (f) => f.channel === channel && (f.event === 'pusher_internal:subscription_succeeded' || f.event === 'pusher:subscription_error'),
      `the answer to subscribing ${channel}`,
    );
  }

  /** Asks the server's auth endpoint, as pusher-js would, then subscribes. */
  async authorizeAndSubscribe(s: TestServer, token: string, channel: string): Promise<Frame> {
    const res = await s.request<{ auth: string; channel_data?: string }>('POST', '/broadcasting/auth', {
      token,
      body: { socket_id: this.socketId, channel_name: channel },
    });
    if (res.status !== 200) throw new Error(`auth for ${channel} refused: ${res.status}`);
    return this.subscribe(channel, res.body.auth, res.body.channel_data);
  }

  /** The close code once the connection has closed; the timeout only turns a hang into a readable failure. */
  async closeCode(timeoutMs = 15_000): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the connection was never closed; frames: ${JSON.stringify(this.frames)}`)), timeoutMs);
    });
    try {
      return (await Promise.race([this.closed, hang])).code;
    } finally {
      clearTimeout(timer);
    }
  }

  errors(): Frame[] {
    return this.frames.filter((f) => f.event === 'pusher:error');
  }

  close(): void {
    this.ws.close();
  }

  /** Vanishes without a closing handshake, like a laptop lid closing. */
  terminate(): void {
    this.ws.terminate();
  }
}
