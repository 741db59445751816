// The desktop app's engine wiring, run in Node: the same pieces main/electron/engine-host.ts puts
// together in the utility process (the engine, createBridgeHost, the remote secret store answered by
// the "main process"), joined by worker_threads MessagePorts instead of Electron's. Only the port
// objects differ; Electron's adapter is electron-port.ts (five lines).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { BridgeClient, BridgeEvents, EventName } from '../../common/bridge';
import type { PortEndpoint } from '../../common/bridge-port';
import { createPortBridgeClient } from '../../common/bridge-port-client';
import { createEngine, FileSecretStore, type Engine } from '../../main/engine';
import { createBridgeHost, type BridgeHost, type PortRole } from '../../main/engine/bridge-host';
import { answerSecret, parseHostToMain, parseMainToHost, remoteSecretStore } from '../../main/electron/host-channel';
import { applyEngineEvent, badgeText, shellStateFromStatus, type ShellState } from '../../main/electron/shell-state';
import { startServer, type TestServer } from '../helpers/server';
import { FAST_TIMING, postWebhook, tempDir, waitFor } from '../engine/helpers';

function nodeEndpoint(port: MessagePort): PortEndpoint {
  return {
    post: (message) => port.postMessage(message),
    onMessage: (listener) => port.on('message', listener),
    onClose: (listener) => port.on('close', listener),
    close: () => port.close(),
  };
}

interface Side {
  client: BridgeClient;
  events: Array<{ event: EventName; payload: unknown }>;
  of<E extends EventName>(event: E): BridgeEvents[E][];
}

function connect(host: BridgeHost, role: PortRole): Side {
  const { port1, port2 } = new MessageChannel();
  host.connect(nodeEndpoint(port1), role);
  const bridge = createPortBridgeClient((message, error) => console.error(message, error));
  bridge.attach(nodeEndpoint(port2));
  const events: Side['events'] = [];
  const side: Side = {
    client: bridge.client,
    events,
    of: (event) => events.filter((e) => e.event === event).map((e) => e.payload as BridgeEvents[typeof event]),
  };
  for (const event of ['chats.changed', 'notification', 'session.changed', 'connection', 'messages.changed'] as const) {
    bridge.client.on(event, (payload) => events.push({ event, payload }));
  }
  return side;
}

describe('the engine behind MessagePorts, as in the desktop app', () => {
  let server: TestServer;
  let engine: Engine;
  let host: BridgeHost;
  let renderer: Side;
  let shell: Side;
  const dataDir = tempDir();
  const secretsDir = tempDir('switchboard-secrets-');
  let parent: MessageChannel;

  before(async () => {
    server = await startServer();
    // parentPort between the utility process (port1) and the main process (port2).
    parent = new MessageChannel();
    const mainSecrets = new FileSecretStore(secretsDir);
    parent.port2.on('message', (data: unknown) => {
      const message = parseHostToMain(data);
      if (message?.type === 'secret') void answerSecret(mainSecrets, message).then((reply) => parent.port2.postMessage(reply));
    });
    const secrets = remoteSecretStore((message) => parent.port1.postMessage(message));
    parent.port1.on('message', (data: unknown) => {
      const message = parseMainToHost(data);
      if (message?.type === 'secret-reply') secrets.receive(message);
    });
    engine = createEngine({ dataDir, secretStore: secrets.store, timing: FAST_TIMING });
    host = createBridgeHost({ openWindow: () => engine.openWindow(), subscribe: (listener) => engine.onAny(listener) });
    renderer = connect(host, 'renderer');
    shell = connect(host, 'shell');
  });

  after(async () => {
    host.close();
    await engine.close();
    parent.port1.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(secretsDir, { recursive: true, force: true });
  });

  it('signs in from the page; the token goes to the main process store, not the engine data', async () => {
    const { session } = await renderer.client.invoke('session.login', { serverUrl: server.url, email: 'mod@example.com', password: 'password' });
    assert.equal(session.user.email, 'mod@example.com');
    const stored = readdirSync(secretsDir);
    assert.equal(stored.length, 1);
    const token = readFileSync(join(secretsDir, stored[0] ?? ''), 'utf8');
    assert.match(token, /^\d+\|/);
    const leaked = (dir: string): boolean =>
      readdirSync(dir, { withFileTypes: true }).some((entry) =>
        entry.isDirectory() ? leaked(join(dir, entry.name)) : readFileSync(join(dir, entry.name)).includes(token.split('|')[1] ?? token),
      );
    assert.equal(leaked(dataDir), false, 'the token is nowhere in the engine data dir');
  });

  it('answers requests over the port and refuses unknown ones', async () => {
    // The first catch-up fills the cache in the background after sign-in.
    const list = await waitFor('the cached chat list', async () => {
      const page = await renderer.client.invoke('chats.list', { tab: 'all' });
      return page.rows.length > 0 ? page : undefined;
    });
    assert.ok(list.rows.every((row) => row.source.id === 1 || row.source.id === 2), 'mod@example.com sees sources 1 and 2 only');
    await assert.rejects(renderer.client.invoke('session.login', { serverUrl: server.url, email: 'mod@example.com', password: 'wrong' }), (error: unknown) => {
      assert.ok(error instanceof Error && 'code' in error && error.code === 'validation', String(error));
      return true;
    });

    const raw = new MessageChannel();
    host.connect(nodeEndpoint(raw.port1), 'renderer');
    const reply = new Promise<unknown>((resolve) => raw.port2.once('message', resolve));
    raw.port2.postMessage({ type: 'request', id: 7, name: 'fs.readFile', args: { path: '/etc/passwd' } });
    assert.deepEqual(await reply, { type: 'reply', id: 7, ok: false, error: { code: 'validation', message: 'Unknown or malformed bridge request.' } });
    raw.port2.close();
  });

  it('gives the shell the unread count for the badge', async () => {
    const status = await shell.client.invoke('desk.status', {});
    const state = shellStateFromStatus(status);
    assert.equal(state.session?.user.email, 'mod@example.com');
    assert.equal(badgeText(state.unreadChats), status.unreadChats > 0 ? String(status.unreadChats) : '');
  });

  it('receives a customer message: the page sees the chat, the shell notifies and counts it, the page gets no notification', async () => {
    await shell.client.invoke('desk.focus', { focused: false });
    let state: ShellState = shellStateFromStatus(await shell.client.invoke('desk.status', {}));
    const before = state.unreadChats;
    await waitFor('realtime connected', async () => (await shell.client.invoke('desk.status', {})).connection.kind === 'online');

    const { chat_id: chatId } = await postWebhook(server, 1, { external_user_id: 'electron-smoke-visitor', text: 'Hello from the website', user_metadata: { name: 'Ada Visitor' } });

    const notification = await waitFor('a notification on the shell port', () => shell.of('notification').find((n) => n.chatId === chatId));
    assert.match(notification.body, /Hello from the website/);
    await waitFor('the chat on the page', () => renderer.of('chats.changed').some((c) => c.chats.some((chat) => chat.id === chatId)));
    for (const change of shell.of('chats.changed')) state = applyEngineEvent(state, { event: 'chats.changed', payload: change });
    assert.equal(state.unreadChats, before + 1);

    // Ports keep order: once this reply is back, any notification sent to the page before it would have arrived.
    await renderer.client.invoke('desk.status', {});
    assert.deepEqual(renderer.of('notification'), []);
  });
});
