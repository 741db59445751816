import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { ApiErrorBody, ApiMessage } from '../../common/api';
import { startServer, type TestServer } from '../helpers/server';
import { chatIdOf,
  ADMIN_ID,
  MOD_ID,
  assertError,
  assertInvalid,
  assertMessageShape,
  countRows,
  createUser,
  getChat,
  loginAll,
  send,
  webhook,
  type Tokens,
} from './support';

type MessagesBody = { data: ApiMessage[] } & Partial<ApiErrorBody>;

describe('messages', () => {
  let s: TestServer;
  let t: Tokens;
  const chatOf = (external: string) => chatIdOf(s, external);
  const messages = (token: string, id: number, query = '') => s.request<MessagesBody>('GET', `/api/v1/chats/${id}/messages${query}`, { token });
  /** An admin of its own, so that its sends do not count against another test's rate limit. */
  const freshAdmin = async () => (await createUser(s, { roles: ['admin'] })).token;
  const messageRows = async (chatId: number) => (await s.server.store.testing.messageFacts(chatId)).length;

  before(async () => {
    s = await startServer();
    t = await loginAll(s);
  });
  after(() => s.close());

  describe('GET /chats/{id}/messages', () => {
    let chatId = 0;
    const sent: number[] = [];
    before(async () => {
      // 120 messages in batches of ten at once: nine from the customer, then an operator's answer.
      const admin = await freshAdmin();
      const first = await webhook(s, 2, { external_user_id: 'history-1', text: 'message 0', user_metadata: { name: 'History Client' } });
      chatId = first.body.data.chat_id;
      sent.push(first.body.data.message.id);
      for (let batch = 0; batch < 12; batch++) {
        const customer = await Promise.all(
          Array.from({ length: batch === 0 ? 8 : 9 }, (_, i) => webhook(s, 2, { external_user_id: 'history-1', text: `message ${batch}.${i}` })),
        );
        for (const res of customer) {
          assert.equal(res.body.data.chat_id, chatId);
          sent.push(res.body.data.message.id);
        }
        const answer = await send(s, admin, chatId, { text: `answer ${batch}`, client_message_id: randomUUID() });
        assert.equal(answer.status, 201);
        sent.push(answer.body.data.id);
      }
      sent.sort((a, b) => a - b);
      assert.equal(sent.length, 120);
    });

    it('answers the newest 50 first, each with client_message_id and, for operators, the sender', async () => {
      const res = await messages(t.mod, chatId);
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body), ['data']);
      assert.equal(res.body.data.length, 50);
      assert.deepEqual(
        res.body.data.map((m) => m.id),
        [...sent].reverse().slice(0, 50),
      );
      for (const message of res.body.data) {
        assertMessageShape(message);
        assert.equal(message.chat_id, chatId);
      }
      const operator = res.body.data.find((m) => m.sender_type === 'operator');
      assert.ok(operator);
      assert.match(operator.client_message_id ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(operator.sender?.id, operator.sender_id);
      assert.ok(operator.sender?.name.startsWith('Test User'));
      const client = res.body.data.find((m) => m.sender_type === 'client');
      assert.equal(client?.sender, null);
      assert.equal(client?.sender_id, null);
      assert.equal(client?.client_message_id, null);
    });

    it('pages older messages with before_id until the start of the chat', async () => {
      const walked: number[] = [];
      let beforeId: number | undefined;
      for (;;) {
        const res: { body: MessagesBody } = await messages(t.mod, chatId, `?limit=25${beforeId ? `&before_id=${beforeId}` : ''}`);
        if (res.body.data.length === 0) break;
        assert.ok(res.body.data.length <= 25);
        walked.push(...res.body.data.map((m) => m.id));
        beforeId = res.body.data[res.body.data.length - 1]?.id;
      }
      assert.deepEqual(walked, [...sent].reverse());
      const middle = sent[60] ?? 0;
      const older = await messages(t.mod, chatId, `?before_id=${middle}&per_page=3`);
      assert.deepEqual(
        older.body.data.map((m) => m.id),
        [sent[59], sent[58], sent[57]],
      );
    });

    it('takes limit or per_page up to 100 and refuses anything else with 422', async () => {
      assert.equal((await messages(t.mod, chatId, '?per_page=100')).body.data.length, 100);
      assert.equal((await messages(t.mod, chatId, '?limit=100')).body.data.length, 100);
      assert.equal((await messages(t.mod, chatId, '?limit=7')).body.data.length, 7);
      assert.equal((await messages(t.mod, chatId, '?limit=1')).body.data.length, 1);
      assert.deepEqual(assertInvalid(await messages(t.mod, chatId, '?limit=101'), ['limit']).limit, ['The limit field must not be greater than 100.']);
      assertInvalid(await messages(t.mod, chatId, '?per_page=0'), ['per_page']);
      assertInvalid(await messages(t.mod, chatId, '?limit=many'), ['limit']);
      assertInvalid(await messages(t.mod, chatId, '?before_id=latest'), ['before_id']);
      assertInvalid(await messages(t.mod, chatId, '?before_id=0'), ['before_id']);
    });

    it('is 404 on a chat the user cannot see, whatever the query', async () => {
      assertError(await messages(t.mod2, chatId), 404, 'NOT_FOUND');
      assertError(await messages(t.mod2, chatId, '?limit=999'), 404, 'NOT_FOUND');
      assertError(await messages(t.admin, 999999), 404, 'NOT_FOUND');
    });
  });

  describe('POST /chats/{id}/send', () => {
    it('sends an operator message: 201, the message, and the chat is taken and answered', async () => {
      const id = await chatOf('tg-55012');
      const before = (await getChat(s, t.mod, id)).body.data;
      assert.equal(before.status, 'new');
      assert.ok(before.waiting_since);
      const cmid = randomUUID();
      const res = await send(s, t.mod, id, { text: 'Здравствуйте, Дмитрий! Проверяю.', client_message_id: cmid });
      assert.equal(res.status, 201);
      assert.deepEqual(Object.keys(res.body), ['data']);
      assertMessageShape(res.body.data);
      assert.equal(res.body.data.text, 'Здравствуйте, Дмитрий! Проверяю.');
      assert.equal(res.body.data.sender_type, 'operator');
      assert.deepEqual(res.body.data.sender, { id: MOD_ID, name: 'Maria Moderator' });
      assert.equal(res.body.data.client_message_id, cmid);
      assert.equal(res.body.data.chat_id, id);
      assert.deepEqual(res.body.data.attachments, []);
      const after = (await getChat(s, t.mod, id)).body.data;
      assert.equal(after.status, 'active');
      assert.equal(after.assigned_to, MOD_ID);
      assert.equal(after.waiting_since, null);
      assert.equal(after.latest_message?.id, res.body.data.id);
      assert.equal(after.last_message_at, res.body.data.created_at);
      const [newest] = (await messages(t.mod, id)).body.data;
      assert.deepEqual(newest, res.body.data);
    });

    it('accepts 4000 characters and refuses 4001 with a Laravel message', async () => {
      const id = await chatOf('tg-55012');
      const ok = await send(s, t.mod, id, { text: 'я'.repeat(4000) });
      assert.equal(ok.status, 201);
      assert.equal(ok.body.data.text?.length, 4000);
      const rows = await messageRows(id);
      const res = await send(s, t.mod, id, { text: 'я'.repeat(4001) });
      assert.deepEqual(assertInvalid(res, ['text']).text, ['The text field must not be greater than 4000 characters.']);
      assert.equal(await messageRows(id), rows);
    });

    it('counts characters, not UTF-16 units: 4000 emoji are accepted, 4001 refused', async () => {
      const id = await chatOf('tg-55012');
      const ok = await send(s, t.mod, id, { text: '😀'.repeat(4000) });
      assert.equal(ok.status, 201);
      assert.equal([...(ok.body.data.text ?? '')].length, 4000);
      const rows = await messageRows(id);
      const res = await send(s, t.mod, id, { text: '😀'.repeat(4001) });
      assert.deepEqual(assertInvalid(res, ['text']).text, ['The text field must not be greater than 4000 characters.']);
      assert.equal(await messageRows(id), rows);
    });

    it('refuses an empty message and wrong types, storing nothing', async () => {
      const id = await chatOf('tg-55012');
      const rows = await messageRows(id);
      assert.deepEqual(assertInvalid(await send(s, t.mod, id, {}), ['text']).text, ['The text field is required when attachments is not present.']);
      assertInvalid(await send(s, t.mod, id, { text: '   ' }), ['text']);
      assertInvalid(await send(s, t.mod, id, { text: null, attachments: [] }), ['text']);
      assert.deepEqual(assertInvalid(await send(s, t.mod, id, { text: 42 }), ['text']).text, ['The text field must be a string.']);
      assertInvalid(await send(s, t.mod, id, { text: 'hi', attachments: 'file.png' }), ['attachments']);
      assert.deepEqual(assertInvalid(await send(s, t.mod, id, { text: 'hi', client_message_id: 'not-a-uuid' }), ['client_message_id']).client_message_id, [
        'The client message id field must be a valid UUID.',
      ]);
      assertInvalid(await send(s, t.mod, id, { text: 'hi', attachments: ['uploads/pending/2/nope.png'] }), ['attachments.0']);
      assert.equal(await messageRows(id), rows);
    });

    it('returns the original message with 200 when a client_message_id repeats, whatever the body', async () => {
      const token = await freshAdmin();
      const id = await chatOf('web-9999');
      const cmid = randomUUID();
      const first = await send(s, token, id, { text: 'Yes, we have an API.', client_message_id: cmid });
      assert.equal(first.status, 201);
      const rows = await messageRows(id);
      const repeat = await send(s, token, id, { text: 'Something else entirely', client_message_id: cmid });
      assert.equal(repeat.status, 200);
      assert.deepEqual(repeat.body.data, first.body.data);
      assert.equal(await messageRows(id), rows);
      // Reusing it on another chat is an error, not a silent answer from the wrong chat.
      const other = await send(s, token, (await chatOf('web-7788')), { text: 'Yes, we have an API.', client_message_id: cmid });
      assert.deepEqual(assertInvalid(other, ['client_message_id']).client_message_id, [
        'The client message id has already been used for another chat.',
      ]);
      // The id is scoped to its sender: another operator's identical id is another message.
      const theirs = await send(s, t.admin, id, { text: 'Mine', client_message_id: cmid });
      assert.equal(theirs.status, 201);
      assert.notEqual(theirs.body.data.id, first.body.data.id);
    });

    it('a retry of a delivered send still gets its message after someone else took the chat', async () => {
      const token = await freshAdmin();
      const other = await createUser(s, { roles: ['moderator'], sourceIds: [1, 2] });
      const id = await chatOf('tg-64646');
      const cmid = randomUUID();
      const first = await send(s, other.token, id, { text: 'Checking with the courier now.', client_message_id: cmid });
      assert.equal(first.status, 201);
      assert.equal((await s.request('POST', `/api/v1/chats/${id}/transfer`, { token, body: { assigned_to: MOD_ID } })).status, 200);
      // The answer was lost; the desk's outbox sends again. It must not turn into a 403 (and a "failed" message).
      const retry = await send(s, other.token, id, { text: 'Checking with the courier now.', client_message_id: cmid });
      assert.equal(retry.status, 200);
      assert.deepEqual(retry.body.data, first.body.data);
      // A new message, though, is refused: the chat is someone else's now.
      assertError(await send(s, other.token, id, { text: 'And another thing', client_message_id: randomUUID() }), 403, 'FORBIDDEN');
    });

    it('stores one message when the same send arrives 20 times at once', async () => {
      const token = await freshAdmin();
      const id = await chatOf('web-7788');
      const rows = await messageRows(id);
      const cmid = randomUUID();
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => send(s, token, id, { text: 'Yes: 50% for registered non-profits.', client_message_id: cmid })),
      );
      assert.equal(await messageRows(id), rows + 1);
      const statuses = answers.map((a) => a.status).sort((a, b) => a - b);
      assert.deepEqual(statuses, [...Array<number>(19).fill(200), 201]);
      const messageIds = new Set(answers.map((a) => a.body.data.id));
      assert.equal(messageIds.size, 1);
      assert.ok(answers.every((a) => a.body.data.client_message_id === cmid));
      assert.equal(await s.server.store.testing.messagesWithClientMessageId(cmid), 1);
    });

    it('limits sending to 30 a minute per user with 429, Retry-After and X-RateLimit headers', async () => {
      const token = await freshAdmin();
      const id = await chatOf('web-7788');
      const remaining: (string | null)[] = [];
      for (let i = 0; i < 30; i++) {
        const res = await send(s, token, id, { text: `burst ${i}` });
        assert.equal(res.status, 201);
        assert.equal(res.headers.get('x-ratelimit-limit'), '30');
        remaining.push(res.headers.get('x-ratelimit-remaining'));
      }
      assert.deepEqual(
        remaining,
        Array.from({ length: 30 }, (_, i) => String(29 - i)),
      );
      const rows = await messageRows(id);
      const limited = await send(s, token, id, { text: 'one too many', client_message_id: randomUUID() });
      assertError(limited, 429, 'TOO_MANY_REQUESTS', 'Too Many Attempts.');
      const retryAfter = Number(limited.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      assert.equal(limited.headers.get('x-ratelimit-limit'), '30');
      assert.equal(limited.headers.get('x-ratelimit-remaining'), '0');
      assert.equal(await messageRows(id), rows, 'a throttled message is not stored');
      // Per user: another operator still sends.
      assert.equal((await send(s, (await freshAdmin()), id, { text: 'still fine' })).status, 201);
    });

    it('reopens a closed chat as active when an operator writes to it', async () => {
      const id = await chatOf('web-e5f6');
      const before = (await getChat(s, t.admin, id)).body.data;
      assert.equal(before.status, 'closed');
      assert.ok(before.closed_at);
      const res = await send(s, t.admin, id, { text: 'One more thing: your invoice is attached to your account.' });
      assert.equal(res.status, 201);
      const after = (await getChat(s, t.admin, id)).body.data;
      assert.equal(after.status, 'active');
      assert.equal(after.closed_at, null);
      assert.equal(after.assigned_to, ADMIN_ID);
    });

    it('makes a pending chat active; a transferred one waits for its new assignee (DESIGN §8.1), an admin reply keeping both', async () => {
      const pending = await chatOf('tg-77431');
      assert.equal((await getChat(s, t.mod, pending)).body.data.status, 'pending');
      await send(s, t.mod, pending, { text: 'Przesyłka jest już w drodze.' });
      assert.equal((await getChat(s, t.mod, pending)).body.data.status, 'active');

      const transferred = await chatOf('web-c3d4');
      assert.equal((await getChat(s, t.mod, transferred)).body.data.status, 'transferred');
      const res = await send(s, t.admin, transferred, { text: 'Korekta faktury została wystawiona.' });
      assert.equal(res.status, 201);
      const after = (await getChat(s, t.mod, transferred)).body.data;
      assert.equal(after.status, 'transferred');
      assert.equal(after.assigned_to, MOD_ID);
      await send(s, t.mod, transferred, { text: 'Dzień dobry, już sprawdzam.' });
      assert.equal((await getChat(s, t.mod, transferred)).body.data.status, 'active');
    });

    it('customer messages keep a chat new or active and count as unread', async () => {
      const res = await webhook(s, 1, { external_user_id: 'web-7f3a', text: 'Hello?' });
      assert.equal(res.status, 201);
      const chat = (await getChat(s, t.mod, res.body.data.chat_id)).body.data;
      assert.equal(chat.status, 'new');
      assert.equal(chat.unread_count, 3);
      assert.equal(res.body.data.message.is_read, false);
      assert.equal(res.body.data.message.sender_type, 'client');
    });

    it('is 403 on a chat assigned to someone else and 404 on an invisible one, before validation and rate limit', async () => {
      const id = await chatOf('tg-20202');
      const rows = await countRows(s, 'messages');
      assertError(await send(s, t.mod, id, { text: 'Not mine' }), 403, 'FORBIDDEN');
      assertError(await send(s, t.mod2, id, { text: 'Not visible' }), 404, 'NOT_FOUND');
      assertError(await send(s, t.mod2, id, {}), 404, 'NOT_FOUND');
      assertError(await send(s, t.admin, 999999, { text: 'Nowhere' }), 404, 'NOT_FOUND');
      assert.equal(await countRows(s, 'messages'), rows);
      // Requests on invisible chats do not use up the sender's budget.
      const probe = await createUser(s, { roles: ['moderator'], sourceIds: [3] });
      for (let i = 0; i < 31; i++) assertError(await send(s, probe.token, id, { text: 'x' }), 404, 'NOT_FOUND');
      assert.equal((await send(s, probe.token, (await chatOf('vk_7777')), { text: 'Hi Emma!' })).status, 201);
    });
  });
});
