import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server';
import { ADMIN_ID, MOD_ID, createUser, issueToken, webhook } from './support';
import { assertLegacyError, call, envelope, stored, type Envelope, type LegacyChatMessage, type LegacyListedChat, type Pagination } from './legacy-support';

// The legacy document's three rules, each as a matrix that also proves a refusal changed nothing:
// - "a user sees only the chats they take part in" (an employee has no other rule; a moderator also
//   sees their sources; DESIGN §2 participants);
// - "only those who outrank a message's author may hide it" (admin > moderator > employee > customer);
// - "only chat administrators send system messages" (admins, and moderators with the update right).

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

type ChatList = Envelope<{ chats: LegacyListedChat[]; pagination: Pagination }>;

describe('legacy rules', () => {
  let s: TestServer;
  let seq = 0;
  let admin = '';

  /** A fresh customer chat on `sourceId` whose first message carries an attachment: `{chatId, messageId, attachmentId}`. */
  async function customerChat(sourceId: number) {
    seq++;
    const res = await webhook(s, sourceId, {
      external_user_id: `rules-${seq}`,
      text: `Rule probe ${seq}`,
      user_metadata: { name: `Probe Customer ${seq}` },
      attachments: [{ name: 'probe.png', content_base64: PNG.toString('base64') }],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return { chatId: res.body.data.chat_id, messageId: res.body.data.message.id, attachmentId: res.body.data.message.attachments[0]?.id ?? 0, needle: `Probe Customer ${seq}` };
  }

  before(async () => {
    // The matrices send many messages as few users: the quota is tested elsewhere (legacy-messages).
    s = await startServer({ sendPerMinute: 10_000 });
    admin = await issueToken(s, ADMIN_ID);
  });
  after(() => s.close());

  describe('who sees which chat (role × endpoint × a chat they take part in / one they do not)', () => {
    type Endpoint = 'list' | 'search' | 'show' | 'messages' | 'alt-messages' | 'file' | 'send' | 'alt-send' | 'hide' | 'system' | 'end' | 'transfer';
    // Transfer last: it hands the chat away.
    const ENDPOINTS: Endpoint[] = ['list', 'search', 'show', 'messages', 'alt-messages', 'file', 'send', 'alt-send', 'hide', 'system', 'end', 'transfer'];
    type Probe = Awaited<ReturnType<typeof customerChat>>;

    /** The answer's status, and for the list endpoints whether the chat is in it. */
    async function ask(token: string, endpoint: Endpoint, probe: Probe): Promise<number | 'listed' | 'absent'> {
      const chat = `/api/chats/${probe.chatId}`;
      const listed = (res: { body: ChatList }) => (res.body.data.chats.some((c) => c.id === probe.chatId) ? 'listed' : 'absent');
      switch (endpoint) {
        case 'list':
          return listed(await call<ChatList>(s, 'GET', '/api/chats?per_page=100', token));
        case 'search':
          return listed(await call<ChatList>(s, 'GET', `/api/chats/search?query=${encodeURIComponent(probe.needle)}`, token));
        case 'show':
          return (await call(s, 'GET', chat, token)).status;
        case 'messages':
          return (await call(s, 'GET', `${chat}/messages`, token)).status;
        case 'alt-messages':
          return (await call(s, 'GET', `/api/messages/chats/${probe.chatId}`, token)).status;
        case 'file':
          return (await fetch(`${s.url}/api/attachments/${probe.attachmentId}`, { headers: { Authorization: `Bearer ${token}` } })).status;
        case 'send':
          return (await call(s, 'POST', `${chat}/send`, token, { message: 'probe' })).status;
        case 'alt-send':
          return (await call(s, 'POST', `/api/messages/chats/${probe.chatId}`, token, { content: 'probe' })).status;
        case 'hide':
          return (await call(s, 'POST', `/api/messages/${probe.messageId}/hide`, token)).status;
        case 'system':
          return (await call(s, 'POST', `/api/messages/chats/${probe.chatId}/system-message`, token, { content: 'probe' })).status;
        case 'end':
          return (await call(s, 'POST', `${chat}/end`, token)).status;
        case 'transfer':
          return (await call(s, 'POST', `${chat}/transfer`, token, { assigned_to: ADMIN_ID })).status;
        default: {
          const unreachable: never = endpoint;
          throw new Error(`unknown endpoint ${String(unreachable)}`);
        }
      }
    }

    const ROLES = {
      // The demo employee's profile names source 1; an employee still sees none of its chats.
      employee: { roles: ['employee'] as const, sourceIds: [1] },
      'moderator of source 3': { roles: ['moderator'] as const, sourceIds: [3] },
    };
    // What someone who takes part may do: everything an operator does on an unassigned chat, but
    // system messages are for moderators (with the update right) and admins only.
    const ALLOWED: Record<keyof typeof ROLES, Record<Endpoint, number | 'listed'>> = {
      employee: { list: 'listed', search: 'listed', show: 200, messages: 200, 'alt-messages': 200, file: 200, send: 201, 'alt-send': 201, hide: 200, system: 403, end: 200, transfer: 200 },
      'moderator of source 3': { list: 'listed', search: 'listed', show: 200, messages: 200, 'alt-messages': 200, file: 200, send: 201, 'alt-send': 201, hide: 200, system: 201, end: 200, transfer: 200 },
    };

    for (const [role, profile] of Object.entries(ROLES) as [keyof typeof ROLES, (typeof ROLES)[keyof typeof ROLES]][]) {
      it(`${role}: a chat they take part in answers as the rules say`, async () => {
        const user = await createUser(s, { roles: [...profile.roles], sourceIds: profile.sourceIds });
        const probe = await customerChat(1);
        // They wrote in it before (a participant, and the chat still nobody's).
        await s.server.store.chats.addParticipants(probe.chatId, [user.id]);
        for (const endpoint of ENDPOINTS) {
          const before = endpoint === 'system' ? await stored(s, probe.chatId) : undefined;
          assert.equal(await ask(user.token, endpoint, probe), ALLOWED[role][endpoint], `${role} × ${endpoint}`);
          if (before && ALLOWED[role][endpoint] === 403) assert.deepEqual(await stored(s, probe.chatId), before, `${role} × ${endpoint}: the refusal changed nothing`);
        }
      });

      it(`${role}: a chat they do not take part in does not exist for them, and nothing they try changes it`, async () => {
        const user = await createUser(s, { roles: [...profile.roles], sourceIds: profile.sourceIds });
        const probe = await customerChat(1);
        const before = await stored(s, probe.chatId);
        for (const endpoint of ENDPOINTS) {
          const expected = endpoint === 'list' || endpoint === 'search' ? 'absent' : 404;
          assert.equal(await ask(user.token, endpoint, probe), expected, `${role} × ${endpoint}`);
        }
        assert.deepEqual(await stored(s, probe.chatId), before, 'nothing changed');
        // The same chat, for someone who sees it: all there.
        assert.equal(await ask(admin, 'show', probe), 200);
      });
    }

    it('the 404 for a chat one does not take part in reads like one for no chat at all', async () => {
      const user = await createUser(s, { roles: ['employee'] });
      const probe = await customerChat(1);
      const invisible = await call(s, 'GET', `/api/chats/${probe.chatId}`, user.token);
      const missing = await call(s, 'GET', '/api/chats/99999999', user.token);
      assertLegacyError(invisible, 404, 'Chat not found.');
      assert.deepEqual(invisible.body, missing.body);
    });
  });

  describe('who may hide whose message (actor × author × a chat they take part in / one they do not)', () => {
    const RANK = { customer: 0, employee: 1, moderator: 2, admin: 3 } as const;
    type Rank = keyof typeof RANK;
    const AUTHORS: Rank[] = ['customer', 'employee', 'moderator', 'admin'];
    const ACTORS: Exclude<Rank, 'customer'>[] = ['admin', 'moderator', 'employee'];

    /**
     * A chat with one message by each rank, written as people write them: the customer through the
     * webhook, then an employee answers and hands it to a moderator, who answers and hands it to the
     * admin, who answers. The employee and the moderator (of source 1) still see it afterwards.
     */
    async function chatByEveryRank(employee: { id: number; token: string }) {
      const { chatId, messageId } = await customerChat(1);
      // The employee takes part (they were asked in); the chat is still nobody's.
      await s.server.store.chats.addParticipants(chatId, [employee.id]);
      const employeeToken = employee.token;
      const ids: Record<Rank, number> = { customer: messageId, employee: 0, moderator: 0, admin: 0 };
      const writeAs = async (token: string, text: string) => {
        const res = await call<Envelope<{ message: LegacyChatMessage }>>(s, 'POST', `/api/chats/${chatId}/send`, token, { message: text });
        return envelope(res, 201, 'Message sent successfully').message.id;
      };
      const handTo = async (token: string, to: number) => assert.equal((await call(s, 'POST', `/api/chats/${chatId}/transfer`, token, { assigned_to: to })).status, 200);
      ids.employee = await writeAs(employeeToken, 'from the employee');
      await handTo(employeeToken, MOD_ID);
      ids.moderator = await writeAs(modToken, 'from the moderator');
      await handTo(modToken, ADMIN_ID);
      ids.admin = await writeAs(admin, 'from the admin');
      return { chatId, ids };
    }

    let modToken = '';
    before(async () => {
      modToken = await issueToken(s, MOD_ID);
    });

    for (const actor of ACTORS) {
      it(`${actor}: hides exactly the messages of lower ranks, in a chat they see`, async () => {
        const employee = await createUser(s, { roles: ['employee'] });
        const { chatId, ids } = await chatByEveryRank(employee);
        const token = actor === 'admin' ? admin : actor === 'moderator' ? modToken : employee.token;
        for (const author of AUTHORS) {
          const allowed = RANK[actor] > RANK[author];
          const before = await stored(s, chatId);
          const res = await call(s, 'POST', `/api/messages/${ids[author]}/hide`, token);
          if (allowed) {
            assert.equal(res.status, 200, `${actor} hides ${author}: ${JSON.stringify(res.body)}`);
            const after = await stored(s, chatId);
            assert.equal(after.messages.find((m) => m.id === ids[author])?.is_hidden, true);
          } else {
            assertLegacyError(res, 403, 'Only someone who outranks its author may hide this message.');
            assert.deepEqual(await stored(s, chatId), before, `${actor} × ${author}: the refusal changed nothing`);
          }
        }
      });
    }

    it('nobody hides anything in a chat they do not see, whoever wrote it', async () => {
      const employee = await createUser(s, { roles: ['employee'] });
      const { chatId, ids } = await chatByEveryRank(employee);
      const outsiders = {
        // Neither takes part; the moderator's source is another one, the employee's is the chat's own.
        moderator: (await createUser(s, { roles: ['moderator'], sourceIds: [3] })).token,
        employee: (await createUser(s, { roles: ['employee'], sourceIds: [1] })).token,
      };
      const before = await stored(s, chatId);
      for (const [actor, token] of Object.entries(outsiders)) {
        for (const author of AUTHORS) {
          const res = await call(s, 'POST', `/api/messages/${ids[author]}/hide`, token);
          assert.equal(res.status, 404, `${actor} hides ${author}`);
          assertLegacyError(res, 404, 'Message not found.');
        }
      }
      assert.deepEqual(await stored(s, chatId), before, 'nothing changed');
    });
  });

  describe('who may send system messages (role × endpoint × chat)', () => {
    type Via = 'system-message' | 'send type=system' | 'alt-send type=system';
    const VIAS: Via[] = ['system-message', 'send type=system', 'alt-send type=system'];

    function systemMessage(token: string, chatId: number, via: Via) {
      switch (via) {
        case 'system-message':
          return call(s, 'POST', `/api/messages/chats/${chatId}/system-message`, token, { content: 'Чат передан другому специалисту' });
        case 'send type=system':
          return call(s, 'POST', `/api/chats/${chatId}/send`, token, { message: 'Чат передан другому специалисту', type: 'system' });
        case 'alt-send type=system':
          return call(s, 'POST', `/api/messages/chats/${chatId}`, token, { content: 'Чат передан другому специалисту', type: 'system' });
        default: {
          const unreachable: never = via;
          throw new Error(`unknown way ${String(unreachable)}`);
        }
      }
    }

    interface Case {
      who: string;
      chat: string;
      /** The token, and a fresh chat of the kind the case names. */
      setup(): Promise<{ token: string; chatId: number }>;
      expected: 201 | 403 | 404;
    }

    const fresh = async (sourceId: number, options: { participant?: number; assignTo?: number } = {}) => {
      const { chatId } = await customerChat(sourceId);
      if (options.participant !== undefined) await s.server.store.chats.addParticipants(chatId, [options.participant]);
      if (options.assignTo !== undefined) assert.equal((await call(s, 'POST', `/api/chats/${chatId}/transfer`, admin, { assigned_to: options.assignTo })).status, 200);
      return chatId;
    };

    const CASES: Case[] = [
      { who: 'admin', chat: 'any chat, assigned to someone else', expected: 201, setup: async () => ({ token: admin, chatId: await fresh(3, { assignTo: MOD_ID + 1 }) }) },
      { who: 'moderator', chat: 'an unassigned chat of their source', expected: 201, setup: async () => ({ token: await issueToken(s, MOD_ID), chatId: await fresh(1) }) },
      { who: 'moderator', chat: 'a chat of their source assigned to them', expected: 201, setup: async () => ({ token: await issueToken(s, MOD_ID), chatId: await fresh(2, { assignTo: MOD_ID }) }) },
      { who: 'moderator', chat: 'a chat they take part in, outside their sources', expected: 201, setup: async () => ({ token: await issueToken(s, MOD_ID), chatId: await fresh(3, { participant: MOD_ID }) }) },
      { who: 'moderator', chat: 'a chat of their source assigned to someone else', expected: 403, setup: async () => ({ token: await issueToken(s, MOD_ID), chatId: await fresh(1, { assignTo: ADMIN_ID }) }) },
      { who: 'moderator', chat: 'a chat they do not see', expected: 404, setup: async () => ({ token: await issueToken(s, MOD_ID), chatId: await fresh(3) }) },
      {
        who: 'employee',
        chat: 'a chat they take part in, unassigned',
        expected: 403,
        setup: async () => {
          const employee = await createUser(s, { roles: ['employee'] });
          return { token: employee.token, chatId: await fresh(1, { participant: employee.id }) };
        },
      },
      {
        who: 'employee',
        chat: 'a chat assigned to them',
        expected: 403,
        setup: async () => {
          const employee = await createUser(s, { roles: ['employee'] });
          return { token: employee.token, chatId: await fresh(1, { assignTo: employee.id }) };
        },
      },
      {
        who: 'employee',
        chat: 'a chat they do not take part in',
        expected: 404,
        setup: async () => ({ token: (await createUser(s, { roles: ['employee'], sourceIds: [1] })).token, chatId: await fresh(1) }),
      },
    ];

    for (const c of CASES) {
      it(`${c.who} × ${c.chat}: ${c.expected} on every way of sending one`, async () => {
        for (const via of VIAS) {
          const { token, chatId } = await c.setup();
          const before = await stored(s, chatId);
          const res = await systemMessage(token, chatId, via);
          if (c.expected === 201) {
            assert.equal(res.status, 201, `${via}: ${JSON.stringify(res.body)}`);
            const after = await stored(s, chatId);
            assert.equal(after.messages.length, before.messages.length + 1);
            assert.equal((await s.server.store.messages.byId(after.messages.at(-1)?.id ?? 0))?.sender_type, 'system');
          } else {
            assertLegacyError(res, c.expected);
            assert.deepEqual(await stored(s, chatId), before, `${via}: the refusal changed nothing`);
          }
        }
      });
    }
  });
});
