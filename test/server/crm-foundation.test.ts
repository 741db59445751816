import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readWidgetSettings } from '../../server/domain/widget-settings';
import { generatePublicToken } from '../../server/domain/public-tokens';
import { startServer, type TestServer } from '../helpers/server';
import { chatIdOf, webhook } from './support';

// What the CRM module and the visitor API stand on: contacts and their matching, widgets as
// sources with settings and tokens, the CRM error format under /chat, and the demo's widget.

describe('CRM foundation', () => {
  let s: TestServer;

  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('the demo widget is source 1 with its token and settings, and one demo contact is linked to a chat', async () => {
    const widget = await s.server.store.widgets.byToken('demo-widget-token');
    assert.equal(widget?.id, 1);
    const settings = readWidgetSettings(widget?.settings);
    assert.equal(settings.title, 'Pomoc');
    assert.equal(settings.use_opening_hours, false);
    assert.equal(settings.messages_after_hours, true);
    assert.equal(settings.allow_client_attachments, true);
    assert.equal(settings.require_client_data, false);
    assert.deepEqual(settings.allowed_domains, []);
    const contacts = await s.server.store.contacts.list(1, 100);
    assert.ok(contacts.total >= 2);
    const chat = await s.server.store.chats.byId(await chatIdOf(s, 'web-19c2'));
    assert.equal(chat?.contact_id, contacts.rows.find((c) => c.name === 'Tomasz Nowak')?.id);
    assert.equal(await s.server.store.widgets.byId(2), undefined, 'a Telegram source is no widget');
  });

  it('widgets are created, listed by source, updated, re-tokened and deleted through the store', async () => {
    const { widgets } = s.server.store;
    const token = generatePublicToken();
    assert.match(token, /^[A-Za-z0-9_-]{32}$/, '192 bits, URL-safe');
    assert.notEqual(generatePublicToken(), token);
    const id = await widgets.create({ name: 'Shop', webhookSecret: 'x', publicToken: token, settings: { title: 'Shop help' } }, Date.now());
    assert.equal((await widgets.byToken(token))?.id, id);
    assert.deepEqual((await widgets.list([id], 1, 25)).rows.map((w) => w.id), [id]);
    assert.deepEqual((await widgets.list([2, 3], 1, 25)).rows, [], 'only widget sources are listed');
    assert.ok((await widgets.list('all', 1, 25)).rows.some((w) => w.id === 1));
    const next = generatePublicToken();
    assert.equal(await widgets.update(id, { publicToken: next, settings: { title: 'Renamed' } }, Date.now()), true);
    assert.equal(await widgets.byToken(token), undefined, 'the old token stops working');
    assert.equal(readWidgetSettings((await widgets.byToken(next))?.settings).title, 'Renamed');
    assert.equal(await widgets.update(2, { name: 'Not a widget' }, Date.now()), false);
    assert.equal((await s.server.store.catalog.source(2))?.name, 'Telegram');
    assert.equal(await widgets.chatCount(1) > 0, true);
    assert.equal(await widgets.delete(id), true);
    assert.equal(await widgets.byId(id), undefined);
  });

  it('contacts are found by e-mail ignoring case, else by the digits of their phone', async () => {
    const { contacts } = s.server.store;
    const now = Date.now();
    const anna = await contacts.create({ name: 'Anna', email: 'Anna.Kowalska@Example.PL', phone: null, company: null, notes: null }, now);
    const piotr = await contacts.create({ name: 'Piotr', email: null, phone: '+48 512-345-678', company: 'Firma', notes: null }, now);
    assert.equal((await contacts.findByEmailOrPhone('anna.kowalska@example.pl', null))?.id, anna);
    assert.equal((await contacts.findByEmailOrPhone(null, '+48512345678'))?.id, piotr);
    assert.equal((await contacts.findByEmailOrPhone('nobody@example.com', '+48 512 345 678'))?.id, piotr, 'the phone when the e-mail matches none');
    assert.equal(await contacts.findByEmailOrPhone('nobody@example.com', '123'), undefined, 'too few digits is no phone');
    assert.equal(await contacts.findByEmailOrPhone(null, null), undefined);
    assert.equal(await contacts.update(piotr, { phone: '+48 600 000 000', notes: 'VIP' }, now), true);
    const updated = await contacts.byId(piotr);
    assert.deepEqual([updated?.phone, updated?.notes, updated?.company], ['+48 600 000 000', 'VIP', 'Firma']);
    assert.equal(await contacts.findByEmailOrPhone(null, '+48512345678'), undefined, 'the old phone no longer finds it');
    const search = await contacts.list(1, 10, 'kowalska');
    assert.deepEqual(search.rows.map((c) => c.id), [anna]);
    assert.equal(await contacts.update(999_999, { name: 'x' }, now), false);
  });

  it('a webhook customer with a contact’s e-mail or phone is linked to that contact, once', async () => {
    const now = Date.now();
    const contactId = await s.server.store.contacts.create({ name: 'Olga', email: 'olga@example.ru', phone: '+7 916 123-45-67', company: null, notes: null }, now);
    const byEmail = await webhook(s, 2, { external_user_id: 'tg-olga', user_metadata: { name: 'Olga', email: 'OLGA@example.ru' }, text: 'Привет' });
    assert.equal(byEmail.status, 201);
    assert.equal((await s.server.store.chats.byId(byEmail.body.data.chat_id))?.contact_id, contactId);

    const byPhone = await webhook(s, 3, { external_user_id: 'vk-olga', text: 'Здравствуйте' });
    const chatId = byPhone.body.data.chat_id;
    assert.equal((await s.server.store.chats.byId(chatId))?.contact_id, null, 'no details, no link');
    await webhook(s, 3, { external_user_id: 'vk-olga', user_metadata: { phone: '+79161234567' }, text: 'Мой телефон' });
    assert.equal((await s.server.store.chats.byId(chatId))?.contact_id, contactId, 'linked once the phone arrives');

    // A link changed by hand is kept when the customer writes again.
    const other = await s.server.store.contacts.create({ name: 'Other', email: 'other@example.com', phone: null, company: null, notes: null }, now);
    await s.server.store.chats.setContact(chatId, other, now);
    await webhook(s, 3, { external_user_id: 'vk-olga', user_metadata: { email: 'olga@example.ru' }, text: 'Ещё' });
    assert.equal((await s.server.store.chats.byId(chatId))?.contact_id, other);

    const stranger = await webhook(s, 2, { external_user_id: 'tg-stranger', user_metadata: { email: 'stranger@example.com' }, text: 'Hi' });
    assert.equal((await s.server.store.chats.byId(stranger.body.data.chat_id))?.contact_id, null);
  });

  it('every path under /chat answers failures in the CRM format', async () => {
    for (const path of ['/chat/nothing.json', '/chat', '/chat/widget/unknown.json', '/chat/spaces/abc/zzz.json']) {
      const res = await s.request('GET', path);
      assert.equal(res.status, 404, path);
      assert.deepEqual(res.body, { error: 'Not found.' }, path);
    }
    // Other paths keep their own dialect's format.
    const v1 = await s.request('GET', '/api/v1/nothing');
    assert.deepEqual(Object.keys(v1.body as object).sort(), ['code', 'message']);
  });
});
