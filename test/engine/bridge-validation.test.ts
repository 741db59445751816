// Bridge requests are checked against their schemas where they enter the engine: a page that sends
// the wrong shape hears which field is wrong (`validation`), not "something went wrong" (`server`),
// and nothing changes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { BridgeError, type Args, type BridgeClient, type RequestName } from '../../common/bridge';
import type { PortEndpoint } from '../../common/bridge-port';
import { createPortBridgeClient } from '../../common/bridge-port-client';
import { createBridgeHost, type BridgeHost } from '../../main/engine/bridge-host';
import { startServer, type TestServer } from '../helpers/server';
import { signedInDesk, type Desk } from './helpers';

function nodeEndpoint(port: MessagePort): PortEndpoint {
  return {
    post: (message) => port.postMessage(message),
    onMessage: (listener) => port.on('message', listener),
    onClose: (listener) => port.on('close', listener),
    close: () => port.close(),
  };
}

/** Sends a request as an untrusted page could: any args at all, decoded from JSON as the web desk decodes them. */
function rawInvoke<K extends RequestName>(client: BridgeClient, name: K, args: unknown): Promise<unknown> {
  const decoded: Args<K> = JSON.parse(JSON.stringify(args));
  return client.invoke(name, decoded);
}

async function refusal(promise: Promise<unknown>): Promise<BridgeError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof BridgeError, `expected a BridgeError, got ${String(error)}`);
    return error;
  }
  assert.fail('the request was accepted');
}

describe('bridge requests are validated against their schemas', () => {
  let server: TestServer;
  let desk: Desk;
  let host: BridgeHost;
  let page: BridgeClient;

  before(async () => {
    server = await startServer();
    desk = await signedInDesk(server);
    await desk.engine.settled();
    host = createBridgeHost({ openWindow: () => desk.engine.openWindow(), subscribe: (listener) => desk.engine.onAny(listener) });
    const { port1, port2 } = new MessageChannel();
    host.connect(nodeEndpoint(port1), 'renderer');
    const bridge = createPortBridgeClient(() => undefined);
    bridge.attach(nodeEndpoint(port2));
    page = bridge.client;
  });

  after(async () => {
    host.close();
    await desk.destroy();
    await server.close();
  });

  it('a non-string search is a validation error naming the field, over the port and in process', async () => {
    for (const client of [page, desk.client]) {
      const error = await refusal(rawInvoke(client, 'chats.list', { tab: 'all', search: 42 }));
      assert.equal(error.code, 'validation');
      assert.match(error.message, /search/);
      assert.ok(error.fields?.search?.[0], 'the search field is named');
    }
    // A well-formed search still works.
    const { rows } = await page.invoke('chats.list', { tab: 'all', search: 'nobody-has-this-name' });
    assert.deepEqual(rows, []);
  });

  it('wrong ids, unknown tabs and bad preferences are refused and change nothing', async () => {
    const before = await page.invoke('preferences.get', {});
    const cases: [RequestName, unknown, string][] = [
      ['chat.open', { chatId: '1' }, 'chatId'],
      ['chat.open', { chatId: 1.5 }, 'chatId'],
      ['chats.list', { tab: 'everything' }, 'tab'],
      ['chats.list', { tab: 'all', limit: 5000 }, 'limit'],
      ['chat.send', { chatId: 1, text: ['hello'] }, 'text'],
      ['chat.transfer', { chatId: 1 }, 'assignedTo'],
      ['desk.focus', { focused: 'yes' }, 'focused'],
      ['preferences.set', { theme: 'neon' }, 'theme'],
      ['outbox.retry', {}, 'id'],
    ];
    for (const [name, args, field] of cases) {
      const error = await refusal(rawInvoke(page, name, args));
      assert.equal(error.code, 'validation', `${name} ${JSON.stringify(args)}`);
      assert.ok(error.fields?.[field], `${name} names ${field}: ${JSON.stringify(error.fields)}`);
    }
    assert.deepEqual(await page.invoke('preferences.get', {}), before);
    assert.deepEqual((await page.invoke('outbox.list', {})).entries, []);
  });
});
