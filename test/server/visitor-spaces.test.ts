import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiChat, ApiMessage } from '../../common/api';
import type { CrmErrorBody } from '../../common/widget-api';
import { startServer, type TestServer } from '../helpers/server';
import { ADMIN_ID, loginAll, MOD_ID, type Tokens } from './support';
import { createWidget, DEMO_WIDGET_ID, DEMO_WIDGET_TOKEN, startSpace, visitorWrites } from './visitor-support';

// POST /chat/widget/spaces.json: a website visitor starts a conversation, which the desk sees as any new chat.

describe('visitor API: starting a space', () => {
  let s: TestServer;
  let tokens: Tokens;

  before(async () => {
    s = await startServer({ visitorLimits: { spacesPerIp: 1000 } });
    tokens = await loginAll(s);
  });
  after(() => s.close());

  it('answers 201 {space_token, space_id}; operators see a new chat of the widget with the visitor’s details', async () => {
    const res = await s.request<{ space_token: string; space_id: number }>('POST', '/chat/widget/spaces.json', {
      body: { token: DEMO_WIDGET_TOKEN, name: 'Anna Visitor', email: 'anna@visitor.example', page_url: 'https://shop.example.com/cart', locale: 'pl' },
    });
    assert.equal(res.status, 201);
    assert.deepEqual(Object.keys(res.body).sort(), ['space_id', 'space_token']);
    assert.match(res.body.space_token, /^[A-Za-z0-9_-]{32,}$/);
    const chat = await s.request<{ data: ApiChat }>('GET', `/api/v1/chats/${res.body.space_id}`, { token: tokens.mod });
    assert.equal(chat.status, 200);
    assert.equal(chat.body.data.status, 'new');
    assert.equal(chat.body.data.source_id, DEMO_WIDGET_ID);
    assert.equal(chat.body.data.assigned_to, null);
    assert.deepEqual(chat.body.data.user_metadata, { name: 'Anna Visitor', email: 'anna@visitor.example', locale: 'pl', page_url: 'https://shop.example.com/cart' });
    // A moderator of another source does not see it.
    assert.equal((await s.request('GET', `/api/v1/chats/${res.body.space_id}`, { token: tokens.mod2 })).status, 404);
  });

  it('refuses an unknown widget token (404) and an inactive widget (403) in the CRM format, creating nothing', async () => {
    const before = await s.server.store.testing.count('chats');
    const unknown = await s.request<CrmErrorBody>('POST', '/chat/widget/spaces.json', { body: { token: 'no-such-widget' } });
    assert.equal(unknown.status, 404);
    assert.equal(typeof unknown.body.error, 'string');
    const widget = await createWidget(s, { active: false });
    const inactive = await s.request<CrmErrorBody>('POST', '/chat/widget/spaces.json', { body: { token: widget.token } });
    assert.equal(inactive.status, 403);
    assert.equal(inactive.body.error, 'This chat is not available at the moment.');
    const missing = await s.request<CrmErrorBody>('POST', '/chat/widget/spaces.json', { body: {} });
    assert.equal(missing.status, 422);
    assert.deepEqual(missing.body.errors, { token: ['The token field is required.'] });
    assert.equal(await s.server.store.testing.count('chats'), before);
  });

  it('requires the client data the widget asks for, and validates e-mail and phone', async () => {
    const widget = await createWidget(s, { require_client_data: true, client_data_fields: ['name', 'email'] });
    const before = await s.server.store.testing.count('chats');
    const none = await s.request<CrmErrorBody>('POST', '/chat/widget/spaces.json', { body: { token: widget.token, phone: '+48 600 100 200' } });
    assert.equal(none.status, 422);
    assert.deepEqual(none.body.errors, { name: ['The name field is required.'], email: ['The email field is required.'] });
    const blank = await s.request<CrmErrorBody>('POST', '/chat/widget/spaces.json', { body: { token: widget.token, name: '  ', email: '' } });
    assert.equal(blank.status, 422);
    const bad = await s.request<CrmErrorBody>('POST', '/chat/widget/spaces.json', { body: { token: widget.token, name: 'Jan', email: 'not-an-email', phone: 'call me' } });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.errors, { email: ['The email field must be a valid email address.'], phone: ['The phone field must be a valid phone number.'] });
    assert.equal(await s.server.store.testing.count('chats'), before, 'nothing was created');
    await startSpace(s, { name: 'Jan', email: 'jan@visitor.example' }, widget.token);
  });

  it('links the space to the CRM contact with the visitor’s e-mail, and assigns the widget’s responsible operator', async () => {
    const widget = await createWidget(s, { responsible_id: MOD_ID });
    const visitor = await startSpace(s, { name: 'Emily', email: 'Emily.Carter@acme.example' }, widget.token);
    const chat = await s.server.store.chats.byId(visitor.spaceId);
    assert.ok(chat?.contact_id, 'linked to a contact');
    const contact = await s.server.store.contacts.byId(chat.contact_id);
    assert.equal(contact?.name, 'Emily Carter');
    assert.equal(chat.assigned_to, MOD_ID);
    assert.equal(chat.status, 'new');
    assert.ok(chat.participant_ids.includes(MOD_ID));
  });

  it('a visitor writing in a closed space reopens it: new when nobody has it, active when someone does', async () => {
    const visitor = await startSpace(s, { name: 'Closer' });
    assert.equal((await visitorWrites(s, visitor, 'first')).status, 201);
    assert.equal((await s.request('POST', `/api/v1/chats/${visitor.spaceId}/close`, { token: tokens.admin })).status, 200);
    assert.equal((await visitorWrites(s, visitor, 'are you there?')).status, 201);
    assert.equal((await s.server.store.chats.byId(visitor.spaceId))?.status, 'new');

    const reply = await s.request<{ data: ApiMessage }>('POST', `/api/v1/chats/${visitor.spaceId}/send`, { token: tokens.admin, body: { text: 'Yes!' } });
    assert.equal(reply.status, 201);
    assert.equal((await s.request('POST', `/api/v1/chats/${visitor.spaceId}/close`, { token: tokens.admin })).status, 200);
    assert.equal((await visitorWrites(s, visitor, 'one more thing')).status, 201);
    const reopened = await s.server.store.chats.byId(visitor.spaceId);
    assert.equal(reopened?.status, 'active');
    assert.equal(reopened?.assigned_to, ADMIN_ID);
    assert.equal(reopened?.closed_at, null);
  });

  it('limits new spaces per address (429 with Retry-After and a sentence), and the budget comes back after the window', async () => {
    const limited = await startServer({ visitorLimits: { spacesPerIp: 6, spacesWindowHours: 12 } });
    try {
      for (let i = 0; i < 6; i++) await startSpace(limited);
      const before = await limited.server.store.testing.count('chats');
      const refused = await limited.request<CrmErrorBody>('POST', '/chat/widget/spaces.json', { body: { token: DEMO_WIDGET_TOKEN } });
      assert.equal(refused.status, 429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      assert.ok(retryAfter > 11 * 3600 && retryAfter <= 12 * 3600, `Retry-After ${retryAfter}`);
      assert.match(refused.body.error, /^Too many conversations were started from your network\. Please try again in \d+ hours\.$/);
      assert.equal(await limited.server.store.testing.count('chats'), before);
      // Invalid attempts are not counted, and do not get a 429 either.
      assert.equal((await limited.request('POST', '/chat/widget/spaces.json', { body: { token: DEMO_WIDGET_TOKEN, email: 'x' } })).status, 422);
      limited.clock.advance(12 * 3600 * 1000 + 1000);
      await startSpace(limited);
    } finally {
      await limited.close();
    }
  });

  it('refuses a space token in the URL', async () => {
    const visitor = await startSpace(s);
    const res = await s.request<CrmErrorBody>('GET', `/chat/widget/messages.json?token=${DEMO_WIDGET_TOKEN}&space_token=${visitor.spaceToken}`);
    assert.equal(res.status, 422);
    assert.match(res.body.error, /X-Space-Token header, never in a URL/);
  });
});
