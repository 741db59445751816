// The web desk on one server node while customers write through another: two nodes on one
// PostgreSQL and one Redis (DESIGN §11), as behind a load balancer that sent them different ways.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiMessage } from '../../common/api';
import { startWebDesk, type WebDesk } from '../../main/web/desk';
import { webhookHeaders } from '../../server/dialects/v1/webhook-signature';
import { createTestDatabase, startPostgresCluster, type PostgresCluster, type TestDatabase } from '../helpers/postgres';
import { startRedis, type TestRedis } from '../helpers/redis';
import { startServer, type TestServer } from '../helpers/server';
import { DEMO_WEBHOOK_SECRET, MOD, chatOption, expect, openChat, thread } from './fixtures';
import { test } from '@playwright/test';

let cluster: PostgresCluster;
let database: TestDatabase;
let redis: TestRedis;
let deskNode: TestServer;
let customerNode: TestServer;
let desk: WebDesk;
let deskDir: string;

test.describe.configure({ timeout: 120_000 });

test.beforeAll(async () => {
  [cluster, redis] = await Promise.all([startPostgresCluster(), startRedis()]);
  database = await createTestDatabase(cluster.adminUrl);
  const shared = { databaseUrl: database.url, redisUrl: redis.url };
  deskNode = await startServer(shared);
  customerNode = await startServer(shared);
  deskDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-cluster-desk-'));
  desk = await startWebDesk({ dataDir: deskDir, port: 0, defaultServerUrl: deskNode.url, engine: { timing: { pollIntervalMs: 600_000 } } });
});

test.afterAll(async () => {
  await desk?.close();
  await Promise.all([deskNode?.close(), customerNode?.close()]);
  await redis?.stop();
  await database?.drop();
  await cluster?.stop();
  if (deskDir) rmSync(deskDir, { recursive: true, force: true });
});

async function customerWrites(externalUserId: string, text: string, name: string): Promise<{ chatId: number; message: ApiMessage }> {
  const raw = JSON.stringify({ external_user_id: externalUserId, text, user_metadata: { name } });
  const response = await fetch(`${customerNode.url}/api/v1/webhooks/sources/2`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...webhookHeaders(DEMO_WEBHOOK_SECRET, raw, customerNode.clock.now()) },
    body: raw,
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  const { data } = (await response.json()) as { data: { chat_id: number; message: ApiMessage } };
  return { chatId: data.chat_id, message: data.message };
}

test('a desk on node A hears customers writing through node B, live, and its answers are on B', async ({ page }) => {
  await page.goto(desk.url);
  await page.getByLabel('Server address').fill(deskNode.url);
  await page.getByLabel('Email').fill(MOD.email);
  await page.getByLabel('Password').fill('password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const later = page.getByRole('button', { name: 'Not now' });
  await expect(page.getByRole('listbox', { name: 'Chats' })).toBeVisible();
  if (await later.isVisible()) await later.click();
  await page.getByRole('tab', { name: /^All/ }).click();

  // A new chat through B appears on A's desk without a poll (ten minutes apart here): over Redis.
  const { chatId } = await customerWrites('tg-cluster', 'Hello from behind the other node', 'Cluster Customer');
  await expect(chatOption(page, /Cluster Customer/)).toContainText('Hello from behind the other node');
  await openChat(page, /Cluster Customer/);
  await customerWrites('tg-cluster', 'Order 5521, please', 'Cluster Customer');
  await expect(thread(page).getByText('Order 5521, please')).toBeVisible();

  // The operator answers on A; node B serves the answer to anyone who asks it.
  const composer = page.getByLabel('Message', { exact: true });
  await composer.fill('On it — checking order 5521');
  await composer.press('Enter');
  await expect(composer).toHaveValue('');
  const token = await customerNode.login('admin@example.com');
  await expect
    .poll(async () => {
      const response = await customerNode.request<{ data: ApiMessage[] }>('GET', `/api/v1/chats/${chatId}/messages?limit=10`, { token });
      return response.body.data.map((message) => message.text);
    })
    .toContain('On it — checking order 5521');
});
