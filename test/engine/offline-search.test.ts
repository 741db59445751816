// Search covers message text offline too: the cache indexes the messages it holds and matches them
// as the server does (a case-insensitive substring in any script, diacritics significant), so a
// word that appears only in a message finds the chat with the server gone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server';
import { postWebhook, signedInDesk, waitFor, type Desk } from './helpers';

describe('searching message text offline', () => {
  let server: TestServer;
  let desk: Desk;
  const chats: Record<string, number> = {};
  let serverSees: (search: string) => Promise<number[]>;

  before(async () => {
    server = await startServer();
    const token = await server.login('admin@example.com');
    serverSees = async (search) => {
      const response = await server.request<{ data: { id: number }[] }>('GET', `/api/v1/chats?tab=all&per_page=100&search=${encodeURIComponent(search)}`, { token });
      return response.body.data.map((chat) => chat.id).filter((id) => Object.values(chats).includes(id)).sort((a, b) => a - b);
    };
    const texts: Record<string, string> = {
      parcel: 'My parcel from Kraków never arrived',
      order: 'Где мой ЗАКАЗ номер 77?',
      turtle: 'Czy macie żółwia w sklepie?',
      quote: 'He said "hello" to me',
    };
    for (const [key, text] of Object.entries(texts)) {
      chats[key] = (await postWebhook(server, 1, { external_user_id: `search-${key}`, text, user_metadata: { name: `Customer ${key}` } })).chat_id;
    }
    desk = await signedInDesk(server, 'admin@example.com');
    await desk.engine.settled();
  });

  after(async () => {
    await desk.destroy();
    await server.close();
  });

  async function deskFinds(search: string): Promise<number[]> {
    const { rows } = await desk.client.invoke('chats.list', { tab: 'all', search });
    return rows
      .map((row) => row.id)
      .filter((id) => Object.values(chats).includes(id))
      .sort((a, b) => a - b);
  }

  const searches = ['parcel', 'ARRIVED', 'rakó', 'заказ', 'аказ', 'żółw', 'zolw', '"hello"', 'ел', 'ÓW'];

  it('online, the server finds what it finds (the reference)', async () => {
    const expected: Record<string, number[]> = {};
    for (const search of searches) expected[search] = await serverSees(search);
    assert.deepEqual(expected.parcel, [chats.parcel]);
    assert.deepEqual(expected.zolw, [], 'diacritics are significant on the server');
    // Kept for the offline run: the desk must agree with every one of them.
    Object.assign(reference, expected);
  });

  const reference: Record<string, number[]> = {};

  it('offline, a word only in a message finds the chat, with the same matches as the server', async () => {
    await server.stop();
    await waitFor('offline', async () => (await desk.client.invoke('desk.status', {})).connection.kind === 'offline');
    assert.deepEqual(await deskFinds('parcel'), [chats.parcel]);
    for (const search of searches) assert.deepEqual(await deskFinds(search), reference[search], `search ${JSON.stringify(search)}`);
  });
});
