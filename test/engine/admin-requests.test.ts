import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BridgeError, type BridgeClient } from '../../common/bridge';
import { startServer, type TestServer } from '../helpers/server';
import { openDesk, signedInDesk, type Desk } from './helpers';
import { startHttpProxy } from './proxies';

// Settings → account and administration through the engine: straight to the server, its
// refusals as BridgeErrors the desk can show (forbidden, validation with fields, not found),
// and an unreachable server as `offline` — nothing of it is queued for later.

async function refusal(promise: Promise<unknown>): Promise<BridgeError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof BridgeError, `a BridgeError, got ${String(error)}`);
    return error;
  }
  assert.fail('the request was expected to fail');
}

describe('desk engine: account and administration requests', () => {
  let server: TestServer;
  let admin: Desk;
  let mod: Desk;
  before(async () => {
    server = await startServer({ loginPerMinute: 100 });
    admin = await signedInDesk(server, 'admin@example.com');
    mod = await signedInDesk(server, 'mod@example.com');
  });
  after(async () => {
    await admin.destroy();
    await mod.destroy();
    await server.close();
  });

  it('creates an operator, and refuses a bad one with field errors (the schema’s, then the server’s) and nothing created', async () => {
    const client: BridgeClient = admin.client;
    const before = (await client.invoke('admin.users.list', {})).users.length;
    // The password rule is the server's schema, checked before anything is sent.
    const weak = await refusal(client.invoke('admin.users.create', { body: { name: 'Olga', email: 'olga@example.com', role: 'moderator', password: 'password' } }));
    assert.equal(weak.code, 'validation');
    assert.deepEqual(Object.keys(weak.fields ?? {}), ['password']);
    // Only the server knows an email is taken: its 422, field by field.
    const taken = await refusal(client.invoke('admin.users.create', { body: { name: 'Olga', email: 'mod@example.com', role: 'moderator', password: 'violet-harbour-42' } }));
    assert.equal(taken.code, 'validation');
    assert.deepEqual(Object.keys(taken.fields ?? {}), ['email']);
    assert.equal((await client.invoke('admin.users.list', {})).users.length, before);

    const { user } = await client.invoke('admin.users.create', { body: { name: 'Olga', email: 'olga@example.com', role: 'moderator', password: 'violet-harbour-42', source_ids: [3] } });
    assert.deepEqual({ name: user.name, roles: user.roles, source_ids: user.source_ids, is_active: user.is_active }, { name: 'Olga', roles: ['moderator'], source_ids: [3], is_active: true });
    const off = await client.invoke('admin.users.setActive', { id: user.id, active: false });
    assert.equal(off.user.is_active, false);
    assert.equal((await client.invoke('admin.users.list', {})).users.length, before + 1, 'the list holds inactive operators too');
  });

  it('answers a moderator’s administration request with forbidden, in the server’s words', async () => {
    const refused = await refusal(mod.client.invoke('admin.sources.list', {}));
    assert.equal(refused.code, 'forbidden');
    assert.notEqual(refused.message, '');
    // Their own account is theirs.
    assert.equal((await mod.client.invoke('account.profile', {})).user.email, 'mod@example.com');
  });

  it('creates and revokes a personal token (204 answers included); an unknown one is not found, a malformed id never sent', async () => {
    const created = await mod.client.invoke('tokens.create', { name: 'script' });
    assert.match(created.secret, /^\d+\|/);
    assert.equal(typeof created.token.createdAt, 'number');
    assert.deepEqual((await mod.client.invoke('tokens.list', {})).tokens.map((token) => token.name), ['script']);
    await mod.client.invoke('tokens.revoke', { id: created.token.id });
    assert.deepEqual((await mod.client.invoke('tokens.list', {})).tokens, []);
    assert.equal((await refusal(mod.client.invoke('tokens.revoke', { id: created.token.id }))).code, 'not_found');
    assert.equal((await refusal(mod.client.invoke('tokens.revoke', { id: -1 }))).code, 'validation');
  });

  it('says offline when the server cannot be reached, and queues nothing', async () => {
    const proxy = await startHttpProxy(server.url);
    const desk = await signedInDesk(proxy, 'admin@example.com');
    try {
      proxy.cut();
      const refused = await refusal(desk.client.invoke('admin.departments.create', { body: { name: 'Night shift' } }));
      assert.equal(refused.code, 'offline');
      assert.deepEqual((await desk.client.invoke('outbox.list', {})).entries, []);
      proxy.heal();
      const names = (await admin.client.invoke('admin.departments.list', {})).departments.map((department) => department.name);
      assert.ok(!names.includes('Night shift'));
    } finally {
      await desk.destroy();
      await proxy.close();
    }
  });

  it('needs a session', async () => {
    const desk = openDesk();
    try {
      assert.equal((await refusal(desk.client.invoke('devices.list', {}))).code, 'not_signed_in');
    } finally {
      await desk.destroy();
    }
  });
});
