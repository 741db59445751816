import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiChat, ApiMessage } from '../../common/api';
import { startServer, type TestServer } from '../helpers/server';
import { ADMIN_ID, EMPLOYEE_ID, MOD2_ID, MOD_ID, chatFacts, chatIdOf, countRows, createUser, issueToken, recordBroadcasts } from './support';
import {
  EMPLOYEE_ASSIGNED,
  EMPLOYEE_CREATED,
  assertChat,
  assertLegacyError,
  assertLegacyInvalid,
  call,
  customerChat,
  envelope,
  legacyTokens,
  stored,
  type Envelope,
  type LegacyChat,
  type LegacyListedChat,
  type LegacyTokens,
  type Pagination,
  type ShownChat,
} from './legacy-support';

// The chats family of the legacy document: list, create, show, search, end, transfer, each
// answered in its envelope with its sentences, over the same chats v1 and the desks see.

type ChatList = Envelope<{ chats: LegacyListedChat[]; pagination: Pagination }>;
type OneChat = Envelope<{ chat: LegacyChat }>;

describe('legacy chats: /api/chats', () => {
  let s: TestServer;
  let t: LegacyTokens;
  const list = (token: string, query = '') => call<ChatList>(s, 'GET', `/api/chats${query}`, token);
  const create = (token: string, body: object) => call<OneChat>(s, 'POST', '/api/chats', token, body);
  const show = (token: string, id: number | string) => call<Envelope<{ chat: ShownChat }>>(s, 'GET', `/api/chats/${id}`, token);
  const search = (token: string, query: string) => call<ChatList>(s, 'GET', `/api/chats/search${query}`, token);
  const v1Chat = (id: number) => s.request<{ data: ApiChat }>('GET', `/api/v1/chats/${id}`, { token: t.admin });
  const v1Messages = (id: number) => s.request<{ data: ApiMessage[] }>('GET', `/api/v1/chats/${id}/messages`, { token: t.admin });
  const allIds = async (token: string) => {
    const data = envelope(await list(token, '?per_page=100'), 200, 'Chats retrieved successfully');
    return data.chats.map((chat) => chat.id).sort((a, b) => a - b);
  };

  before(async () => {
    s = await startServer();
    t = await legacyTokens(s);
  });
  after(() => s.close());

  describe('GET /api/chats', () => {
    it('lists chats in the envelope, each with its users, messages_count and last_message, and the pagination block', async () => {
      const total = (await chatFacts(s)).length;
      const data = envelope(await list(t.admin), 200, 'Chats retrieved successfully');
      assert.deepEqual(Object.keys(data).sort(), ['chats', 'pagination']);
      assert.deepEqual(data.pagination, { current_page: 1, last_page: Math.ceil(total / 20), per_page: 20, total });
      assert.equal(data.chats.length, 20, 'per_page defaults to 20');
      for (const chat of data.chats) assertChat(chat, ['messages_count', 'last_message']);

      const tomasz = envelope(await list(t.admin, '?per_page=100'), 200, 'Chats retrieved successfully').chats.find((c) => c.client_name === 'Tomasz Nowak');
      assert.ok(tomasz);
      assert.equal(tomasz.client_email, 'tomasz.nowak@example.pl');
      assert.equal(tomasz.client_phone, '+48 601 234 567');
      assert.equal(tomasz.status, 'active');
      assert.equal(tomasz.user, null, 'a customer started it');
      assert.equal(tomasz.assigned_user?.id, MOD_ID);
      assert.equal(tomasz.assigned_user?.role, 'moderator');
      assert.equal(tomasz.messages_count, 3);
      assert.equal(tomasz.last_message?.message, 'Poproszę, na adres z profilu.');
      assert.equal(tomasz.last_message?.is_from_client, true);
      assert.equal(tomasz.last_message?.user, null);
    });

    it('orders by last activity, newest first, pages with per_page and page, and shows a v1 `new` chat as pending', async () => {
      const all = envelope(await list(t.admin, '?per_page=100'), 200, 'Chats retrieved successfully').chats;
      const v1 = (await s.request<{ data: ApiChat[] }>('GET', '/api/v1/chats?per_page=100', { token: t.admin })).body.data;
      assert.deepEqual(
        all.map((c) => c.id),
        v1.map((c) => c.id),
        'the same order as v1 and the desk',
      );
      for (const chat of v1) {
        const legacy = all.find((c) => c.id === chat.id);
        assert.equal(legacy?.status, chat.status === 'new' ? 'pending' : chat.status, `chat ${chat.id}`);
      }
      const second = envelope(await list(t.admin, '?per_page=5&page=2'), 200, 'Chats retrieved successfully');
      assert.deepEqual(
        second.chats.map((c) => c.id),
        all.slice(5, 10).map((c) => c.id),
      );
      assert.equal(second.pagination.current_page, 2);
      assert.equal(second.pagination.per_page, 5);
      const beyond = envelope(await list(t.admin, '?page=999'), 200, 'Chats retrieved successfully');
      assert.deepEqual(beyond.chats, []);
    });

    it('refuses per_page outside 1–100 and pages that are not numbers with 422', async () => {
      for (const query of ['?per_page=0', '?per_page=101', '?per_page=abc']) assertLegacyInvalid(await list(t.admin, query), ['per_page']);
      assertLegacyInvalid(await list(t.admin, '?page=0'), ['page']);
    });

    it('shows the employee exactly the two demo chats they take part in, though their profile names source 1', async () => {
      const expected = [await chatIdOf(s, EMPLOYEE_ASSIGNED), await chatIdOf(s, EMPLOYEE_CREATED)].sort((a, b) => a - b);
      assert.deepEqual(await allIds(t.employee), expected);
      const created = envelope(await list(t.employee), 200, 'Chats retrieved successfully').chats.find((c) => c.id === expected[1]);
      assert.equal(created?.client_name, 'Onboarding Acme Corp', 'an operator chat shows its title');
      assert.equal(created?.user?.id, EMPLOYEE_ID);
      assert.equal(created?.user?.role, 'employee');
    });

    it('shows a moderator their sources only (source 4 is not theirs)', async () => {
      const facts = await chatFacts(s);
      assert.deepEqual(
        await allIds(t.mod2),
        facts.filter((c) => c.source_id === 3).map((c) => c.id),
      );
    });
  });

  describe('POST /api/chats', () => {
    it('creates a chat on the API source with its creator taking part, answers 201, and every dialect and desk sees it', async () => {
      const broadcasts = recordBroadcasts(s);
      const res = await create(t.admin, { title: 'Чат с клиентом', description: 'Обсуждение заказа', type: 'support', assigned_to: MOD_ID, department_id: 1 });
      broadcasts.stop();
      const { chat } = envelope(res, 201, 'Chat created successfully');
      assertChat(chat);
      assert.equal(chat.client_name, 'Чат с клиентом');
      assert.equal(chat.client_phone, null);
      assert.equal(chat.client_email, null);
      assert.equal(chat.status, 'active');
      assert.equal(chat.user?.id, ADMIN_ID);
      assert.equal(chat.assigned_user?.id, MOD_ID);

      const v1 = (await v1Chat(chat.id)).body.data;
      assert.deepEqual(v1.source, { id: 4, name: 'API', type: 'api' });
      assert.equal(v1.department_id, 1);
      assert.equal(v1.assigned_to, MOD_ID);
      assert.equal(v1.user_metadata.name, 'Чат с клиентом', 'desks title a chat by this name');
      assert.match(v1.external_user_id, /^api-chat-[0-9a-f-]{36}$/);
      // The assignee's desk hears of it at once; mod does not see source 4, but takes part.
      const created = broadcasts.events.find((b) => b.event === 'ChatCreated');
      assert.ok(created?.channels.includes(`private-user.${MOD_ID}`), JSON.stringify(created?.channels));
      assert.ok(created?.channels.includes(`private-user.${ADMIN_ID}`));
      assert.ok(!created?.channels.includes(`private-user.${MOD2_ID}`));
      const modList = await s.request<{ data: ApiChat[] }>('GET', '/api/v1/chats?per_page=100', { token: t.mod });
      assert.ok(modList.body.data.some((c) => c.id === chat.id), 'the assignee lists it in v1');
    });

    it('lets an employee create one, which they and only the people in it see', async () => {
      const { chat } = envelope(await create(t.employee, { title: 'Partner sync', type: 'general' }), 201, 'Chat created successfully');
      assert.equal(chat.user?.id, EMPLOYEE_ID);
      assert.equal(chat.assigned_user, null);
      assert.ok((await allIds(t.employee)).includes(chat.id));
      assert.ok(!(await allIds(t.mod)).includes(chat.id));
      assert.ok((await allIds(t.admin)).includes(chat.id));
      // Two chats made by the same person are two chats (the one-open-chat-per-customer rule does not join them).
      const again = envelope(await create(t.employee, { title: 'Partner sync', type: 'general' }), 201, 'Chat created successfully');
      assert.notEqual(again.chat.id, chat.id);
    });

    it('refuses a missing title or type, an unknown type, a long title and users or departments that do not exist; stores nothing', async () => {
      const before = await countRows(s, 'chats');
      const inactive = await createUser(s, { roles: ['moderator'], sourceIds: [1], isActive: false });
      assert.deepEqual(assertLegacyInvalid(await create(t.admin, {}), ['title', 'type']), {
        title: ['The title field is required.'],
        type: ['The type field is required.'],
      });
      assert.deepEqual(assertLegacyInvalid(await create(t.admin, { title: 'x', type: 'other' }), ['type']).type, ['The selected type is invalid.']);
      assert.deepEqual(assertLegacyInvalid(await create(t.admin, { title: 'я'.repeat(256), type: 'sales' }), ['title']).title, [
        'The title field must not be greater than 255 characters.',
      ]);
      assert.equal((await create(t.admin, { title: 'я'.repeat(255), type: 'sales' })).status, 201, '255 characters, not UTF-16 units');
      const missing = assertLegacyInvalid(await create(t.admin, { title: 'x', type: 'sales', assigned_to: 99999, department_id: 99 }), ['assigned_to', 'department_id']);
      assert.deepEqual(missing, { assigned_to: ['The selected assigned to is invalid.'], department_id: ['The selected department id is invalid.'] });
      assertLegacyInvalid(await create(t.admin, { title: 'x', type: 'sales', assigned_to: inactive.id }), ['assigned_to']);
      assertLegacyInvalid(await create(t.admin, { title: 'x', type: 'sales', assigned_to: 'two' }), ['assigned_to']);
      assert.equal(await countRows(s, 'chats'), before + 1, 'only the 255-character one');
    });

    it('makes the API source on first use when a database has none', async () => {
      const bare = await startServer({ demo: false });
      try {
        const admin = await createUser(bare, { roles: ['admin'] });
        const first = envelope(await call<OneChat>(bare, 'POST', '/api/chats', admin.token, { title: 'First', type: 'support' }), 201, 'Chat created successfully');
        const second = envelope(await call<OneChat>(bare, 'POST', '/api/chats', admin.token, { title: 'Second', type: 'sales' }), 201, 'Chat created successfully');
        const read = (id: number) => bare.request<{ data: ApiChat }>('GET', `/api/v1/chats/${id}`, { token: admin.token });
        const a = (await read(first.chat.id)).body.data.source;
        const b = (await read(second.chat.id)).body.data.source;
        assert.equal(a.type, 'api');
        assert.equal(a.name, 'API');
        assert.deepEqual(b, a, 'one API source, made once');
      } finally {
        await bare.close();
      }
    });
  });

  describe('GET /api/chats/{id}', () => {
    it('shows the chat with its messages, oldest first', async () => {
      const id = await chatIdOf(s, 'web-a01b');
      const { chat } = envelope(await show(t.admin, id), 200, 'Chat retrieved successfully');
      assertChat(chat, ['messages']);
      assert.equal(chat.client_name, 'Emily Carter');
      assert.deepEqual(
        chat.messages.map((m) => m.message),
        [
          'Hi, the export to CSV keeps timing out for our workspace.',
          'Thanks Emily, how many rows does the export have roughly?',
          'Around 400k.',
          'That explains it — I have started a background export, you will get an email link.',
        ],
      );
      assert.deepEqual(
        chat.messages.map((m) => m.is_from_client),
        [true, false, true, false],
      );
      assert.equal(chat.messages[1]?.user?.id, ADMIN_ID);
    });

    it('is a 404 for a chat that does not exist, that the caller cannot see, or an id that is not one', async () => {
      assertLegacyError(await show(t.admin, 99999), 404, 'Chat not found.');
      assertLegacyError(await show(t.admin, 'abc'), 404, 'Chat not found.');
      assertLegacyError(await show(t.mod2, await chatIdOf(s, 'web-a01b')), 404, 'Chat not found.');
      assertLegacyError(await show(t.employee, await chatIdOf(s, 'web-a01b')), 404, 'Chat not found.');
      assert.equal((await show(t.employee, await chatIdOf(s, EMPLOYEE_ASSIGNED))).status, 200);
    });
  });

  describe('GET /api/chats/search', () => {
    const found = async (token: string, query: string) => {
      const data = envelope(await search(token, query), 200, 'Search results retrieved successfully');
      for (const chat of data.chats) assertChat(chat, ['messages_count']);
      assert.equal(data.pagination.total, data.chats.length);
      return data.chats.map((c) => c.id).sort((a, b) => a - b);
    };

    it('matches the customer name, phone, e-mail and message text, each chat with messages_count and no last_message', async () => {
      const anna = await chatIdOf(s, 'web-7f3a');
      assert.deepEqual(await found(t.admin, `?query=${encodeURIComponent('петрова')}`), [anna]);
      assert.deepEqual(await found(t.admin, `?query=${encodeURIComponent('anna.petrova@')}`), [anna]);
      assert.deepEqual(await found(t.admin, `?query=${encodeURIComponent('601 234')}`), [await chatIdOf(s, 'web-19c2')]);
      assert.deepEqual(await found(t.admin, `?query=${encodeURIComponent('ошибка 502')}`), [await chatIdOf(s, 'tg-31337')]);
      assert.deepEqual(await found(t.admin, `?query=${encodeURIComponent('Onboarding Acme')}`), [await chatIdOf(s, EMPLOYEE_CREATED)], 'an operator chat by its title');
    });

    it('filters by status, pending meaning v1 new and pending alike', async () => {
      // Every website chat's external id starts with "web-": v1's search for it, by status, is the expectation.
      const v1 = (await s.request<{ data: ApiChat[] }>('GET', '/api/v1/chats?per_page=100&search=web-', { token: t.admin })).body.data;
      const expected = (statuses: string[]) => v1.filter((c) => statuses.includes(c.status)).map((c) => c.id).sort((a, b) => a - b);
      for (const [status, statuses] of [
        ['active', ['active']],
        ['closed', ['closed']],
        ['transferred', ['transferred']],
        ['pending', ['new', 'pending']],
      ] as const) {
        const ids = await found(t.admin, `?query=web-&status=${status}`);
        assert.ok(ids.length > 0, `the demo has ${status} website chats`);
        assert.deepEqual(ids, expected([...statuses]), status);
      }
      assert.deepEqual(await found(t.admin, '?query=web-'), expected(['new', 'active', 'pending', 'transferred', 'closed']));
    });

    it('finds only within what the user sees', async () => {
      assert.deepEqual(await found(t.mod2, `?query=${encodeURIComponent('Петрова')}`), []);
      assert.deepEqual(await found(t.employee, `?query=${encodeURIComponent('Петрова')}`), []);
      assert.deepEqual(await found(t.employee, `?query=${encodeURIComponent('faktury')}`), [await chatIdOf(s, EMPLOYEE_ASSIGNED)]);
    });

    it('requires a query of at least 2 characters and a known status', async () => {
      assert.deepEqual(assertLegacyInvalid(await search(t.admin, ''), ['query']).query, ['The query field is required.']);
      assert.deepEqual(assertLegacyInvalid(await search(t.admin, '?query=a'), ['query']).query, ['The query field must be at least 2 characters.']);
      assert.deepEqual(assertLegacyInvalid(await search(t.admin, '?query=%20%20a%20'), ['query']).query, ['The query field must be at least 2 characters.']);
      assert.deepEqual(assertLegacyInvalid(await search(t.admin, '?query=ab&status=archived'), ['status']).status, ['The selected status is invalid.']);
      assert.equal((await search(t.admin, `?query=${encodeURIComponent('яя')}`)).status, 200, 'two characters of any script');
    });
  });

  describe('POST /api/chats/{id}/end', () => {
    it('closes the chat, as v1 and the desks then show it; ending it again is the same answer', async () => {
      const { chatId } = await customerChat(s);
      const { chat } = envelope(await call<OneChat>(s, 'POST', `/api/chats/${chatId}/end`, t.mod), 200, 'Chat ended successfully');
      assertChat(chat);
      assert.equal(chat.status, 'closed');
      const v1 = (await v1Chat(chatId)).body.data;
      assert.equal(v1.status, 'closed');
      assert.ok(v1.closed_at);
      assert.equal(envelope(await call<OneChat>(s, 'POST', `/api/chats/${chatId}/end`, t.mod), 200, 'Chat ended successfully').chat.status, 'closed');
    });

    it('is a 403 on a chat assigned to someone else and a 404 on one the caller cannot see, changing nothing', async () => {
      const taken = await chatIdOf(s, 'tg-20202'); // assigned to the admin
      const before = await stored(s, taken);
      assertLegacyError(await call(s, 'POST', `/api/chats/${taken}/end`, t.mod), 403, 'This chat is assigned to another operator.');
      assertLegacyError(await call(s, 'POST', `/api/chats/${taken}/end`, t.mod2), 404, 'Chat not found.');
      assertLegacyError(await call(s, 'POST', `/api/chats/${taken}/end`, t.employee), 404, 'Chat not found.');
      assert.deepEqual(await stored(s, taken), before);
      assertLegacyError(await call(s, 'GET', `/api/chats/${taken}/end`, t.admin), 405);
    });
  });

  describe('POST /api/chats/{id}/transfer', () => {
    const transfer = (token: string, chatId: number, body: object) => call<OneChat>(s, 'POST', `/api/chats/${chatId}/transfer`, token, body);

    it('assigns the chat, writes the note as a system message, and shows transferred', async () => {
      const { chatId } = await customerChat(s);
      const { chat } = envelope(await transfer(t.admin, chatId, { assigned_to: MOD_ID, note: 'Передача чата специалисту' }), 200, 'Chat transferred successfully');
      assertChat(chat);
      assert.equal(chat.status, 'transferred');
      assert.equal(chat.assigned_user?.id, MOD_ID);
      const [note] = (await v1Messages(chatId)).body.data;
      assert.equal(note?.sender_type, 'system');
      assert.match(note?.text ?? '', /Передача чата специалисту/);
      assert.equal(note?.payload.to_user_id, MOD_ID);
      assert.equal((await v1Chat(chatId)).body.data.status, 'transferred');
    });

    it('stays transferred while others write, until the new assignee replies', async () => {
      const { chatId } = await customerChat(s);
      envelope(await transfer(t.admin, chatId, { assigned_to: MOD_ID }), 200, 'Chat transferred successfully');
      // The admin may still write in it; the chat waits for its new assignee all the same.
      assert.equal((await call(s, 'POST', `/api/chats/${chatId}/send`, t.admin, { message: 'Коллега ответит вам.' })).status, 201);
      assert.equal((await v1Chat(chatId)).body.data.status, 'transferred');
      assert.equal((await v1Chat(chatId)).body.data.assigned_to, MOD_ID);
      assert.equal((await call(s, 'POST', `/api/chats/${chatId}/send`, t.mod, { message: 'Здравствуйте!' })).status, 201);
      assert.equal((await v1Chat(chatId)).body.data.status, 'active');
    });

    it('hands a chat to an employee, who then sees it (v1 still hands chats to operators only)', async () => {
      const { chatId } = await customerChat(s);
      const v1 = await s.request<{ code: string }>('POST', `/api/v1/chats/${chatId}/transfer`, { token: t.admin, body: { assigned_to: EMPLOYEE_ID } });
      assert.equal(v1.status, 422);
      assert.ok(!(await allIds(t.employee)).includes(chatId));
      const { chat } = envelope(await transfer(t.admin, chatId, { assigned_to: EMPLOYEE_ID }), 200, 'Chat transferred successfully');
      assert.equal(chat.assigned_user?.role, 'employee');
      assert.ok((await allIds(t.employee)).includes(chatId));
      // …and may answer it (it is theirs now).
      assert.equal((await call(s, 'POST', `/api/chats/${chatId}/send`, t.employee, { message: 'Здравствуйте, я посмотрю.' })).status, 201);
    });

    it('refuses unknown, inactive and unsuitable targets and a missing one with 422, changing nothing', async () => {
      const { chatId } = await customerChat(s);
      const inactive = await createUser(s, { roles: ['employee'], isActive: false });
      const before = await stored(s, chatId);
      assert.deepEqual(assertLegacyInvalid(await transfer(t.admin, chatId, {}), ['assigned_to']).assigned_to, ['The assigned to field is required.']);
      for (const target of [99999, inactive.id, MOD2_ID]) {
        assert.deepEqual(assertLegacyInvalid(await transfer(t.admin, chatId, { assigned_to: target }), ['assigned_to']).assigned_to, [
          'The selected assigned to is invalid.',
        ], `target ${target}`);
      }
      assertLegacyInvalid(await transfer(t.admin, chatId, { assigned_to: MOD_ID, note: 'я'.repeat(1001) }), ['note']);
      assert.deepEqual(await stored(s, chatId), before);
      assert.equal((await transfer(t.admin, chatId, { assigned_to: MOD_ID })).status, 200);
      assertLegacyInvalid(await transfer(t.admin, chatId, { assigned_to: MOD_ID }), ['assigned_to']);
    });

    it('is a 403 for a chat assigned to someone else and a 404 for one the caller cannot see', async () => {
      const taken = await chatIdOf(s, 'web-a01b'); // the admin's
      const before = await stored(s, taken);
      assertLegacyError(await transfer(t.mod, taken, { assigned_to: MOD_ID }), 403);
      assertLegacyError(await transfer(t.mod2, taken, { assigned_to: MOD2_ID }), 404, 'Chat not found.');
      assert.deepEqual(await stored(s, taken), before);
    });
  });

  it('answers unknown legacy paths and methods in the legacy format, and leaves v1 in its own', async () => {
    const token = await issueToken(s, ADMIN_ID);
    assertLegacyError(await call(s, 'GET', '/api/chats/1/nothing-here', token), 404, 'Resource not found.');
    const del = await call(s, 'DELETE', '/api/chats', token);
    assertLegacyError(del, 405);
    assert.match(del.headers.get('allow') ?? '', /GET/);
    const v1 = await s.request<{ code: string; message: string }>('GET', '/api/v1/chats/99999', { token });
    assert.deepEqual(v1.body, { message: 'Resource not found.', code: 'NOT_FOUND' });
    const garbled = await s.request('POST', '/api/chats', { token, body: '{"title":', headers: { 'Content-Type': 'application/json' } });
    assertLegacyInvalid(garbled, ['body']);
  });
});
