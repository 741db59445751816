import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiChat, ApiErrorBody, ChatChangesResponse, ChatListResponse, ChatMessagesBatchResponse, RemovedChat } from '../../common/api';
import { testBackend } from '../helpers/postgres';
import { startServer, type TestServer } from '../helpers/server';
import { assertChatShape, assertInvalid, createUser, loginAll, webhook, type Tokens } from './support';

type DeltaBody = ChatChangesResponse & Partial<ApiErrorBody>;

/**
 * A delta delivers every change at least once. SQLite orders changes as they commit, so it lists
 * exactly what changed; PostgreSQL's horizon is the oldest transaction still running anywhere in
 * the cluster, so a busy cluster may list a recent change again: there, what changed must be in it.
 */
function assertListed(actual: number[], expected: number[], message?: string): void {
  if (testBackend() === 'postgres') {
    for (const id of expected) assert.ok(actual.includes(id), `${message ?? 'delta'}: ${id} missing from ${JSON.stringify(actual)}`);
  } else {
    assert.deepEqual(actual, expected, message);
  }
}

const idsOf = (chats: ApiChat[]) => chats.map((chat) => chat.id);

function isRemoved(item: ApiChat | RemovedChat): item is RemovedChat {
  return 'removed' in item;
}

describe('GET /api/v1/chats?updated_since (delta sync)', () => {
  let s: TestServer;
  let t: Tokens;
  const cursorOf = async (token: string) => {
    const res = await s.request<ChatListResponse>('GET', '/api/v1/chats?per_page=1', { token });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(typeof res.body.meta.sync_cursor, 'string');
    return res.body.meta.sync_cursor;
  };
  const delta = (token: string, cursor: string, extra = '') =>
    s.request<DeltaBody>('GET', `/api/v1/chats?updated_since=${encodeURIComponent(cursor)}${extra}`, { token });
  /** Walks every page of a delta; returns what it listed and the cursor for next time. */
  const walk = async (token: string, cursor: string, perPage = 100) => {
    const changed: ApiChat[] = [];
    const removed: number[] = [];
    let requests = 0;
    for (;;) {
      const res = await delta(token, cursor, `&per_page=${perPage}`);
      requests++;
      assert.equal(res.status, 200, JSON.stringify(res.body));
      for (const item of res.body.data) {
        if (isRemoved(item)) removed.push(item.id);
        else changed.push(item);
      }
      cursor = res.body.meta.sync_cursor;
      if (res.body.meta.next_cursor === null) {
        assert.equal(res.body.links.next, null);
        return { changed, removed, cursor, requests };
      }
      assert.equal(res.body.meta.next_cursor, cursor);
      assert.ok(res.body.links.next?.includes(`updated_since=${encodeURIComponent(cursor)}`));
    }
  };
  const message = (sourceId: number, external: string, text: string) => webhook(s, sourceId, { external_user_id: external, text });

  before(async () => {
    s = await startServer();
    t = await loginAll(s);
  });
  after(() => s.close());

  it('lists nothing when nothing changed, and a chat with a new message once it has one', async () => {
    const cursor = await cursorOf(t.mod);
    const quietMod2 = await cursorOf(t.mod2);
    const quiet = await walk(t.mod, cursor);
    assertListed(idsOf(quiet.changed), []);
    assertListed(quiet.removed, []);

    const sent = await message(1, 'delta-new-1', 'Dzień dobry, mam pytanie');
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const after = await walk(t.mod, quiet.cursor);
    assertListed(idsOf(after.changed), [sent.body.data.chat_id]);
    const chat = after.changed.find((item) => item.id === sent.body.data.chat_id);
    assert.ok(chat);
    assertChatShape(chat);
    assert.equal(chat.latest_message?.text, 'Dzień dobry, mam pytanie');
    // Nothing since: the next delta is empty again.
    assertListed(idsOf((await walk(t.mod, after.cursor)).changed), []);
    // A moderator of another source never hears of it.
    assert.ok(!idsOf((await walk(t.mod2, quietMod2)).changed).includes(sent.body.data.chat_id));
  });

  it('lists chats whose read state, assignment, urgency or hidden last message changed', async () => {
    const sent = await message(2, 'delta-state-1', 'Привет, нужна помощь');
    const chatId = sent.body.data.chat_id;
    const steps: [string, () => Promise<unknown>][] = [
      ['read', () => s.request('POST', `/api/v1/chats/${chatId}/read`, { token: t.mod, body: { up_to_id: sent.body.data.message.id } })],
      ['assign', () => s.request('POST', `/api/v1/chats/${chatId}/assign-me`, { token: t.mod })],
      ['urgent', () => s.request('PATCH', `/api/v1/chats/${chatId}`, { token: t.mod, body: { is_urgent: true } })],
      ['hide', () => s.request('POST', `/api/v1/messages/${sent.body.data.message.id}/hide`, { token: t.mod })],
    ];
    for (const [name, step] of steps) {
      const cursor = await cursorOf(t.mod);
      await step();
      const { changed } = await walk(t.mod, cursor);
      assertListed(idsOf(changed), [chatId], name);
    }
  });

  it('pages by keyset: each changed chat exactly once, however many pages', async () => {
    const cursor = await cursorOf(t.admin);
    const ids = new Set<number>();
    for (let i = 0; i < 7; i++) ids.add((await message(1, `delta-page-${i}`, `message ${i}`)).body.data.chat_id);
    const { changed, requests } = await walk(t.admin, cursor, 3);
    const listed = idsOf(changed);
    assert.equal(new Set(listed).size, listed.length, 'no chat twice in one scan');
    assertListed(listed, [...ids], 'oldest change first');
    if (testBackend() === 'sqlite') assert.equal(requests, 3);
  });

  it('a change made while a delta is paged comes with the next delta', async () => {
    const cursor = await cursorOf(t.admin);
    const first = (await message(1, 'delta-race-1', 'one')).body.data.chat_id;
    const second = (await message(1, 'delta-race-2', 'two')).body.data.chat_id;
    const page1 = await delta(t.admin, cursor, '&per_page=1');
    if (testBackend() === 'sqlite') assert.deepEqual(page1.body.data.map((chat) => chat.id), [first]);
    // The first chat changes again mid-scan (its key moves past the page just read).
    await message(1, 'delta-race-1', 'one again');
    const rest = await walk(t.admin, page1.body.meta.sync_cursor, 1);
    const next = await walk(t.admin, rest.cursor);
    assert.ok([...rest.changed, ...next.changed].some((chat) => chat.id === first && chat.latest_message?.text === 'one again'));
    assert.ok(rest.changed.some((chat) => chat.id === second));
  });

  it('lists a chat that left the view as removed, to its former viewers only', async () => {
    const support = await createUser(s, { roles: ['moderator'], sourceIds: [1], departmentIds: [1] });
    const sent = await message(1, 'delta-leave-1', 'Hello');
    const chatId = sent.body.data.chat_id;
    await s.request('PATCH', `/api/v1/chats/${chatId}`, { token: t.admin, body: { department_id: 1 } });
    const supportCursor = await cursorOf(support.token);
    const mod2Cursor = await cursorOf(t.mod2);
    const modCursor = await cursorOf(t.mod);

    const moved = await s.request('PATCH', `/api/v1/chats/${chatId}`, { token: t.admin, body: { department_id: 2 } });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const gone = await walk(support.token, supportCursor);
    assert.deepEqual(gone.removed, [chatId]);
    assert.ok(!idsOf(gone.changed).includes(chatId));
    // mod sees every department of sources 1 and 2: changed, not removed; mod2 never saw it: nothing.
    const mod = await walk(t.mod, modCursor);
    assertListed(idsOf(mod.changed), [chatId]);
    assert.deepEqual(mod.removed, []);
    const mod2 = await walk(t.mod2, mod2Cursor);
    assert.ok(!idsOf(mod2.changed).includes(chatId) && !mod2.removed.includes(chatId), 'nobody else learns that it exists');
    // Said once: the next delta of the former viewer is empty.
    assertListed((await walk(support.token, gone.cursor)).removed, []);

    // Back in department 1: the chat comes back as a changed chat.
    await s.request('PATCH', `/api/v1/chats/${chatId}`, { token: t.admin, body: { department_id: 1 } });
    const back = await walk(support.token, gone.cursor);
    assertListed(idsOf(back.changed), [chatId]);
    assert.deepEqual(back.removed, []);

    // Deleted: removed for those who saw it.
    const beforeDelete = back.cursor;
    const modBeforeDelete = mod.cursor;
    await s.server.store.transaction((tx) => tx.chats.delete(chatId));
    assert.deepEqual((await walk(support.token, beforeDelete)).removed, [chatId]);
    assert.deepEqual((await walk(t.mod, modBeforeDelete)).removed, [chatId]);
  });

  it('a cursor taken under another visibility starts over: everything the caller sees, marked reset', async () => {
    const modCursor = await cursorOf(t.mod);
    const res = await delta(t.mod2, modCursor, '&per_page=100');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.meta.reset, true);
    const all = await s.request<ChatListResponse>('GET', '/api/v1/chats?per_page=100', { token: t.mod2 });
    assert.deepEqual(
      res.body.data.map((chat) => chat.id).sort((a, b) => a - b),
      all.body.data.map((chat) => chat.id).sort((a, b) => a - b),
    );
    const again = await delta(t.mod2, res.body.meta.sync_cursor);
    assert.equal(again.body.meta.reset, false);
  });

  it('refuses a cursor it did not make, and filters combined with a delta, in the v1 format', async () => {
    const cursor = await cursorOf(t.mod);
    const bad = [
      'garbage!',
      'bm90IGpzb24',
      Buffer.from(JSON.stringify([2, 1, 'x'])).toString('base64url'),
      Buffer.from(JSON.stringify([1, -5, 'x'])).toString('base64url'),
      Buffer.from(JSON.stringify({ floor: 1 })).toString('base64url'),
      'x'.repeat(501),
    ];
    for (const value of bad) {
      const res = await delta(t.mod, value);
      const errors = assertInvalid(res, ['updated_since']);
      if (value.length <= 500) assert.deepEqual(errors.updated_since, ['The updated since field must be a sync cursor this server returned.']);
    }
    assertInvalid(await delta(t.mod, cursor, '&search=anna'), ['search']);
    assertInvalid(await delta(t.mod, cursor, '&tab=my&status=open'), ['tab', 'status']);
    assertInvalid(await delta(t.mod, cursor, '&per_page=101'), ['per_page']);
    assert.equal((await delta(t.mod, cursor, '&tab=all')).status, 200);
  });
});

