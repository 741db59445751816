// Settings → Administration in the real web desk against a real server: what an administrator
// does there reaches the server and shows where users notice it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startWebDesk } from '../../main/web/desk';
import { webhookHeaders } from '../../server/dialects/v1/webhook-signature';
import { ADMIN, chatList, chatOption, expect, MOD, signIn, test } from './fixtures';

async function openAdminTab(page: Page, tab: string) {
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('tab', { name: tab }).click();
  return settings.getByRole('tabpanel');
}

async function openAdmin(page: Page, tab: string) {
  await page.getByRole('button', { name: 'Settings' }).click();
  return openAdminTab(page, tab);
}

test('an administrator invites an operator, who signs in elsewhere and sees the chats of their sources only', async ({ page, stack, browser }) => {
  // Two desks, and a sign-out the other desk notices at its next poll of the server.
  test.setTimeout(120_000);
  await signIn(page, stack, ADMIN.email);
  const panel = await openAdmin(page, 'Operators');
  await expect(panel.getByRole('row', { name: /Maria Moderator/ })).toBeVisible();

  await panel.getByRole('button', { name: 'Invite operator' }).click();
  const form = panel.getByRole('form', { name: 'Invite operator' });
  // The server's rules, checked in the form: nothing is sent until they hold.
  await form.getByRole('button', { name: 'Create operator' }).click();
  await expect(form.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText('This field is required.').first()).toBeVisible();
  await form.getByLabel('Name').fill('Olga Operator');
  await form.getByLabel('Email').fill('olga@example');
  await form.getByLabel('First password').fill('password');
  await form.getByRole('button', { name: 'Create operator' }).click();
  await expect(form.getByText('Enter a valid email address.')).toBeVisible();
  await expect(form.getByText('This password is among the most common ones; choose another.')).toBeVisible();

  await form.getByLabel('Email').fill('olga@example.com');
  await form.getByLabel('First password').fill('violet-harbour-42');
  await form.getByLabel('Role').selectOption({ label: 'Moderator' });
  await form.getByRole('group', { name: 'Sources' }).getByLabel('VK').check();
  await form.getByRole('button', { name: 'Create operator' }).click();
  await expect(form).toHaveCount(0);
  const row = panel.getByRole('row', { name: /Olga Operator/ });
  await expect(row).toContainText('olga@example.com');
  await expect(row).toContainText('VK');
  await expect(row).toContainText('Active');

  // The new operator, on their own desk in another browser.
  const deskDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-desk-'));
  const theirDesk = await startWebDesk({ dataDir: deskDir, port: 0, defaultServerUrl: stack.server.url });
  const context = await browser.newContext();
  try {
    const theirs = await context.newPage();
    await theirs.goto(theirDesk.url);
    await expect(theirs.getByLabel('Server address')).toHaveValue(stack.server.url);
    await theirs.getByLabel('Email').fill('olga@example.com');
    await theirs.getByLabel('Password').fill('violet-harbour-42');
    await theirs.getByRole('button', { name: 'Sign in' }).click();
    await expect(chatList(theirs)).toBeVisible();
    const later = theirs.getByRole('button', { name: 'Not now' });
    if (await later.isVisible()) await later.click();
    await theirs.getByRole('tab', { name: /^All/ }).click();
    // VK's chats, and none of the website's or Telegram's.
    await expect(chatOption(theirs, /Ольга Смирнова/)).toBeVisible();
    await expect(chatOption(theirs, /Emma Johnson/)).toBeVisible();
    await expect(chatOption(theirs, /Анна Петрова/)).toHaveCount(0);
    await expect(chatOption(theirs, /Noah Brown/)).toHaveCount(0);

    // Deactivated, they are signed out there (their token is revoked; the desk learns it when it next asks the server).
    await row.getByRole('button', { name: 'Deactivate Olga Operator' }).click();
    await expect(row).toContainText('Deactivated');
    await expect(theirs.getByRole('button', { name: 'Sign in' })).toBeVisible({ timeout: 60_000 });
  } finally {
    await context.close();
    await theirDesk.close();
    rmSync(deskDir, { recursive: true, force: true });
  }
});

