import { randomUUID } from 'node:crypto';
import Echo, { type Broadcaster } from 'laravel-echo';
import Pusher from 'pusher-js';
import type { ApiMessage } from '../../common/api';
import { DEMO_REALTIME } from '../../server/config';
import { signHttpApiRequest } from '../../server/realtime/signatures';
import type { ApiResponse, TestServer } from '../helpers/server';
import { signedHeaders } from '../server/support';

// Real clients for the realtime suites: laravel-echo (broadcaster `reverb`) over pusher-js's Node build,
// configured the way a Laravel front end configures them. Nothing here imitates the protocol.

export const DEMO_WEBHOOK_SECRET = 'demo-webhook-secret';
export const ADMIN_ID = 1;
export const MOD_ID = 2;
export const MOD2_ID = 3;
/** A public channel every client joins, to learn when everything sent before a marker has arrived. */
export const BARRIER_CHANNEL = 'test-barrier';

export interface Received {
  channel: string;
  /** As Echo reports it: `NewChatMessage` for `App\Events\NewChatMessage`, `.client-typing` for a whisper. */
  event: string;
  data: unknown;
}

type EchoInstance = Echo<'reverb'>;
type ReverbChannels = Broadcaster['reverb'];

/** One browser tab's worth of Echo: its socket, what it joined and everything it received. */
export class EchoClient {
  readonly received: Received[] = [];
  /** Every `.error()` of its channels, in order: refusals, and subscriptions the server ended. */
  readonly errors: { channel: string; status: unknown }[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly echo: EchoInstance,
    readonly label: string,
  ) {}

  get pusher(): Pusher {
    return this.echo.connector.pusher;
  }

  get socketId(): string {
    return this.echo.socketId() ?? '';
  }

  get state(): string {
    return this.pusher.connection.state;
  }

  record(entry: Received): void {
    this.received.push(entry);
    for (const wake of this.waiters) wake();
  }

  private recordError(channel: string, status: unknown): void {
    this.errors.push({ channel, status });
    for (const wake of this.waiters) wake();
  }

  /** The `.error()` statuses of one channel. */
  errorsOf(channel: string): unknown[] {
    return this.errors.filter((e) => e.channel === channel).map((e) => e.status);
  }

  /** Waits until `predicate` holds; the timeout only turns a hang into a readable failure. */
  until(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const poll = setInterval(check, 50);
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.label}: gave up waiting for ${what}; received ${JSON.stringify(this.received.map((r) => `${r.channel} ${r.event}`))}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        clearInterval(poll);
        this.waiters.delete(check);
      };
      function check() {
        if (!predicate()) return;
        cleanup();
        resolve();
      }
      this.waiters.add(check);
    });
  }

  /** The first received event matching, once it has arrived. */
  async next(channel: string, event: string, match: (data: unknown) => boolean = () => true): Promise<unknown> {
    const find = () => this.received.find((r) => r.channel === channel && r.event === event && match(r.data));
    await this.until(() => find() !== undefined, `${event} on ${channel}`);
    return find()?.data;
  }

  events(channel: string, event?: string): unknown[] {
    return this.received.filter((r) => r.channel === channel && (event === undefined || r.event === event)).map((r) => r.data);
  }

  /** Joins a public channel and records every event on it; resolves when subscribed, rejects on `.error()`. */
  channel(name: string): Promise<ReverbChannels['public']> {
    return this.watch(this.echo.channel(name), name);
  }

  /** `echo.private(name)`: the channel is `private-{name}`. */
  private(name: string): Promise<ReverbChannels['private']> {
    return this.watch(this.echo.private(name), `private-${name}`);
  }

  /** `echo.join(name)`: the channel is `presence-{name}`. */
  presence(name: string): Promise<ReverbChannels['presence']> {
    return this.watch(this.echo.join(name), `presence-${name}`);
  }

  private watch<C extends ReverbChannels['public']>(channel: C, fullName: string): Promise<C> {
    channel.listenToAll((event: string, data: unknown) => this.record({ channel: fullName, event, data }));
    channel.error((status: unknown) => this.recordError(fullName, status));
    return new Promise((resolve, reject) => {
      channel.subscribed(() => resolve(channel));
      channel.error((status: unknown) => reject(new SubscriptionRefused(fullName, status)));
    });
  }

  close(): void {
    this.echo.disconnect();
  }
}

export class SubscriptionRefused extends Error {
  constructor(
    readonly channel: string,
    readonly status: unknown,
  ) {
    super(`subscription to ${channel} refused: ${JSON.stringify(status)}`);
  }
}