describe('GET /api/v1/chats/messages (newest messages of many chats)', () => {
  let s: TestServer;
  let t: Tokens;
  const batch = (token: string, query: string) => s.request<ChatMessagesBatchResponse & Partial<ApiErrorBody>>('GET', `/api/v1/chats/messages${query}`, { token });

  before(async () => {
    s = await startServer();
    t = await loginAll(s);
  });
  after(() => s.close());

  it('answers each visible chat as GET /chats/{id}/messages would, and lists the rest as missing', async () => {
    const all = await s.request<ChatListResponse>('GET', '/api/v1/chats?per_page=100', { token: t.admin });
    const mine = all.body.data.filter((chat) => chat.source_id === 1 || chat.source_id === 2).slice(0, 3);
    const other = all.body.data.find((chat) => chat.source_id === 3);
    assert.ok(other && mine.length === 3);
    const ids = [...mine.map((chat) => chat.id), other.id, 999_999];
    const res = await batch(t.mod, `?ids=${ids.join(',')}&limit=2`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.meta.missing, [other.id, 999_999]);
    assert.deepEqual(res.body.data.map((entry) => entry.chat_id), mine.map((chat) => chat.id));
    for (const entry of res.body.data) {
      const single = await s.request<{ data: unknown[] }>('GET', `/api/v1/chats/${entry.chat_id}/messages?limit=2`, { token: t.mod });
      assert.deepEqual(entry.messages, single.body.data);
    }
    const defaults = await batch(t.admin, `?ids=${mine[0]?.id}`);
    const single = await s.request<{ data: unknown[] }>('GET', `/api/v1/chats/${mine[0]?.id}/messages`, { token: t.admin });
    assert.deepEqual(defaults.body.data[0]?.messages, single.body.data);
  });

  it('refuses bad id lists in the v1 format', async () => {
    for (const query of ['', '?ids=', '?ids=a,b', '?ids=1,1', '?ids=0', `?ids=${Array.from({ length: 101 }, (_, i) => i + 1).join(',')}`]) {
      assertInvalid(await batch(t.admin, query), ['ids']);
    }
    assertInvalid(await batch(t.admin, '?ids=1&limit=101'), ['limit']);
    assert.equal((await s.request('GET', '/api/v1/chats/messages?ids=1')).status, 401);
  });
});
