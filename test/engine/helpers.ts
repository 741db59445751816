import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiMessage } from '../../common/api';
import type { BridgeClient, BridgeEvents, EventName, MessageView } from '../../common/bridge';
import { createEngine, createLocalClient, type Engine, type EngineOptions } from '../../main/engine';
import type { EngineTiming } from '../../main/engine/timing';
import { webhookHeaders } from '../../server/dialects/v1/webhook-signature';
import type { ServerConfigInput } from '../../server/config';
import { startServer, type TestServer } from '../helpers/server';
import { startHttpProxy, type HttpProxy } from './proxies';

/** Short delays so tests do not wait out production backoffs. */
export const FAST_TIMING: Partial<EngineTiming> = {
  retry: { baseMs: 100, capMs: 1000 },
  probe: { baseMs: 100, capMs: 400 },
  pollIntervalMs: 1000,
  requestTimeoutMs: 5000,
  reconnect: { baseMs: 200, capMs: 1000 },
};

export interface Desk {
  engine: Engine;
  client: BridgeClient;
  dataDir: string;
  /** Every event pushed so far, in order. */
  events: { name: EventName; payload: unknown }[];
  eventsOf<E extends EventName>(name: E): BridgeEvents[E][];
  close(): Promise<void>;
  /** Closes and deletes the data dir. */
  destroy(): Promise<void>;
}

export function tempDir(prefix = 'switchboard-desk-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A desk engine in this process over a data dir (new, or an existing one to reopen). */
export function openDesk(options: Partial<EngineOptions> & { dataDir?: string } = {}): Desk {
  const dataDir = options.dataDir ?? tempDir();
  const engine = createEngine({ timing: FAST_TIMING, ...options, dataDir });
  const client = createLocalClient(engine);
  const events: { name: EventName; payload: unknown }[] = [];
  engine.onAny((name, payload) => events.push({ name, payload }));
  let closed = false;
  const desk: Desk = {
    engine,
    client,
    dataDir,
    events,
    eventsOf<E extends EventName>(name: E) {
      return events.filter((event) => event.name === name).map((event) => event.payload as BridgeEvents[E]);
    },
    async close() {
      if (closed) return;
      closed = true;
      await engine.close();
    },
    async destroy() {
      await desk.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return desk;
}

/** Opens a desk and signs in. */
export async function signedInDesk(server: { url: string }, email = 'mod@example.com', options: Partial<EngineOptions> = {}): Promise<Desk> {
  const desk = openDesk(options);
  await desk.client.invoke('session.login', { serverUrl: server.url, email, password: 'password' });
  return desk;
}

/**
 * Waits until `check` returns a value other than undefined/false. Not a timing assertion: the
 * deadline only keeps a broken test from hanging; the outcome asserted is the condition itself.
 */
export async function waitFor<T>(description: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A customer's message through the signed source webhook (DESIGN §4). */
export async function postWebhook(
  server: Pick<TestServer, 'url' | 'clock'>,
  sourceId: number,
  body: { external_user_id: string; text?: string; user_metadata?: Record<string, unknown>; external_message_id?: string; attachments?: unknown[]; typing?: boolean },
): Promise<{ chat_id: number; message: ApiMessage }> {
  const raw = JSON.stringify(body);
  const response = await fetch(`${server.url}/api/v1/webhooks/sources/${sourceId}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...webhookHeaders('demo-webhook-secret', raw, server.clock.now()) },
    body: raw,
  });
  const parsed = (await response.json()) as { data: { chat_id: number; message: ApiMessage } };
  if (response.status !== 201 && response.status !== 200) throw new Error(`webhook answered ${response.status}: ${JSON.stringify(parsed)}`);
  return parsed.data;
}

/** Every message of a chat on the server, oldest first (walking before_id). */
export async function serverHistory(server: TestServer, token: string, chatId: number): Promise<ApiMessage[]> {
  const all: ApiMessage[] = [];
  let before: number | undefined;
  for (;;) {
    const query = before === undefined ? 'limit=100' : `limit=100&before_id=${before}`;
    const response = await server.request<{ data: ApiMessage[] }>('GET', `/api/v1/chats/${chatId}/messages?${query}`, { token });
    if (response.status !== 200) throw new Error(`history answered ${response.status}`);
    all.push(...response.body.data);
    if (response.body.data.length < 100) break;
    before = response.body.data.at(-1)?.id;
  }
  return all.reverse();
}

/** Everything the desk shows for a chat: open it, then load older pages until there are none. Oldest first. */
export async function deskHistory(client: BridgeClient, chatId: number, olderPage = 50): Promise<MessageView[]> {
  const opened = await client.invoke('chat.open', { chatId, limit: 50 });
  let messages = opened.messages;
  let hasOlder = opened.hasOlder;
  while (hasOlder) {
    const oldest = messages.find((message) => message.id > 0);
    if (!oldest) break;
    const page = await client.invoke('chat.loadOlder', { chatId, beforeId: oldest.id, limit: olderPage });
    if (page.messages.length === 0) throw new Error(`chat ${chatId}: hasOlder was true but no older messages came`);
    messages = [...page.messages, ...messages];
    hasOlder = page.hasOlder;
  }
  await client.invoke('chat.leave', { chatId });
  return messages;
}

/**
 * A real server whose public URL is a relay in front of it: the desk reaches REST and the realtime
 * socket through the relay, so a test can count, hold or refuse what passes. `close` stops both.
 */
export async function startServerBehindRelay(config: ServerConfigInput = {}): Promise<{ server: TestServer; relay: HttpProxy; close: () => Promise<void> }> {
  const relay = await startHttpProxy('http://127.0.0.1:1');
  const server = await startServer({ ...config, publicUrl: relay.url });
  relay.target = server.url;
  return {
    server,
    relay,
    async close() {
      await relay.close();
      await server.close();
    },
  };
}
