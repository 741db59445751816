// A real server (demo data, temp SQLite, 127.0.0.1:0) and a real web desk (the engine in this
// process, its own temp data dir, a free port) for each test; the page is Chromium on the desk.
import { test as base, expect, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiChat, ApiMessage } from '../../common/api';
import { startWebDesk, type WebDesk } from '../../main/web/desk';
import type { Broadcast } from '../../server/realtime/broadcaster';
import { webhookHeaders } from '../../server/dialects/v1/webhook-signature';
import { startServer, type TestServer } from '../helpers/server';

export const DEMO_WEBHOOK_SECRET = 'demo-webhook-secret';
export const ADMIN = { id: 1, email: 'admin@example.com', name: 'Admin' };
export const MOD = { id: 2, email: 'mod@example.com', name: 'Maria Moderator' };

/** Short delays, so a test does not wait out production backoffs after a restart. */
const FAST_TIMING = {
  retry: { baseMs: 150, capMs: 800 },
  probe: { baseMs: 150, capMs: 600 },
  pollIntervalMs: 2000,
  requestTimeoutMs: 5000,
  reconnect: { baseMs: 200, capMs: 1000 },
};

export interface Stack {
  server: TestServer;
  desk: WebDesk;
  /** Every broadcast the server published (re-attached after a restart). */
  broadcasts: Broadcast[];
  token(email: string): Promise<string>;
  /** A customer writes through the source's signed webhook. */
  customerWrites(sourceId: number, externalUserId: string, text: string, name?: string, attachments?: unknown[]): Promise<{ chatId: number; message: ApiMessage }>;
  /** A customer starts typing, as a channel reports it through the same signed webhook. */
  customerTypes(sourceId: number, externalUserId: string): Promise<void>;
  /** An operator's REST call, as another desk or the admin panel would make it. */
  api<T = unknown>(email: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  chat(chatId: number): Promise<ApiChat>;
  messages(chatId: number): Promise<ApiMessage[]>;
  restartServer(): Promise<void>;
}

export const test = base.extend<{ stack: Stack }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern; this one has none.
  stack: async ({}, use) => {
    const server = await startServer();
    const deskDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-desk-'));
    const desk = await startWebDesk({ dataDir: deskDir, port: 0, defaultServerUrl: server.url, engine: { timing: FAST_TIMING } });
    const broadcasts: Broadcast[] = [];
    const record = () => server.server.broadcasts.add({ publish: (broadcast) => broadcasts.push(broadcast) });
    record();
    const tokens = new Map<string, string>();
    const token = async (email: string) => {
      const known = tokens.get(email);
      if (known) return known;
      const fresh = await server.login(email);
      tokens.set(email, fresh);
      return fresh;
    };
    const api: Stack['api'] = async (email, method, path, body) => {
      const response = await server.request(method, path, { token: await token(email), ...(body === undefined ? {} : { body }) });
      return { status: response.status, body: response.body as never };
    };
    const stack: Stack = {
      server,
      desk,
      broadcasts,
      token,
      api,
      async customerWrites(sourceId, externalUserId, text, name, attachments) {
        const raw = JSON.stringify({ external_user_id: externalUserId, text, ...(name ? { user_metadata: { name } } : {}), ...(attachments ? { attachments } : {}) });
        const response = await fetch(`${server.url}/api/v1/webhooks/sources/${sourceId}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...webhookHeaders(DEMO_WEBHOOK_SECRET, raw, server.clock.now()) },
          body: raw,
        });
        expect(response.status, await response.clone().text()).toBeLessThan(300);
        const { data } = (await response.json()) as { data: { chat_id: number; message: ApiMessage } };
        return { chatId: data.chat_id, message: data.message };
      },
      async customerTypes(sourceId, externalUserId) {
        const raw = JSON.stringify({ external_user_id: externalUserId, typing: true });
        const response = await fetch(`${server.url}/api/v1/webhooks/sources/${sourceId}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...webhookHeaders(DEMO_WEBHOOK_SECRET, raw, server.clock.now()) },
          body: raw,
        });
        expect(response.status, await response.clone().text()).toBe(200);
      },
      async chat(chatId) {
        const response = await api<{ data: ApiChat }>(ADMIN.email, 'GET', `/api/v1/chats/${chatId}`);
        expect(response.status).toBe(200);
        return response.body.data;
      },
      async messages(chatId) {
        const all: ApiMessage[] = [];
        let beforeId: number | null = null;
        for (;;) {
          const query: string = beforeId === null ? '?limit=100' : `?limit=100&before_id=${beforeId}`;
          const response = await api<{ data: ApiMessage[] }>(ADMIN.email, 'GET', `/api/v1/chats/${chatId}/messages${query}`);
          expect(response.status).toBe(200);
          all.push(...response.body.data);
          if (response.body.data.length < 100) return all;
          beforeId = Math.min(...response.body.data.map((message) => message.id));
        }
      },
      async restartServer() {
        await server.restart();
        record();
      },
    };
    await use(stack);
    await desk.close();
    await server.close();
    rmSync(deskDir, { recursive: true, force: true });
  },
});

export { expect };

/** Opens the desk and signs in through the login screen. */
export async function signIn(page: Page, stack: Stack, email = MOD.email): Promise<void> {
  await page.goto(stack.desk.url);
  await expect(page.getByLabel('Server address')).toHaveValue(stack.server.url);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(chatList(page)).toBeVisible();
  // Not part of what is tested here: keep the notification prompt out of the way.
  const later = page.getByRole('button', { name: 'Not now' });
  if (await later.isVisible()) await later.click();
}

export function chatList(page: Page) {
  return page.getByRole('listbox', { name: 'Chats' });
}

export function chatOption(page: Page, name: string | RegExp) {
  return chatList(page).getByRole('option', { name });
}

export function thread(page: Page) {
  return page.getByRole('log', { name: 'Messages' });
}

export function tabCount(page: Page, tab: 'Mine' | 'Unassigned' | 'All') {
  return page.getByRole('tab', { name: new RegExp(`^${tab}`) }).locator('.tab-count');
}

export async function openChat(page: Page, name: string | RegExp): Promise<void> {
  await chatOption(page, name).click();
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
}
