// The README's pictures of Settings (account and administration), taken from the real desk with a
// real server. `SCREENSHOTS=docs npx playwright test admin-screenshots` writes them to
// docs/screenshots/; a normal run writes them under test-results/ and still checks that each
// screen shows what its picture is meant to show.
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { ADMIN, expect, signIn, test } from './fixtures';

const OUT = process.env.SCREENSHOTS === 'docs' ? join('docs', 'screenshots') : join('test-results', 'screenshots');

async function shoot(page: Page, name: string): Promise<void> {
  await page.locator('body').evaluate((body) => {
    const view = body.ownerDocument.defaultView;
    return body.ownerDocument.fonts.ready.then(() => new Promise((resolve) => view.requestAnimationFrame(() => view.requestAnimationFrame(resolve))));
  });
  await page.screenshot({ path: join(OUT, `${name}.png`) });
}

async function show(page: Page, tab: string): Promise<Locator> {
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('tab', { name: tab }).click();
  return settings.getByRole('tabpanel');
}

test('screenshots of Settings and Administration', async ({ page, stack }) => {
  // An integration token and a second device, so those lists are not empty.
  expect((await stack.api(ADMIN.email, 'POST', '/api/v1/tokens', { name: 'CRM sync' })).status).toBe(201);
  await signIn(page, stack, ADMIN.email);
  await page.getByRole('button', { name: 'Settings' }).click();

  let panel = await show(page, 'Profile');
  await expect(panel.getByRole('form', { name: 'Password' })).toBeVisible();
  await shoot(page, 'settings-profile');

  panel = await show(page, 'API tokens');
  await panel.getByLabel('Token name').fill('Reporting script');
  await panel.getByRole('button', { name: 'Create token' }).click();
  await expect(panel.getByLabel('New token “Reporting script”')).toHaveValue(/^\d+\|/);
  await expect(panel.getByRole('row', { name: /CRM sync/ })).toBeVisible();
  await shoot(page, 'settings-tokens');

  panel = await show(page, 'Signed-in devices');
  await expect(panel.getByText('This desk')).toBeVisible();
  await shoot(page, 'settings-devices');

  panel = await show(page, 'Operators');
  await expect(panel.getByRole('row', { name: /Wojtek Moderator/ })).toBeVisible();
  await panel.getByRole('button', { name: 'Edit Eve Employee' }).click();
  await expect(panel.getByRole('form', { name: 'Edit operator' })).toBeVisible();
  await shoot(page, 'admin-operators');

  panel = await show(page, 'Sources');
  await expect(panel.getByRole('row', { name: /Telegram/ })).toBeVisible();
  await panel.getByRole('button', { name: 'New webhook secret for Telegram' }).click();
  await expect(panel.getByLabel('Webhook secret of “Telegram”')).not.toHaveValue('');
  await shoot(page, 'admin-sources');

  panel = await show(page, 'Widgets');
  const form = panel.getByRole('form', { name: 'Settings of Website' });
  await form.getByLabel('Colour').fill('#0f766e');
  await form.getByLabel('Title').fill('Switchboard support');
  await form.getByLabel('Description').fill('We usually answer within a few minutes.');
  await form.getByLabel('Welcome message').fill('Hello! How can we help you today?');
  await expect(panel.getByTestId('widget-preview-launcher')).toHaveCSS('background-color', 'rgb(15, 118, 110)');
  await shoot(page, 'admin-widgets');

  panel = await show(page, 'Canned responses');
  await panel.getByRole('button', { name: 'Add response' }).click();
  const canned = panel.getByRole('form', { name: 'Add response' });
  await canned.getByLabel('Code').fill('refund');
  await canned.getByLabel('Title').fill('Refund policy');
  await canned.getByLabel('Text').fill('You can return any order within 30 days; the refund arrives in 3–5 working days.');
  await canned.getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByRole('row', { name: /Refund policy/ })).toBeVisible();
  await shoot(page, 'admin-canned');

  panel = await show(page, 'Departments');
  await expect(panel.getByRole('table')).toBeVisible();
  await shoot(page, 'admin-departments');
});
