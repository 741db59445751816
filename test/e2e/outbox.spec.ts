import { ADMIN, expect, MOD, openChat, signIn, test, thread } from './fixtures';

test('offline: the state shows, a reply waits, and after the restart it is sent exactly once', async ({ page, stack }) => {
  const { chatId } = await stack.customerWrites(1, 'web-offline', 'Are you still there?', 'Offline Customer');
  expect((await stack.api(MOD.email, 'POST', `/api/v1/chats/${chatId}/assign-me`)).status).toBe(200);
  await signIn(page, stack);
  await openChat(page, /Offline Customer/);
  await expect(page.getByRole('status', { name: /Connection: Online/ })).toBeVisible();

  await stack.server.stop();
  await expect(page.getByRole('alert', { name: 'Offline' })).toContainText('The server is unreachable');
  await expect(page.getByRole('status', { name: /Connection: Offline/ })).toBeVisible();

  const composer = page.getByLabel('Message', { exact: true });
  await composer.fill('Yes — writing while the server is down');
  await composer.press('Enter');
  const reply = thread(page).locator('.msg-row', { hasText: 'Yes — writing while the server is down' });
  await expect(reply).toHaveAttribute('data-state', 'pending');
  await expect(reply).toContainText('Queued');
  await expect(page.getByRole('alert', { name: 'Offline' })).toContainText('1 item waiting to be sent.');

  await stack.restartServer();
  await expect(page.getByRole('status', { name: /Connection: Online/ })).toBeVisible({ timeout: 20_000 });
  await expect(reply).toHaveAttribute('data-state', 'sent');
  await expect(page.getByRole('alert', { name: 'Offline' })).toHaveCount(0);
  await expect(thread(page).getByText('Yes — writing while the server is down')).toHaveCount(1);
  const copies = (await stack.messages(chatId)).filter((message) => message.text === 'Yes — writing while the server is down');
  expect(copies).toHaveLength(1);
});

test('a refused reply shows failed with the reason, and can be retried or discarded', async ({ page, stack }) => {
  const { chatId } = await stack.customerWrites(1, 'web-refused', 'Hello?', 'Refused Customer');
  expect((await stack.api(MOD.email, 'POST', `/api/v1/chats/${chatId}/assign-me`)).status).toBe(200);
  await signIn(page, stack);
  await openChat(page, /Refused Customer/);

  // Meanwhile an admin hands the chat to himself: this moderator may no longer reply.
  expect((await stack.api(ADMIN.email, 'POST', `/api/v1/chats/${chatId}/transfer`, { assigned_to: ADMIN.id })).status).toBe(200);
  await expect(page.locator('.chat-header').getByText('Assigned to Admin')).toBeVisible();

  const composer = page.getByLabel('Message', { exact: true });
  await composer.fill('I can help you with that');
  await composer.press('Enter');
  const reply = thread(page).locator('.msg-row', { hasText: 'I can help you with that' });
  await expect(reply).toHaveAttribute('data-state', 'failed');
  await expect(reply.getByRole('alert')).toContainText('Not sent:');
  await composer.fill('This one I will take back');
  await composer.press('Enter');
  const second = thread(page).locator('.msg-row', { hasText: 'This one I will take back' });
  await expect(second).toHaveAttribute('data-state', 'failed');
  await second.getByRole('button', { name: 'Discard' }).click();
  await expect(second).toHaveCount(0);

  // The admin gives the chat back; Retry now goes through.
  expect((await stack.api(ADMIN.email, 'POST', `/api/v1/chats/${chatId}/transfer`, { assigned_to: MOD.id })).status).toBe(200);
  await expect(page.locator('.chat-header').getByText('Assigned to you')).toBeVisible();
  await reply.getByRole('button', { name: 'Retry' }).click();
  await expect(reply).toHaveAttribute('data-state', 'sent');
  const texts = (await stack.messages(chatId)).map((message) => message.text);
  expect(texts.filter((text) => text === 'I can help you with that')).toHaveLength(1);
  expect(texts).not.toContain('This one I will take back');
});
