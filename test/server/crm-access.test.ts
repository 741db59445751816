import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CrmMessage, CrmTemplate, CrmWidget } from '../../server/dialects/crm/presenters';
import { startServer, type TestServer } from '../helpers/server';
import { createSpace, crm } from './crm-support';
import { ADMIN_ID, loginAll, type Tokens } from './support';

// Who may do what in the CRM module, endpoint by endpoint: an admin; a moderator of the widget's
// source (mod: sources 1 and 2); a moderator of another source (mod2: source 3). A widget or space
// outside the caller's sources does not exist for them (404); a write they lack the right for is a
// 403. Each refusal is proved harmless by reading the thing back through the API.

type Role = 'admin' | 'mod' | 'mod2';

interface Fixture {
  /** The thing the request acts on, as an admin reads it back: unchanged after a refusal. */
  readBack: string;
  path: string;
  body?: unknown;
}

interface Row {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Makes what the row acts on, fresh for each role. */
  setup: (s: TestServer, t: Tokens) => Promise<Fixture>;
  expect: Record<Role, number>;
}

async function adminSpace(s: TestServer, t: Tokens): Promise<{ id: number; token: string }> {
  // Responsible: the admin, so a moderator has no update right on it.
  const space = await createSpace(s, t.admin, { responsible_id: ADMIN_ID });
  return { id: space.id, token: space.token ?? '' };
}

async function openSpace(s: TestServer, t: Tokens): Promise<{ id: number; token: string }> {
  const space = await createSpace(s, t.admin);
  return { id: space.id, token: space.token ?? '' };
}

async function adminMessage(s: TestServer, t: Tokens): Promise<{ id: number; spaceId: number }> {
  const space = await openSpace(s, t);
  const res = await crm<CrmMessage>(s, 'POST', '/chat/messages.json', { token: t.admin, body: { space_id: space.id, message: 'Od admina' } });
  return { id: res.body.id, spaceId: space.id };
}