export interface EchoOptions {
  label?: string;
  /** Sent as `Authorization: Bearer …` to the auth endpoint; leave out for a client without credentials. */
  token?: string;
  authEndpoint?: string;
  /** More headers and form params for the auth endpoint (a website visitor's space and widget tokens). */
  authHeaders?: Record<string, string>;
  authParams?: Record<string, string>;
  activityTimeout?: number;
  /** Called with the client before it has connected (to watch a refused handshake, say). */
  onCreated?: (client: EchoClient) => void;
}

/** A connected Echo client; rejects if it cannot connect. */
export async function connectEcho(s: Pick<TestServer, 'url'>, options: EchoOptions = {}): Promise<EchoClient> {
  const port = Number(new URL(s.url).port);
  const echo = new Echo({
    broadcaster: 'reverb',
    key: DEMO_REALTIME.key,
    wsHost: '127.0.0.1',
    wsPort: port,
    wssPort: port,
    forceTLS: false,
    enabledTransports: ['ws'],
    authEndpoint: options.authEndpoint ?? `${s.url}/broadcasting/auth`,
    // A fresh `auth` object per client: Echo's `bearerToken` writes into a headers object shared by every Echo
    // instance of the process (its static defaults), so two clients would end up with the last one's token.
    auth: {
      headers: { ...(options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` }), ...options.authHeaders },
      ...(options.authParams === undefined ? {} : { params: options.authParams }),
    },
    ...(options.activityTimeout === undefined ? {} : { activityTimeout: options.activityTimeout }),
    Pusher,
  });
  const client = new EchoClient(echo, options.label ?? 'echo');
  options.onCreated?.(client);
  await client.until(() => client.state === 'connected', 'the connection');
  await client.channel(BARRIER_CHANNEL);
  return client;
}

/** Publishes through the signed Pusher HTTP API, as Laravel's `reverb` broadcast driver does. */
export async function publishSigned(
  s: Pick<TestServer, 'request'>,
  path: string,
  body: unknown,
  options: { secret?: string; key?: string; method?: string; appId?: string; now?: number; query?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const method = options.method ?? 'POST';
  const text = body === undefined ? '' : JSON.stringify(body);
  const fullPath = `/apps/${options.appId ?? DEMO_REALTIME.appId}${path}`;
  const query = signHttpApiRequest(
    { key: options.key ?? DEMO_REALTIME.key, secret: options.secret ?? DEMO_REALTIME.secret },
    method,
    fullPath,
    text,
    options.now ?? Date.now(),
    options.query,
  );
  return s.request(method, `${fullPath}?${query.toString()}`, text === '' ? {} : { body: text, headers: { 'Content-Type': 'application/json' } });
}

/**
 * Proves a negative without sleeping: a marker published after the action reaches every client, and frames
 * on one socket arrive in the order the server wrote them, so whatever the action sent them has arrived too.
 */
export async function barrier(s: TestServer, clients: EchoClient[]): Promise<void> {
  const id = randomUUID();
  const res = await publishSigned(s, '/events', { name: 'barrier', channel: BARRIER_CHANNEL, data: JSON.stringify({ id }) });
  if (res.status !== 200) throw new Error(`barrier publish failed: ${res.status} ${JSON.stringify(res.body)}`);
  await Promise.all(clients.map((client) => client.next(BARRIER_CHANNEL, '.barrier', (data) => isRecord(data) && data.id === id)));
}

/** Polls the HTTP API until `channel` has `count` subscribed sockets (a close is processed asynchronously). */
export async function untilSubscriptions(s: TestServer, channel: string, count: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const res = await publishSigned(s, `/channels/${channel}`, undefined, { method: 'GET', query: { info: 'subscription_count' } });
    last = res.body;
    if (isRecord(res.body) && (res.body.subscription_count ?? 0) === count) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${channel} never had ${count} subscriptions; last answer ${JSON.stringify(last)}`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A customer's message through the source webhook, signed like the channel integrations sign it. */
export async function customerWrites(
  s: TestServer,
  sourceId: number,
  externalUserId: string,
  text: string,
): Promise<{ chat_id: number; message: ApiMessage }> {
  const body = JSON.stringify({ external_user_id: externalUserId, user_metadata: { name: `Customer ${externalUserId}` }, text });
  const res = await s.request<{ data: { chat_id: number; message: ApiMessage } }>('POST', `/api/v1/webhooks/sources/${sourceId}`, {
    body,
    headers: { 'Content-Type': 'application/json', ...signedHeaders(s, body, DEMO_WEBHOOK_SECRET) },
  });
  if (res.status !== 200 && res.status !== 201) throw new Error(`webhook failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

export function closeAll(clients: EchoClient[]): void {
  for (const client of clients) client.close();
}
