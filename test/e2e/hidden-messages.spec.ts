import { ADMIN, expect, MOD, openChat, signIn, test, thread } from './fixtures';

// Hidden messages (DESIGN §8.1): the desk hides a customer's spam, and shows every hidden message
// collapsed to who hid it, whether it was hidden here, on another desk, or through the legacy API.

test('hide a customer message as spam: it collapses to who hid it, and can be looked at again', async ({ page, stack }) => {
  const { chatId, message } = await stack.customerWrites(1, 'web-spam', 'CHEAP WATCHES at spam.example', 'Spam Sender');
  await signIn(page, stack);
  await page.getByRole('tab', { name: /^All/ }).click();
  await openChat(page, /Spam Sender/);
  const row = thread(page).locator(`[data-key="m${message.id}"]`);
  await expect(row.getByText('CHEAP WATCHES at spam.example')).toBeVisible();

  await row.hover();
  await row.getByRole('button', { name: 'Hide as spam' }).click();
  await expect(row.getByText(`Message hidden by ${MOD.name}`)).toBeVisible();
  await expect(row.getByText('CHEAP WATCHES at spam.example')).toHaveCount(0);
  await expect.poll(async () => (await stack.messages(chatId)).find((m) => m.id === message.id)?.is_hidden).toBe(true);

  await row.getByRole('button', { name: 'Show' }).click();
  await expect(row.getByText('CHEAP WATCHES at spam.example')).toBeVisible();
  await row.getByRole('button', { name: 'Hide again' }).click();
  await expect(row.getByText('CHEAP WATCHES at spam.example')).toHaveCount(0);
});

test('a message hidden through the legacy API collapses on an open desk at once', async ({ page, stack }) => {
  const { message } = await stack.customerWrites(2, 'tg-spam', 'Win a prize, click here', 'Prize Sender');
  await signIn(page, stack);
  await page.getByRole('tab', { name: /^All/ }).click();
  await openChat(page, /Prize Sender/);
  const row = thread(page).locator(`[data-key="m${message.id}"]`);
  await expect(row.getByText('Win a prize, click here')).toBeVisible();
  const hidden = await stack.api(ADMIN.email, 'POST', `/api/messages/${message.id}/hide`);
  expect(hidden.status).toBe(200);
  await expect(row.getByText(`Message hidden by ${ADMIN.name}`)).toBeVisible();
});
