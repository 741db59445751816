import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startWebDesk } from '../../main/web/desk';
import type { VisitorSpaceCreated } from '../../common/visitor-api';
import { expect, frameOf, launcher, openWidget, test, visitorSends, widgetFrame, type WidgetStack } from './widget-fixtures';

// A visitor's conversation through the widget on the demo shop, with an operator on the other side
// through the v1 API. The shop is another origin of the server's site (127.0.0.1, another port), where
// the frame keeps its storage; widget-embed.spec.ts covers another site.

test.use({ shopHost: '127.0.0.1' });

/** The space the widget's first message starts, as the server answered it. */
function spaceStarted(page: Page): Promise<VisitorSpaceCreated> {
  return page.waitForResponse((response) => response.url().includes('/chat/widget/spaces.json') && response.status() === 201).then((response) => response.json());
}

async function english(widget: WidgetStack, settings: Record<string, unknown> = {}): Promise<void> {
  await widget.configure({ locale: 'en', ...settings });
}

test('a visitor writes, an operator types and answers, the visitor sees both live; a reload keeps the conversation; the space token is never in a URL', async ({ page, widget }) => {
  await english(widget);
  const frame = await openWidget(page, widget);
  const started = spaceStarted(page);
  await visitorSends(page, frame, 'Do you ship to Gdańsk?');
  const space = await started;
  const log = frame.getByRole('log', { name: 'Messages' });
  await expect(log.locator('[data-status="sent"]')).toHaveCount(1);

  // The operator sees it, types, answers; the visitor sees the typing and the answer without a reload.
  const messages = await widget.operator<{ data: { text: string }[] }>('GET', `/api/v1/chats/${space.space_id}/messages`);
  expect(messages.body.data.map((message) => message.text)).toContain('Do you ship to Gdańsk?');
  expect((await widget.operator('POST', `/api/v1/chats/${space.space_id}/typing`, { typing: true })).status).toBe(200);
  await expect(frame.getByText('Maria is typing…')).toBeVisible();
  expect((await widget.operator('POST', `/api/v1/chats/${space.space_id}/send`, { text: 'Yes, in two days.' })).status).toBe(201);
  await expect(log.getByText('Yes, in two days.')).toBeVisible();
  await expect(log.getByText('Maria', { exact: true })).toBeVisible();
  await expect(frame.getByText('Maria is typing…')).toBeHidden();

  // The operator reads: the visitor's message gets its read tick.
  expect((await widget.operator('POST', `/api/v1/chats/${space.space_id}/read`, {})).status).toBe(200);
  await expect(log.locator('[data-status="read"]')).toHaveCount(1);

  // The visitor typing reaches the operators (through the server: the desk hears `UserTyping` with `client: true`).
  const before = widget.requests.filter((url) => url.includes('/chat/widget/typing.json')).length;
  await frame.getByLabel('Your message').pressSequentially('and', { delay: 20 });
  await expect.poll(() => widget.requests.filter((url) => url.includes('/chat/widget/typing.json')).length).toBeGreaterThan(before);
  await frame.getByLabel('Your message').fill('');

  // A reload keeps the conversation (the frame's own storage); nothing is doubled.
  await page.reload();
  await launcher(page).click();
  const again = widgetFrame(page).getByRole('log', { name: 'Messages' });
  await expect(again.getByText('Do you ship to Gdańsk?')).toHaveCount(1);
  await expect(again.getByText('Yes, in two days.')).toHaveCount(1);
  await visitorSends(page, widgetFrame(page), 'Thank you!');
  await expect(again.locator('[data-status="sent"]')).toHaveCount(1);
  const after = await widget.operator<{ data: { text: string }[] }>('GET', `/api/v1/chats/${space.space_id}/messages`);
  expect(after.body.data.map((message) => message.text)).toContain('Thank you!');

  // While closed, an answer shows as an unread badge on the launcher.
  await widgetFrame(page).getByRole('button', { name: 'Close chat' }).click();
  expect((await widget.operator('POST', `/api/v1/chats/${space.space_id}/send`, { text: 'You are welcome.' })).status).toBe(201);
  await expect(page.getByRole('button', { name: 'Open chat (1 unread)' })).toBeVisible();

  expect(widget.requests.filter((url) => url.includes(space.space_token))).toEqual([]);
  expect(await widget.violations(page)).toEqual([]);
});

