import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseTimestamp } from '../../common/time';
import type { ApiErrorBody, ChatListResponse } from '../../common/api';
import { startServer, type TestServer } from '../helpers/server';
import { chatIdOf, ADMIN_ID, MOD_ID, assertChatShape, assertInvalid, chatFacts, createUser, loginAll, send, webhook, type ChatFacts, type Tokens } from './support';

type ListBody = ChatListResponse & Partial<ApiErrorBody>;

describe('GET /api/v1/chats', () => {
  let s: TestServer;
  let t: Tokens;
  let facts: ChatFacts[];
  const list = (token: string, query = '') => s.request<ListBody>('GET', `/api/v1/chats${query}`, { token });
  const ids = async (token: string, query: string) => {
    const res = await list(token, query);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.data.map((c) => c.id).sort((a, b) => a - b);
  };
  const idsWhere = (predicate: (chat: ChatFacts) => boolean) => facts.filter(predicate).map((c) => c.id);
  const modSees = (c: ChatFacts) => c.source_id === 1 || c.source_id === 2;

  before(async () => {
    s = await startServer();
    t = await loginAll(s);
    facts = await chatFacts(s);
  });
  after(() => s.close());

  it('answers a Laravel paginated collection with every chat field of the contract', async () => {
    const res = await list(t.admin);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), ['data', 'links', 'meta']);
    assert.equal(res.body.data.length, 20, 'per_page defaults to 20');
    for (const chat of res.body.data) assertChatShape(chat);
    const base = `${s.url}/api/v1/chats`;
    assert.deepEqual(res.body.links, { first: `${base}?page=1`, last: `${base}?page=2`, prev: null, next: `${base}?page=2` });
    const { counts, sync_cursor: syncCursor, ...meta } = res.body.meta;
    assert.match(syncCursor, /^[A-Za-z0-9_-]+$/, 'an opaque cursor for updated_since');
    assert.deepEqual(meta, { current_page: 1, from: 1, last_page: 2, path: base, per_page: 20, to: 20, total: facts.length });
    assert.deepEqual(counts, {
      my: idsWhere((c) => c.assigned_to === ADMIN_ID).length,
      unassigned: idsWhere((c) => c.assigned_to === null).length,
      all: facts.length,
    });
  });

  it('shows the source, department, assignee and latest message of a chat', async () => {
    const res = await list(t.admin, '?per_page=100');
    const tomasz = res.body.data.find((c) => c.external_user_id === 'web-19c2');
    assert.ok(tomasz);
    assert.deepEqual(tomasz.source, { id: 1, name: 'Website', type: 'widget' });
    assert.deepEqual(tomasz.department, { id: 2, name: 'Sales' });
    assert.deepEqual(tomasz.assignee, { id: MOD_ID, name: 'Maria Moderator' });
    assert.equal(tomasz.user_metadata.name, 'Tomasz Nowak');
    assert.equal(tomasz.latest_message?.text, 'Poproszę, na adres z profilu.');
    assert.equal(tomasz.latest_message?.sender_type, 'client');
    assert.equal(tomasz.status, 'active');
    const unassigned = res.body.data.find((c) => c.external_user_id === 'web-9999');
    assert.equal(unassigned?.assignee, null);
    assert.equal(unassigned?.department, null);
  });

  it('counts unread client messages and knows since when the customer waits', async () => {
    const res = await list(t.admin, '?per_page=100');
    const byExternal = (external: string) => {
      const chat = res.body.data.find((c) => c.external_user_id === external);
      assert.ok(chat, external);
      return chat;
    };
    // Two client messages, nobody answered: both unread, waiting since the first.
    const anna = byExternal('web-7f3a');
    const annaMessages = await s.request<{ data: { created_at: string; sender_type: string }[] }>('GET', `/api/v1/chats/${anna.id}/messages`, { token: t.admin });
    const annaTimes = annaMessages.body.data.map((m) => m.created_at);
    assert.equal(anna.unread_count, 2);
    assert.equal(anna.waiting_since, annaTimes[annaTimes.length - 1]);
    assert.equal(anna.last_message_at, annaTimes[0]);
    // The operator answered the last client message: nothing unread, nobody waiting.
    const emily = byExternal('web-a01b');
    assert.equal(emily.unread_count, 0);
    assert.equal(emily.waiting_since, null);
    assert.equal(emily.latest_message?.sender_type, 'operator');
    // Answered once, then the customer wrote again: waiting since that last message.
    const tomasz = byExternal('web-19c2');
    assert.equal(tomasz.unread_count, 1);
    assert.equal(tomasz.waiting_since, tomasz.latest_message?.created_at);
    assert.equal(tomasz.last_message_at, tomasz.latest_message?.created_at);
  });

  it('orders chats by last activity, newest first, and moves a chat up when a message arrives', async () => {
    const before = await list(t.admin, '?per_page=100');
    const times = before.body.data.map((c) => parseTimestamp(c.updated_at));
    for (let i = 1; i < times.length; i++) assert.ok((times[i - 1] ?? 0) >= (times[i] ?? 0), `chat at ${i} is newer than the one above it`);
    const oldestOpen = [...before.body.data].reverse().find((c) => c.status !== 'closed');
    assert.ok(oldestOpen);
    assert.notEqual(before.body.data[0]?.id, oldestOpen.id);

    const res = await webhook(s, oldestOpen.source_id, { external_user_id: oldestOpen.external_user_id, text: 'Any news?' });
    assert.equal(res.status, 201);
    assert.equal(res.body.data.chat_id, oldestOpen.id);
    const after = await list(t.admin, '?per_page=100');
    assert.equal(after.body.data[0]?.id, oldestOpen.id);
    assert.equal(after.body.data[0]?.latest_message?.text, 'Any news?');

    // An operator's reply is activity too.
    const second = after.body.data[1];
    assert.ok(second);
    const reply = await send(s, t.admin, second.id, { text: 'We are on it.' });
    assert.equal(reply.status, 201);
    assert.equal((await list(t.admin, '?per_page=1')).body.data[0]?.id, second.id);
    facts = await chatFacts(s);
  });

  it('splits chats into the tabs my, unassigned and all, each within what the user may see', async () => {
    assert.deepEqual(await ids(t.mod, '?tab=my&per_page=100'), idsWhere((c) => modSees(c) && c.assigned_to === MOD_ID));
    assert.deepEqual(await ids(t.mod, '?tab=unassigned&per_page=100'), idsWhere((c) => modSees(c) && c.assigned_to === null));
    assert.deepEqual(await ids(t.mod, '?tab=all&per_page=100'), idsWhere(modSees));
    assert.deepEqual(await ids(t.mod, '?per_page=100'), idsWhere(modSees));
    assert.deepEqual(await ids(t.mod2, '?per_page=100'), idsWhere((c) => c.source_id === 3));
    assert.deepEqual(await ids(t.admin, '?tab=my&per_page=100'), idsWhere((c) => c.assigned_to === ADMIN_ID));

    const mine = await list(t.mod, '?tab=my');
    assert.equal(mine.body.meta.total, mine.body.meta.counts.my);
    assert.deepEqual(mine.body.meta.counts, {
      my: idsWhere((c) => modSees(c) && c.assigned_to === MOD_ID).length,
      unassigned: idsWhere((c) => modSees(c) && c.assigned_to === null).length,
      all: idsWhere(modSees).length,
    });
    assertInvalid(await list(t.mod, '?tab=everything'), ['tab']);
  });

  it('filters by status: open means every status but closed', async () => {
    assert.deepEqual(await ids(t.admin, '?status=open&per_page=100'), idsWhere((c) => c.status !== 'closed'));
    assert.deepEqual(await ids(t.admin, '?status=closed&per_page=100'), idsWhere((c) => c.status === 'closed'));
    for (const status of ['new', 'active', 'pending', 'transferred'] as const) {
      const expected = idsWhere((c) => c.status === status);
      assert.ok(expected.length > 0, `the demo has ${status} chats`);
      assert.deepEqual(await ids(t.admin, `?status=${status}&per_page=100`), expected, status);
    }
    const open = await list(t.mod, '?status=open&tab=unassigned');
    assert.deepEqual(open.body.meta.counts, {
      my: idsWhere((c) => modSees(c) && c.status !== 'closed' && c.assigned_to === MOD_ID).length,
      unassigned: idsWhere((c) => modSees(c) && c.status !== 'closed' && c.assigned_to === null).length,
      all: idsWhere((c) => modSees(c) && c.status !== 'closed').length,
    });
    assertInvalid(await list(t.admin, '?status=archived'), ['status']);
  });

  it('filters by source and department, never beyond what the user may see', async () => {
    assert.deepEqual(await ids(t.admin, '?source_id=2&per_page=100'), idsWhere((c) => c.source_id === 2));
    assert.deepEqual(await ids(t.admin, '?department_id=2&per_page=100'), idsWhere((c) => c.department_id === 2));
    assert.deepEqual(await ids(t.admin, '?source_id=1&department_id=1&per_page=100'), idsWhere((c) => c.source_id === 1 && c.department_id === 1));
    assert.deepEqual(await ids(t.mod, '?source_id=3'), []);
    assert.deepEqual(await ids(t.mod2, '?source_id=3&per_page=100'), idsWhere((c) => c.source_id === 3));
    assertInvalid(await list(t.admin, '?source_id=abc'), ['source_id']);
    assertInvalid(await list(t.admin, '?department_id=0'), ['department_id']);
  });

  it('narrows a moderator with departments to those departments plus chats without one', async () => {
    const sales = await createUser(s, { roles: ['moderator'], sourceIds: [1, 2], departmentIds: [2] });
    const expected = idsWhere((c) => modSees(c) && (c.department_id === null || c.department_id === 2));
    assert.ok(expected.some((id) => facts.find((c) => c.id === id)?.department_id === null));
    assert.deepEqual(await ids(sales.token, '?per_page=100'), expected);
    assert.deepEqual(await ids(sales.token, '?department_id=1'), []);
    const res = await list(sales.token);
    assert.equal(res.body.meta.counts.all, expected.length);
  });

  describe('search', () => {
    const search = (token: string, needle: string, extra = '') => ids(token, `?per_page=100&search=${encodeURIComponent(needle)}${extra}`);
    const chatOf = (external: string) => chatIdOf(s, external);

    it('finds a client by name in any case and script', async () => {
      assert.deepEqual(await search(t.admin, 'Анна Петрова'), [(await chatOf('web-7f3a'))]);
      assert.deepEqual(await search(t.admin, 'петрова'), [(await chatOf('web-7f3a'))]);
      assert.deepEqual(await search(t.admin, 'ПЕТРОВА'), [(await chatOf('web-7f3a'))]);
      assert.deepEqual(await search(t.admin, 'zieliński'), [(await chatOf('web-c3d4'))]);
      assert.deepEqual(await search(t.admin, 'ZIELIŃSKI'), [(await chatOf('web-c3d4'))]);
      assert.deepEqual(await search(t.admin, 'emily carter'), [(await chatOf('web-a01b'))]);
    });

    it('finds a client by email, phone and external id', async () => {
      assert.deepEqual(await search(t.admin, 'tomasz.nowak@example'), [(await chatOf('web-19c2'))]);
      assert.deepEqual(await search(t.admin, '601 234'), [(await chatOf('web-19c2'))]);
      assert.deepEqual(await search(t.admin, '+7 916'), [(await chatOf('tg-55012'))]);
      assert.deepEqual(await search(t.admin, 'vk_4410'), [(await chatOf('vk_4410'))]);
      // `_` is a literal, not LIKE's any-character.
      assert.deepEqual(await search(t.admin, 'tg_55012'), []);
    });

    it('finds message text in Russian, Polish and English, case-insensitively', async () => {
      assert.deepEqual(await search(t.admin, 'ошибка 502'), [(await chatOf('tg-31337'))]);
      assert.deepEqual(await search(t.admin, 'ОШИБКА 502'), [(await chatOf('tg-31337'))]);
      assert.deepEqual(await search(t.admin, 'zalogować'), [(await chatOf('web-0a0b'))]);
      assert.deepEqual(await search(t.admin, 'ZALOGOWAĆ'), [(await chatOf('web-0a0b'))]);
      assert.deepEqual(await search(t.admin, 'timing out'), [(await chatOf('web-a01b'))]);
      assert.deepEqual(await search(t.admin, 'no such words anywhere'), []);
    });

    it('finds short needles (below the trigram length) in any case, with LIKE wildcards taken literally', async () => {
      // In Anna's message ("3DS") and in Piotr's external id (web-c3d4).
      const threeD = [(await chatOf('web-7f3a')), (await chatOf('web-c3d4'))].sort((a, b) => a - b);
      assert.deepEqual(await search(t.admin, '3D'), threeD);
      assert.deepEqual(await search(t.admin, '3d'), threeD);
      const yo = [(await chatOf('web-7f3a')), (await chatOf('vk_123')), (await chatOf('tg-20202')), (await chatOf('web-4242'))].sort((a, b) => a - b);
      assert.deepEqual(await search(t.admin, 'ёт'), yo);
      assert.deepEqual(await search(t.admin, 'ЁТ'), yo);
      const percent = [(await chatOf('web-19c2')), (await chatOf('web-4242'))].sort((a, b) => a - b);
      assert.deepEqual(await search(t.admin, '%'), percent);
      assert.deepEqual(await search(t.admin, '20%'), percent);
    });

    it('takes quotes and full-text operators in a needle literally, never as query syntax', async () => {
      for (const needle of ['"', '""', '"""', 'a"b"c', 'NEAR(a b)', 'text:502', '***', "'; DROP TABLE chats; --", 'OR', 'ошибка OR zalogować', '^502', '-502']) {
        const res = await list(t.admin, `?per_page=100&search=${encodeURIComponent(needle)}`);
        assert.equal(res.status, 200, `${needle}: ${JSON.stringify(res.body)}`);
      }
      assert.deepEqual(await search(t.admin, 'ошибка OR zalogować'), []);
      assert.deepEqual(await search(t.admin, '«Ромашка»'), [(await chatOf('tg-20202'))]);
      assert.equal((await list(t.admin)).body.meta.total, facts.length, 'the table is still there');
    });

    it('searches only what the user may see, within the other filters, and counts the tabs of the result', async () => {
      assert.deepEqual(await search(t.mod2, 'Петрова'), []);
      assert.deepEqual(await search(t.mod, 'Петрова'), [(await chatOf('web-7f3a'))]);
      assert.deepEqual(await search(t.admin, 'Петрова', '&status=closed'), []);
      const res = await list(t.admin, `?search=${encodeURIComponent('%')}`);
      assert.deepEqual(res.body.meta.counts, { my: 0, unassigned: 0, all: 2 });
      assert.equal(res.body.meta.total, 2);
      // A blank search is no search.
      assert.equal((await list(t.admin, '?search=%20%20')).body.meta.total, facts.length);
    });
  });

  describe('search over hostile stored metadata', () => {
    let h: TestServer;
    let ht: Tokens;
    const nested = (levels: number, leaf = '"deepsecret"') => `${'{"a":'.repeat(levels)}${leaf}${'}'.repeat(levels)}`;
    // Texts a row may hold from before metadata was bounded, or from a broken writer: each once broke
    // every search that parsed it (SQLite's json_extract, PostgreSQL's ::jsonb).
    const HOSTILE: Record<string, string> = {
      'web-hostile-deep': `{"name":"Hostile Deep","nest":${nested(1000)}}`,
      'web-hostile-deeper': `{"name":"Hostile Deeper","nest":${nested(4500)}}`,
      'web-hostile-broken': '{"name": "Hostile Broken", "email": ',
      'web-hostile-nul': '{"name":"Hostile \\u0000 Nul"}',
      'web-hostile-array': '[1, 2, 3]',
      'web-hostile-text': 'not json at all',
    };

    before(async () => {
      h = await startServer();
      ht = await loginAll(h);
      for (const [external, text] of Object.entries(HOSTILE)) {
        const created = await webhook(h, 1, { external_user_id: external, text: 'Proszę o kontakt', user_metadata: { name: `Anna ${external}` } });
        assert.equal(created.status, 201);
        await h.server.store.testing.writeRawUserMetadata(created.body.data.chat_id, text);
      }
    });
    after(() => h.close());

    const searchAll = async () => {
      for (const token of [ht.admin, ht.mod]) {
        for (const needle of ['anna', 'Петрова', 'hostile', 'deepsecret', 'zz', 'a', '%', '1', 'proszę o kontakt', 'web-hostile']) {
          const res = await h.request<ListBody>('GET', `/api/v1/chats?per_page=100&search=${encodeURIComponent(needle)}`, { token });
          assert.equal(res.status, 200, `${needle}: ${JSON.stringify(res.body).slice(0, 300)}`);
        }
        assert.equal((await h.request<ListBody>('GET', '/api/v1/chats?per_page=100', { token })).status, 200);
      }
    };

    it('answers every search of admin and moderator, and finds the chats by what was searchable', async () => {
      await searchAll();
      const found = async (needle: string) => {
        const res = await h.request<ListBody>('GET', `/api/v1/chats?per_page=100&search=${encodeURIComponent(needle)}`, { token: ht.admin });
        return res.body.data.map((c) => c.external_user_id).sort();
      };
      const hostile = Object.keys(HOSTILE).sort();
      // The name each chat was created with, its external id and its message text are what the search matches, on either database.
      assert.deepEqual(await found('anna web-hostile'), hostile);
      assert.deepEqual(await found('web-hostile'), hostile);
      assert.deepEqual((await found('proszę o kontakt')).filter((id) => id.startsWith('web-hostile')), hostile);
      // Nothing deep inside the metadata is searchable, and nothing written raw became so.
      assert.deepEqual(await found('deepsecret'), []);
      assert.deepEqual(await found('Hostile Broken'), []);
      // What cannot be read as an object reads as an empty one.
      const list = await h.request<ListBody>('GET', '/api/v1/chats?per_page=100', { token: ht.admin });
      const metadata = (external: string) => list.body.data.find((c) => c.external_user_id === external)?.user_metadata;
      for (const external of ['web-hostile-broken', 'web-hostile-array', 'web-hostile-text']) assert.deepEqual(metadata(external), {}, external);
    });

    it('still answers them all after a restart', async () => {
      await h.restart();
      // fetch's pool may still hold a keep-alive socket of the old process for a moment; it drops it on the first error.
      await h.request('GET', '/api/v1/config').catch(() => undefined);
      await searchAll();
    });
  });

  describe('pagination', () => {
    it('accepts per_page from 1 to 100 and refuses 0, 101 and non-numbers with 422', async () => {
      const one = await list(t.admin, '?per_page=1&page=2');
      assert.equal(one.status, 200);
      assert.equal(one.body.data.length, 1);
      const base = `${s.url}/api/v1/chats`;
      assert.deepEqual(one.body.links, {
        first: `${base}?per_page=1&page=1`,
        last: `${base}?per_page=1&page=${facts.length}`,
        prev: `${base}?per_page=1&page=1`,
        next: `${base}?per_page=1&page=3`,
      });
      const { counts: _counts, sync_cursor: _cursor, ...meta } = one.body.meta;
      assert.deepEqual(meta, { current_page: 2, from: 2, last_page: facts.length, path: base, per_page: 1, to: 2, total: facts.length });

      const hundred = await list(t.admin, '?per_page=100');
      assert.equal(hundred.body.data.length, facts.length);
      assert.equal(hundred.body.links.next, null);
      assert.equal(hundred.body.meta.last_page, 1);

      for (const bad of ['0', '101', 'abc', '-1', '1.5']) {
        const errors = assertInvalid(await list(t.admin, `?per_page=${bad}`), ['per_page']);
        assert.equal(errors.per_page?.length, 1);
      }
      assert.deepEqual(assertInvalid(await list(t.admin, '?per_page=0'), ['per_page']).per_page, ['The per page field must be at least 1.']);
      assert.deepEqual(assertInvalid(await list(t.admin, '?per_page=101'), ['per_page']).per_page, [
        'The per page field must not be greater than 100.',
      ]);
      assertInvalid(await list(t.admin, '?page=0'), ['page']);
    });

    it('walks every page once without duplicates or gaps', async () => {
      const seen: number[] = [];
      let next: string | null = `/api/v1/chats?per_page=7&tab=all`;
      let pages = 0;
      while (next) {
        const res: { body: ListBody } = await s.request<ListBody>('GET', next.replace(s.url, ''), { token: t.admin });
        seen.push(...res.body.data.map((c) => c.id));
        next = res.body.links.next;
        pages++;
      }
      assert.equal(pages, Math.ceil(facts.length / 7));
      assert.deepEqual([...seen].sort((a, b) => a - b), facts.map((c) => c.id));
    });

    it('answers an empty page beyond the end, with the links Laravel gives', async () => {
      const res = await list(t.admin, '?page=9');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.data, []);
      const base = `${s.url}/api/v1/chats`;
      const { counts: _counts, sync_cursor: _cursor, ...meta } = res.body.meta;
      assert.deepEqual(meta, { current_page: 9, from: null, last_page: 2, path: base, per_page: 20, to: null, total: facts.length });
      assert.deepEqual(res.body.links, { first: `${base}?page=1`, last: `${base}?page=2`, prev: `${base}?page=8`, next: null });
    });

    it('keeps the filters in the links', async () => {
      const res = await list(t.mod, '?tab=unassigned&status=open&per_page=2');
      const next = new URL(res.body.links.next ?? '');
      assert.equal(next.searchParams.get('tab'), 'unassigned');
      assert.equal(next.searchParams.get('status'), 'open');
      assert.equal(next.searchParams.get('per_page'), '2');
      assert.equal(next.searchParams.get('page'), '2');
    });
  });
});