test('an administrator changes the demo widget’s colour and sees the preview follow before saving', async ({ page, stack }) => {
  await signIn(page, stack, ADMIN.email);
  const panel = await openAdmin(page, 'Widgets');
  const form = panel.getByRole('form', { name: 'Settings of Website' });
  const launcher = panel.getByTestId('widget-preview-launcher');
  const colour = form.getByLabel('Colour');
  const before = await colour.inputValue();
  expect(before).toMatch(/^#[0-9a-fA-F]{6}$/);

  await colour.fill('#e11d48');
  await expect(launcher).toHaveCSS('background-color', 'rgb(225, 29, 72)');
  await form.getByLabel('Title').fill('Ask us anything');
  await expect(panel.getByRole('figure', { name: 'Preview' })).toContainText('Ask us anything');
  await form.getByLabel('Welcome message').fill('Hello! We usually answer within minutes.');
  await expect(panel.getByRole('figure', { name: 'Preview' })).toContainText('Hello! We usually answer within minutes.');

  // A colour the server would refuse is refused here, in words, and not saved.
  await colour.fill('red');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText('A colour as #RRGGBB, for example #2563eb.')).toBeVisible();
  await expect(colour).toHaveAttribute('aria-invalid', 'true');

  await colour.fill('#e11d48');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved. Visitors see the new settings when the widget next loads.');
  const saved = await stack.api<{ data: { settings: { color: string; title: string } } }>(ADMIN.email, 'GET', '/api/v1/admin/widgets/1');
  expect(saved.status).toBe(200);
  expect(saved.body.data.settings).toMatchObject({ color: '#e11d48', title: 'Ask us anything' });

  // The snippet a site embeds carries this widget's token.
  await expect(panel.getByLabel('Embed code')).toHaveValue(`<script src="${stack.server.url}/widget.js" data-token="demo-widget-token" async></script>`);

  // Opening hours are typed per day; a range the server would refuse is named in words.
  await form.getByLabel('Use opening hours').check();
  await form.getByLabel('Monday').fill('09:00-17:00, 18:00');
  await form.getByLabel('Time zone').fill('Europe/Nowhere');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText('Each range is from-to as HH:MM-HH:MM, ending at another time than it starts.')).toBeVisible();
  await expect(form.getByText('A time zone such as Europe/Warsaw or UTC.')).toBeVisible();
  await form.getByLabel('Monday').fill('09:00-13:00, 14:00-18:00');
  await form.getByLabel('Time zone').fill('Europe/Warsaw');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('status')).toBeVisible();
  const hours = await stack.api<{ data: { settings: { use_opening_hours: boolean; time_zone: string; opening_hours: Record<string, unknown> } } }>(ADMIN.email, 'GET', '/api/v1/admin/widgets/1');
  expect(hours.body.data.settings).toMatchObject({ use_opening_hours: true, time_zone: 'Europe/Warsaw' });
  expect(hours.body.data.settings.opening_hours.monday).toEqual([{ from: '09:00', to: '13:00' }, { from: '14:00', to: '18:00' }]);
});

test('an administrator adds a widget and gets its own embed snippet', async ({ page, stack }) => {
  await signIn(page, stack, ADMIN.email);
  const panel = await openAdmin(page, 'Widgets');
  await panel.getByRole('button', { name: 'Add widget' }).click();
  const create = panel.getByRole('form', { name: 'Add widget' });
  await create.getByLabel('Name').fill('Help centre');
  await create.getByRole('button', { name: 'Create widget' }).click();
  await expect(panel.getByRole('form', { name: 'Settings of Help centre' })).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Website' })).toHaveAttribute('aria-pressed', 'false');
  const snippet = await panel.getByLabel('Embed code').inputValue();
  expect(snippet).toMatch(new RegExp(`^<script src="${stack.server.url}/widget.js" data-token="[^"]+" async></script>$`));
  expect(snippet).not.toContain('demo-widget-token');
  await panel.getByRole('button', { name: 'Website' }).click();
  await expect(panel.getByRole('form', { name: 'Settings of Website' })).toBeVisible();
});

test('Administration is not offered to a moderator', async ({ page, stack }) => {
  await signIn(page, stack, MOD.email);
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings.getByRole('tab', { name: 'API tokens' })).toBeVisible();
  await expect(settings.getByRole('tab', { name: 'Operators' })).toHaveCount(0);
  await expect(settings.getByText('Administration')).toHaveCount(0);
});