test('the widget asks for the client data it requires, and shows the server’s sentences', async ({ page, widget }) => {
  await english(widget, { require_client_data: true, client_data_fields: ['name', 'email'] });
  const frame = await openWidget(page, widget);
  await frame.getByLabel('Your message').fill('Hello?');
  await frame.getByRole('button', { name: 'Send' }).click();
  await expect(frame.getByText('Please fill in this field.')).toHaveCount(2);
  await frame.getByLabel('Name').fill('Jan Kowalski');
  await frame.getByLabel('E-mail').fill('not-an-email');
  await frame.getByRole('button', { name: 'Send' }).click();
  await expect(frame.getByText(/valid email/i)).toBeVisible();
  await frame.getByLabel('E-mail').fill('jan@example.org');
  const started = spaceStarted(page);
  await frame.getByRole('button', { name: 'Send' }).click();
  const space = await started;
  await expect(frame.getByRole('log').getByText('Hello?')).toBeVisible();
  await expect(frame.getByLabel('Name')).toHaveCount(0);
  const chat = await widget.operator<{ data: { name?: string; client?: { name?: string } } }>('GET', `/api/v1/chats/${space.space_id}`);
  expect(JSON.stringify(chat.body)).toContain('Jan Kowalski');
});

/** Opening hours that begin three hours from the server's now, every day, in UTC. */
function closedNow(widget: WidgetStack): Record<string, unknown> {
  const opens = new Date(widget.server.clock.now() + 3 * 3600_000);
  const hh = (date: Date) => `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
  const range = [{ from: hh(opens), to: hh(new Date(opens.getTime() + 3600_000)) }];
  const days = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
  return { use_opening_hours: true, time_zone: 'UTC', opening_hours: Object.fromEntries(days.map((day) => [day, range])) };
}

test('after hours with messages allowed: "we are back at …" and the message form', async ({ page, widget }) => {
  await english(widget, { ...closedNow(widget), messages_after_hours: true });
  const frame = await openWidget(page, widget);
  await expect(frame.getByText('We are offline right now.')).toBeVisible();
  await expect(frame.getByText(/^We are back at .+\.$/)).toBeVisible();
  await visitorSends(page, frame, 'Call me tomorrow, please.');
  await expect(frame.getByRole('log').locator('[data-status="sent"]')).toHaveCount(1);
});

test('after hours without messages: the offline message and "we are back at …", no form', async ({ page, widget }) => {
  await english(widget, { ...closedNow(widget), messages_after_hours: false, offline_message: 'We answer on workdays from nine.' });
  const frame = await openWidget(page, widget);
  await expect(frame.getByText('We answer on workdays from nine.')).toBeVisible();
  await expect(frame.getByText(/^We are back at .+\.$/)).toBeVisible();
  await expect(frame.getByLabel('Your message')).toHaveCount(0);
});

test('dark and light follow the widget’s setting; its colour paints the conversation', async ({ page, widget }) => {
  await english(widget, { theme: 'dark', color: '#7c2d12' });
  const frame = await openWidget(page, widget);
  await expect(frame.getByRole('heading', { name: 'Pomoc' })).toBeVisible();
  const background = async () => (await frameOf(page)).evaluate<string>('getComputedStyle(document.body).backgroundColor');
  await expect.poll(background).toBe('rgb(23, 25, 29)');
  await expect.poll(async () => (await frameOf(page)).evaluate<string>("getComputedStyle(document.querySelector('.head')).backgroundColor")).toBe('rgb(124, 45, 18)');
  await widget.configure({ theme: 'light' });
  await page.reload();
  await launcher(page).click();
  await expect.poll(background).toBe('rgb(255, 255, 255)');
});

test('a visitor sending too quickly sees the server’s sentence', async ({ page, widget }) => {
  await english(widget);
  const frame = await openWidget(page, widget);
  await visitorSends(page, frame, 'message 0');
  for (let i = 1; i <= 20; i++) {
    await frame.getByLabel('Your message').fill(`message ${i}`);
    await frame.getByLabel('Your message').press('Enter');
  }
  await expect(frame.getByRole('alert')).toContainText('You are sending messages too quickly.');
  await expect(frame.getByRole('log').locator('[data-status="failed"]')).toHaveCount(1);
});

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

test('files by the picker and by dropping them, with the server’s limit shown; the operator gets them', async ({ page, widget }) => {
  await english(widget);
  const frame = await openWidget(page, widget);
  await expect(frame.getByText(/^Files up to 20 MB/)).toBeVisible();
  const started = spaceStarted(page);
  await frame.locator('input[type="file"]').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: PNG });
  const space = await started;
  await expect(frame.getByRole('button', { name: 'Remove receipt.png' })).toBeVisible();
  await frame.getByLabel('Your message').fill('My receipt');
  await frame.getByRole('button', { name: 'Send' }).click();
  const log = frame.getByRole('log', { name: 'Messages' });
  await expect(log.getByRole('button', { name: /^Download receipt\.png/ })).toBeVisible();
  await expect(log.locator('[data-status="sent"]')).toHaveCount(1);

  // A drop on the composer attaches too.
  const inside = await frameOf(page);
  const transfer = await inside.evaluateHandle(`(() => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array([${[...PNG].join(',')}])], 'dropped.png', { type: 'image/png' }));
    return data;
  })()`);
  await frame.locator('form.composer').dispatchEvent('drop', { dataTransfer: transfer });
  await expect(frame.getByRole('button', { name: 'Remove dropped.png' })).toBeVisible();
  await frame.getByRole('button', { name: 'Send' }).click();
  await expect(log.getByRole('button', { name: /^Download dropped\.png/ })).toBeVisible();

  const messages = await widget.operator<{ data: { attachments: { name: string }[] }[] }>('GET', `/api/v1/chats/${space.space_id}/messages`);
  expect(messages.body.data.flatMap((message) => message.attachments.map((file) => file.name)).sort()).toEqual(['dropped.png', 'receipt.png']);
});

test('every tab of the shop shares one conversation', async ({ page, context, widget }) => {
  await english(widget);
  const frame = await openWidget(page, widget);
  await visitorSends(page, frame, 'Written in the first tab');
  await expect(frame.getByRole('log').locator('[data-status="sent"]')).toHaveCount(1);
  const second = await context.newPage();
  const other = await openWidget(second, widget);
  await expect(other.getByRole('log').getByText('Written in the first tab')).toBeVisible();
  await visitorSends(second, other, 'And this in the second');
  await expect(frame.getByRole('log').getByText('And this in the second')).toBeVisible();
});

test('after the server restarts, the widget reconnects and fetches what it missed', async ({ page, widget }) => {
  await english(widget);
  const frame = await openWidget(page, widget);
  const started = spaceStarted(page);
  await visitorSends(page, frame, 'Before the restart');
  const space = await started;
  await widget.server.restart();
  // This process's pooled connections to the old listener are gone: a read (safe to repeat) finds a fresh one.
  await expect.poll(() => widget.operator('GET', `/api/v1/chats/${space.space_id}`).then((response) => response.status, () => 0)).toBe(200);
  expect((await widget.operator('POST', `/api/v1/chats/${space.space_id}/send`, { text: 'Sent while you were reconnecting' })).status).toBe(201);
  await expect(frame.getByRole('log').getByText('Sent while you were reconnecting')).toHaveCount(1, { timeout: 30_000 });
  expect((await widget.operator('POST', `/api/v1/chats/${space.space_id}/send`, { text: 'And live again' })).status).toBe(201);
  await expect(frame.getByRole('log').getByText('And live again')).toHaveCount(1);
  await expect(frame.getByRole('log').getByText('Sent while you were reconnecting')).toHaveCount(1);
});

test('the operator answers in the real web desk, and the visitor sees the answer without a reload', async ({ page, context, widget }) => {
  await english(widget);
  const deskDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-widget-desk-'));
  const desk = await startWebDesk({ dataDir: deskDir, port: 0, defaultServerUrl: widget.server.url });
  const operator = await context.newPage();
  try {
    const frame = await openWidget(page, widget);
    await visitorSends(page, frame, 'Is the tea organic?');

    await operator.goto(desk.url);
    await operator.getByLabel('Email').fill('mod@example.com');
    await operator.getByLabel('Password').fill('password');
    await operator.getByRole('button', { name: 'Sign in' }).click();
    const later = operator.getByRole('button', { name: 'Not now' });
    await operator.getByRole('tab', { name: /^All/ }).click();
    if (await later.isVisible()) await later.click();
    // The widget's conversation is a chat like any other: its preview is the visitor's words.
    await operator.getByRole('listbox', { name: 'Chats' }).getByRole('option', { name: /Is the tea organic\?/ }).click();
    const composer = operator.getByLabel('Message', { exact: true });
    await composer.fill('Yes — certified organic, from Darjeeling.');
    await composer.press('Enter');
    await expect(operator.getByRole('log', { name: 'Messages' }).getByText('Yes — certified organic, from Darjeeling.')).toBeVisible();

    await expect(frame.getByRole('log', { name: 'Messages' }).getByText('Yes — certified organic, from Darjeeling.')).toBeVisible();
  } finally {
    await operator.close();
    await desk.close();
    rmSync(deskDir, { recursive: true, force: true });
  }
});
