// Settings → the user's own account in the real web desk: personal API tokens and signed-in devices.
import { expect, MOD, signIn, test } from './fixtures';

test('a user creates a personal API token, uses it, and revokes it', async ({ page, stack, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page, stack, MOD.email);
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('tab', { name: 'API tokens' }).click();
  const panel = settings.getByRole('tabpanel');
  await expect(panel.getByText('No tokens yet.')).toBeVisible();

  // The server's rule, checked in the form before anything is sent.
  await panel.getByRole('button', { name: 'Create token' }).click();
  await expect(panel.getByLabel('Token name')).toHaveAttribute('aria-invalid', 'true');
  await expect(panel.getByText('This field is required.')).toBeVisible();

  await panel.getByLabel('Token name').fill('CRM sync');
  await panel.getByRole('button', { name: 'Create token' }).click();
  const secret = panel.getByLabel('New token “CRM sync”');
  await expect(secret).toHaveValue(/^\d+\|/);
  const token = await secret.inputValue();
  await expect(panel.getByText('Copy it now: it is shown only this once.')).toBeVisible();
  await panel.getByRole('button', { name: 'Copy' }).click();
  await expect(panel.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.locator('body').evaluate((body) => body.ownerDocument.defaultView?.navigator.clipboard.readText())).toBe(token);

  // The token shown works against the API as this user.
  const me = await stack.server.request('GET', '/api/v1/auth/me', { token });
  expect(me.status).toBe(200);
  expect((me.body as { data: { email: string } }).data.email).toBe(MOD.email);

  await panel.getByRole('button', { name: 'I have saved it' }).click();
  await expect(secret).toHaveCount(0);
  const row = panel.getByRole('row', { name: /CRM sync/ });
  await expect(row).toBeVisible();

  await row.getByRole('button', { name: 'Revoke token CRM sync' }).click();
  await expect(row).toHaveCount(0);
  await expect(panel.getByText('No tokens yet.')).toBeVisible();
  expect((await stack.server.request('GET', '/api/v1/auth/me', { token })).status).toBe(401);
});

test('a user sees their signed-in devices and signs the others out', async ({ page, stack }) => {
  // Another device of the same user (the fixture signs in through the API).
  const other = await stack.token(MOD.email);
  await signIn(page, stack, MOD.email);
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('tab', { name: 'Signed-in devices' }).click();
  const panel = settings.getByRole('tabpanel');
  await expect(panel.getByRole('row')).toHaveCount(3);
  await expect(panel.getByText('This desk')).toBeVisible();

  await panel.getByRole('button', { name: 'Sign out other devices' }).click();
  await expect(panel.getByRole('status')).toHaveText('Signed out 1 device.');
  await expect(panel.getByRole('row')).toHaveCount(2);
  expect((await stack.server.request('GET', '/api/v1/auth/me', { token: other })).status).toBe(401);
  // This desk is still signed in.
  await settings.getByRole('tab', { name: 'Profile' }).click();
  await expect(settings.getByRole('tabpanel').getByText(MOD.email)).toBeVisible();
});

test('a user renames themselves and changes their password; the server’s refusals are shown in words', async ({ page, stack }) => {
  const elsewhere = await stack.token('mod2@example.com');
  await signIn(page, stack, 'mod2@example.com');
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('tab', { name: 'Profile' }).click();
  const panel = settings.getByRole('tabpanel');

  const nameForm = panel.getByRole('form', { name: 'Name' });
  await expect(nameForm.getByLabel('Name')).toHaveValue('Wojtek Moderator');
  await nameForm.getByLabel('Name').fill('Wojciech Moderator');
  await nameForm.getByRole('button', { name: 'Save' }).click();
  await expect(nameForm.getByRole('status')).toHaveText('Saved.');
  await expect(page.getByRole('banner').getByText('Wojciech Moderator')).toBeVisible();

  const form = panel.getByRole('form', { name: 'Password' });
  // The rule the server applies, checked as the form is sent.
  await form.getByLabel('Current password').fill('password');
  await form.getByLabel('New password', { exact: true }).fill('short');
  await form.getByLabel('New password again').fill('short');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText('The password must be at least 8 characters.')).toBeVisible();
  await form.getByLabel('New password', { exact: true }).fill('violet-harbour-42');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText('The two new passwords differ.')).toBeVisible();
  // Only the server knows the current password: its refusal, in its words, under that field.
  await form.getByLabel('Current password').fill('not-my-password');
  await form.getByLabel('New password again').fill('violet-harbour-42');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText('The current password is not correct.')).toBeVisible();
  await expect(form.getByLabel('Current password')).toHaveAttribute('aria-invalid', 'true');

  await form.getByLabel('Current password').fill('password');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByRole('status')).toHaveText('Password changed. 1 other device was signed out.');
  expect((await stack.server.request('GET', '/api/v1/auth/me', { token: elsewhere })).status).toBe(401);
  await stack.server.login('mod2@example.com', 'violet-harbour-42');
  // This desk stays signed in.
  await settings.getByRole('tab', { name: 'API tokens' }).click();
  await expect(settings.getByRole('tabpanel').getByText('No tokens yet.')).toBeVisible();
});

test('Settings are keyboard navigable and the forms speak the chosen language', async ({ page, stack }) => {
  await signIn(page, stack, MOD.email);
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('tab', { name: 'Desk' }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(settings.getByRole('tab', { name: 'Profile' })).toBeFocused();
  await expect(settings.getByRole('tab', { name: 'Profile' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(settings.getByRole('tab', { name: 'Signed-in devices' })).toBeFocused();
  await page.keyboard.press('Home');
  await expect(settings.getByRole('tab', { name: 'Desk' })).toHaveAttribute('aria-selected', 'true');

  await settings.getByLabel('Language').selectOption('pl');
  const ustawienia = page.getByRole('dialog', { name: 'Ustawienia' });
  await ustawienia.getByRole('tab', { name: 'Tokeny API' }).click();
  const panel = ustawienia.getByRole('tabpanel');
  await panel.getByLabel('Nazwa tokenu').fill('x'.repeat(256));
  await panel.getByLabel('Nazwa tokenu').press('Enter');
  await expect(panel.getByText('Najwyżej 255 znaków.')).toBeVisible();
});