test('an administrator adds, edits and deletes a canned response', async ({ page, stack }) => {
  await signIn(page, stack, ADMIN.email);
  const panel = await openAdmin(page, 'Canned responses');
  await panel.getByRole('button', { name: 'Add response' }).click();
  const form = panel.getByRole('form', { name: 'Add response' });
  await form.getByLabel('Code').fill('refund');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('Title').fill('Refund policy');
  await form.getByLabel('Text').fill('Returns are accepted within 30 days.');
  await form.getByLabel('Source').selectOption({ label: 'Telegram' });
  await form.getByRole('button', { name: 'Save' }).click();
  const row = panel.getByRole('row', { name: /Refund policy/ });
  await expect(row).toContainText('/refund');
  await expect(row).toContainText('Telegram');

  await row.getByRole('button', { name: 'Edit Refund policy' }).click();
  const edit = panel.getByRole('form', { name: 'Edit response' });
  await edit.getByLabel('Text').fill('Returns are accepted within 60 days.');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toHaveCount(0);
  const listed = await stack.api<{ data: { code: string; text: string; source_id: number | null }[] }>(ADMIN.email, 'GET', '/api/v1/canned-responses?q=refund');
  expect(listed.body.data.find((item) => item.code === 'refund')).toMatchObject({ text: 'Returns are accepted within 60 days.', source_id: 2 });

  await row.getByRole('button', { name: 'Delete Refund policy' }).click();
  await expect(row).toHaveCount(0);
  const after = await stack.api<{ data: { code: string }[] }>(ADMIN.email, 'GET', '/api/v1/canned-responses?q=refund');
  expect(after.body.data.some((item) => item.code === 'refund')).toBe(false);
});

test('an administrator adds a source: its webhook secret is shown once and signs customer messages into the desk', async ({ page, stack }) => {
  await signIn(page, stack, ADMIN.email);
  const panel = await openAdmin(page, 'Sources');
  await panel.getByRole('button', { name: 'Add source' }).click();
  const form = panel.getByRole('form', { name: 'Add source' });
  await form.getByRole('button', { name: 'Create source' }).click();
  await expect(form.getByText('This field is required.')).toBeVisible();
  await form.getByLabel('Name').fill('Shop e-mail');
  await form.getByLabel('Type').selectOption({ label: 'Email' });
  await form.getByRole('button', { name: 'Create source' }).click();
  const secret = await panel.getByLabel('Webhook secret of “Shop e-mail”').inputValue();
  expect(secret.length).toBeGreaterThan(20);
  const row = panel.getByRole('row', { name: /Shop e-mail/ });
  const url = (await row.locator('code').textContent()) ?? '';
  expect(url).toMatch(/\/api\/v1\/webhooks\/sources\/\d+$/);
  await panel.getByRole('button', { name: 'I have saved it' }).click();
  await expect(panel.getByLabel('Webhook secret of “Shop e-mail”')).toHaveCount(0);

  // A channel bridge signs with that secret: the customer's message reaches the desk.
  const raw = JSON.stringify({ external_user_id: 'mail-1', text: 'Where is my parcel?', user_metadata: { name: 'Jan Kowal' } });
  const posted = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...webhookHeaders(secret, raw, stack.server.clock.now()) }, body: raw });
  expect(posted.status).toBeLessThan(300);
  await page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Close' }).last().click();
  await page.getByRole('tab', { name: /^Unassigned/ }).click();
  await expect(chatOption(page, /Jan Kowal/)).toBeVisible();

  // A new secret retires the old one at once.
  await page.getByRole('button', { name: 'Settings' }).click();
  const again = await openAdminTab(page, 'Sources');
  await again.getByRole('button', { name: 'New webhook secret for Shop e-mail' }).click();
  await expect(again.getByLabel('Webhook secret of “Shop e-mail”')).not.toHaveValue(secret);
  const stale = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...webhookHeaders(secret, raw, stack.server.clock.now()) }, body: raw });
  expect(stale.status).toBe(401);
});

test('an administrator adds, renames and deletes a department; one in use is refused in words', async ({ page, stack }) => {
  await signIn(page, stack, ADMIN.email);
  const panel = await openAdmin(page, 'Departments');
  await expect(panel.getByRole('row', { name: /Sales/ })).toBeVisible();
  await panel.getByRole('button', { name: 'Add department' }).click();
  await panel.getByRole('form', { name: 'Add department' }).getByLabel('Name').fill('Billing');
  await panel.getByRole('form', { name: 'Add department' }).getByRole('button', { name: 'Save' }).click();
  const row = panel.getByRole('row', { name: /Billing/ });
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: 'Rename Billing' }).click();
  await panel.getByRole('form', { name: 'Rename' }).getByLabel('Name').fill('Invoices');
  await panel.getByRole('form', { name: 'Rename' }).getByRole('button', { name: 'Save' }).click();
  const renamed = panel.getByRole('row', { name: /Invoices/ });
  await expect(renamed).toBeVisible();
  await renamed.getByRole('button', { name: 'Delete Invoices' }).click();
  await expect(renamed).toHaveCount(0);

  // Sales holds chats: the server refuses, and says why.
  await panel.getByRole('row', { name: /Sales/ }).getByRole('button', { name: 'Delete Sales' }).click();
  await expect(panel.getByRole('alert')).not.toBeEmpty();
  await expect(panel.getByRole('row', { name: /Sales/ })).toBeVisible();
});