const ROWS: Row[] = [
  { name: 'show space', method: 'GET', setup: async (s, t) => { const x = await adminSpace(s, t); return { path: `/chat/spaces/${x.id}.json`, readBack: `/chat/spaces/${x.id}.json` }; }, expect: { admin: 200, mod: 200, mod2: 404 } },
  { name: 'update space (assigned to another)', method: 'PATCH', setup: async (s, t) => { const x = await adminSpace(s, t); return { path: `/chat/spaces/${x.id}.json`, body: { name: 'Changed' }, readBack: `/chat/spaces/${x.id}.json` }; }, expect: { admin: 200, mod: 403, mod2: 404 } },
  { name: 'update space (unassigned)', method: 'PATCH', setup: async (s, t) => { const x = await openSpace(s, t); return { path: `/chat/spaces/${x.id}.json`, body: { name: 'Changed' }, readBack: `/chat/spaces/${x.id}.json` }; }, expect: { admin: 200, mod: 200, mod2: 404 } },
  { name: 'delete space', method: 'DELETE', setup: async (s, t) => { const x = await openSpace(s, t); return { path: `/chat/spaces/${x.id}.json`, readBack: `/chat/spaces/${x.id}.json` }; }, expect: { admin: 204, mod: 403, mod2: 404 } },
  { name: 'close space (assigned to another)', method: 'POST', setup: async (s, t) => { const x = await adminSpace(s, t); return { path: `/chat/spaces/${x.id}/close.json`, readBack: `/chat/spaces/${x.id}.json` }; }, expect: { admin: 200, mod: 403, mod2: 404 } },
  { name: 'open space', method: 'POST', setup: async (s, t) => { const x = await openSpace(s, t); await crm(s, 'POST', `/chat/spaces/${x.id}/close.json`, { token: t.admin }); return { path: `/chat/spaces/${x.id}/open.json`, readBack: `/chat/spaces/${x.id}.json` }; }, expect: { admin: 200, mod: 200, mod2: 404 } },
  { name: 'add_client', method: 'POST', setup: async (s, t) => { const x = await adminSpace(s, t); return { path: `/chat/spaces/${x.id}/add_client.json`, body: { client_id: 2 }, readBack: `/chat/spaces/${x.id}.json` }; }, expect: { admin: 200, mod: 403, mod2: 404 } },
  { name: 'remove_client', method: 'POST', setup: async (s, t) => { const x = await adminSpace(s, t); await crm(s, 'POST', `/chat/spaces/${x.id}/add_client.json`, { token: t.admin, body: { client_id: 2 } }); return { path: `/chat/spaces/${x.id}/remove_client.json`, readBack: `/chat/spaces/${x.id}.json` }; }, expect: { admin: 200, mod: 403, mod2: 404 } },
  { name: 'change_responsible', method: 'POST', setup: async (s, t) => { const x = await adminSpace(s, t); return { path: `/chat/spaces/${x.id}/change_responsible.json`, body: { responsible_id: 2 }, readBack: `/chat/spaces/${x.id}.json` }; }, expect: { admin: 200, mod: 403, mod2: 404 } },
  { name: 'list messages', method: 'GET', setup: async (s, t) => { const x = await adminSpace(s, t); return { path: `/chat/messages.json?space_id=${x.id}`, readBack: `/chat/messages.json?space_id=${x.id}` }; }, expect: { admin: 200, mod: 200, mod2: 404 } },
  { name: 'list messages by token', method: 'GET', setup: async (s, t) => { const x = await adminSpace(s, t); return { path: `/chat/messages.json?space_token=${x.token}`, readBack: `/chat/messages.json?space_id=${x.id}` }; }, expect: { admin: 200, mod: 200, mod2: 404 } },
  { name: 'send (assigned to another)', method: 'POST', setup: async (s, t) => { const x = await adminSpace(s, t); return { path: '/chat/messages.json', body: { space_id: x.id, message: 'Hej' }, readBack: `/chat/messages.json?space_id=${x.id}` }; }, expect: { admin: 201, mod: 403, mod2: 404 } },
  { name: 'show message', method: 'GET', setup: async (s, t) => { const x = await adminMessage(s, t); return { path: `/chat/messages/${x.id}.json`, readBack: `/chat/messages/${x.id}.json` }; }, expect: { admin: 200, mod: 200, mod2: 404 } },
  { name: 'edit another’s message', method: 'PATCH', setup: async (s, t) => { const x = await adminMessage(s, t); return { path: `/chat/messages/${x.id}.json`, body: { message: 'Zmienione' }, readBack: `/chat/messages/${x.id}.json` }; }, expect: { admin: 200, mod: 403, mod2: 404 } },
  { name: 'delete another’s message', method: 'DELETE', setup: async (s, t) => { const x = await adminMessage(s, t); return { path: `/chat/messages/${x.id}.json`, readBack: `/chat/messages/${x.id}.json` }; }, expect: { admin: 204, mod: 403, mod2: 404 } },
  { name: 'show widget', method: 'GET', setup: async () => ({ path: '/chat/widgets/1.json', readBack: '/chat/widgets/1.json' }), expect: { admin: 200, mod: 200, mod2: 404 } },
  { name: 'update widget', method: 'PATCH', setup: async () => ({ path: '/chat/widgets/1.json', body: { widget: { welcome_message: 'Changed' } }, readBack: '/chat/widgets/1.json' }), expect: { admin: 200, mod: 403, mod2: 404 } },
  { name: 'regenerate widget token', method: 'PATCH', setup: async (s, t) => { const w = await crm<CrmWidget>(s, 'POST', '/chat/widgets.json', { token: t.admin, body: { name: 'M' } }); return { path: `/chat/widgets/${w.body.id}.json`, body: { widget: { token: null } }, readBack: `/chat/widgets/${w.body.id}.json` }; }, expect: { admin: 200, mod: 404, mod2: 404 } },
  { name: 'delete widget', method: 'DELETE', setup: async (s, t) => { const w = await crm<CrmWidget>(s, 'POST', '/chat/widgets.json', { token: t.admin, body: { name: 'D' } }); return { path: `/chat/widgets/${w.body.id}.json`, readBack: `/chat/widgets/${w.body.id}.json` }; }, expect: { admin: 204, mod: 404, mod2: 404 } },
  { name: 'create widget', method: 'POST', setup: async () => ({ path: '/chat/widgets.json', body: { name: 'New' }, readBack: '/chat/widgets.json?per_page=100' }), expect: { admin: 201, mod: 403, mod2: 403 } },
  { name: 'create space', method: 'POST', setup: async () => ({ path: '/chat/spaces.json', body: { widget_id: 1 }, readBack: '/chat/spaces.json?per_page=100' }), expect: { admin: 201, mod: 201, mod2: 422 } },
  { name: 'show template of source 1', method: 'GET', setup: async (s, t) => { const x = await crm<CrmTemplate>(s, 'POST', '/chat/templates.json', { token: t.admin, body: { name: 'n', code: 'c', content: 'x', widget_id: 1 } }); return { path: `/chat/templates/${x.body.id}.json`, readBack: `/chat/templates/${x.body.id}.json` }; }, expect: { admin: 200, mod: 200, mod2: 404 } },
  { name: 'update template of source 1', method: 'PATCH', setup: async (s, t) => { const x = await crm<CrmTemplate>(s, 'POST', '/chat/templates.json', { token: t.admin, body: { name: 'n', code: 'c', content: 'x', widget_id: 1 } }); return { path: `/chat/templates/${x.body.id}.json`, body: { content: 'changed' }, readBack: `/chat/templates/${x.body.id}.json` }; }, expect: { admin: 200, mod: 403, mod2: 404 } },
  { name: 'delete template of source 1', method: 'DELETE', setup: async (s, t) => { const x = await crm<CrmTemplate>(s, 'POST', '/chat/templates.json', { token: t.admin, body: { name: 'n', code: 'c', content: 'x', widget_id: 1 } }); return { path: `/chat/templates/${x.body.id}.json`, readBack: `/chat/templates/${x.body.id}.json` }; }, expect: { admin: 204, mod: 403, mod2: 404 } },
  { name: 'create template', method: 'POST', setup: async () => ({ path: '/chat/templates.json', body: { name: 'n', code: 'c', content: 'x' }, readBack: '/chat/templates.json?per_page=100' }), expect: { admin: 201, mod: 403, mod2: 403 } },
  { name: 'delete client', method: 'DELETE', setup: async (s, t) => { const x = await crm<{ id: number }>(s, 'POST', '/chat/clients.json', { token: t.admin, body: { name: 'C' } }); return { path: `/chat/clients/${x.body.id}.json`, readBack: `/chat/clients/${x.body.id}.json` }; }, expect: { admin: 204, mod: 403, mod2: 403 } },
];

describe('CRM access matrix', () => {
  let s: TestServer;
  let t: Tokens;

  before(async () => {
    s = await startServer({ sendPerMinute: 10_000 });
    t = await loginAll(s);
  });
  after(() => s.close());

  for (const row of ROWS) {
    it(`${row.method} ${row.name}: admin ${row.expect.admin}, moderator of the source ${row.expect.mod}, of another source ${row.expect.mod2}`, async () => {
      for (const role of ['mod2', 'mod', 'admin'] as const) {
        const fixture = await row.setup(s, t);
        const before = await crm(s, 'GET', fixture.readBack, { token: t.admin });
        const res = await crm(s, row.method, fixture.path, { token: t[role], body: fixture.body });
        assert.equal(res.status, row.expect[role], `${role}: ${JSON.stringify(res.body)}`);
        if (res.status >= 400) {
          assert.deepEqual(Object.keys(res.body as object).sort(), res.status === 422 ? ['error', 'errors'] : ['error'], role);
          const afterwards = await crm(s, 'GET', fixture.readBack, { token: t.admin });
          assert.deepEqual(afterwards.body, before.body, `${role}'s refused ${row.method} changed nothing`);
        }
      }
    });
  }
});
