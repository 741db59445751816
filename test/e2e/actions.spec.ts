import { ADMIN, expect, MOD, openChat, signIn, test, thread } from './fixtures';

test('assign to me, transfer to a colleague, close', async ({ page, stack }) => {
  const { chatId } = await stack.customerWrites(1, 'web-actions', 'I would like to change my plan', 'Action Customer');
  await signIn(page, stack);
  await page.getByRole('tab', { name: /^Unassigned/ }).click();
  await openChat(page, /Action Customer/);
  const header = page.locator('.chat-header');

  await page.getByRole('button', { name: 'Assign to me' }).click();
  await expect(header.getByText('Assigned to you')).toBeVisible();
  await expect.poll(async () => (await stack.chat(chatId)).assigned_to).toBe(MOD.id);

  await page.getByRole('button', { name: 'Transfer' }).click();
  const dialog = page.getByRole('dialog', { name: 'Transfer chat' });
  await dialog.getByRole('radio', { name: /Admin/ }).check();
  await dialog.getByLabel('Note for the colleague (optional)').fill('Billing question, needs an admin');
  await dialog.getByRole('button', { name: 'Transfer' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(header.getByText('Assigned to Admin')).toBeVisible();
  const transferred = await stack.chat(chatId);
  expect(transferred.assigned_to).toBe(ADMIN.id);
  expect(transferred.status).toBe('transferred');
  // The transfer is in the thread as a system message.
  await expect(thread(page).locator('.msg-row-system')).toHaveCount(1);

  // Transferred to someone else: this moderator cannot close it any more; the admin's desk could. Take it back via the admin, then close.
  const back = await stack.api(ADMIN.email, 'POST', `/api/v1/chats/${chatId}/transfer`, { assigned_to: MOD.id });
  expect(back.status).toBe(200);
  await expect(header.getByText('Assigned to you')).toBeVisible();
  await page.keyboard.press('c');
  await expect(header.getByText('Closed', { exact: true })).toBeVisible();
  await expect.poll(async () => (await stack.chat(chatId)).status).toBe('closed');
  await expect(page.getByRole('button', { name: 'Close' })).toHaveCount(0);
});
