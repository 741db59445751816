import { chatList, expect, MOD, test } from './fixtures';

test('a wrong password is refused in words, the right one opens the desk', async ({ page, stack }) => {
  await page.goto(stack.desk.url);
  await expect(page.getByLabel('Server address')).toHaveValue(stack.server.url);
  await page.getByLabel('Email').fill(MOD.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('These credentials do not match our records.');
  await expect(chatList(page)).toHaveCount(0);

  await page.getByLabel('Password').fill('password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(chatList(page)).toBeVisible();
  await expect(page.getByRole('banner').getByText(MOD.name)).toBeVisible();
  await expect(page.getByRole('status', { name: /Connection: Online/ })).toBeVisible();

  // The desk remembers the session: a reload goes straight back to the chats.
  await page.reload();
  await expect(chatList(page)).toBeVisible();
});

test('an address that is not a Switchboard server is refused in words', async ({ page, stack }) => {
  await page.goto(stack.desk.url);
  await page.getByLabel('Server address').fill('http://127.0.0.1:9');
  await page.getByLabel('Email').fill(MOD.email);
  await page.getByLabel('Password').fill('password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('cannot be reached');
});
