import { ADMIN, expect, MOD, openChat, signIn, test, thread } from './fixtures';

test('customer messages arrive live, and typing shows both ways and expires', async ({ page, stack }) => {
  const { chatId } = await stack.customerWrites(2, 'tg-live', 'Hi, is anyone there?', 'Live Customer');
  await signIn(page, stack);
  await page.getByRole('tab', { name: /^All/ }).click();
  await openChat(page, /Live Customer/);
  const log = thread(page);

  await stack.customerWrites(2, 'tg-live', 'My order number is 4471');
  await expect(log.getByText('My order number is 4471')).toBeVisible();

  // Another operator (the admin) types in this chat.
  const typing = await stack.api(ADMIN.email, 'POST', `/api/v1/chats/${chatId}/typing`, { typing: true });
  expect(typing.status).toBeLessThan(300);
  const indicator = page.getByRole('status').filter({ hasText: 'Admin is typing…' });
  await expect(indicator).toBeVisible();
  // Nobody renews the hint: it goes away by itself.
  await expect(indicator).toHaveCount(0, { timeout: 20_000 });

  // The customer types too (a channel reports it through the webhook): the desk names them as the customer.
  await stack.customerTypes(2, 'tg-live');
  await expect(page.getByRole('status').filter({ hasText: 'The customer is typing…' })).toBeVisible();

  // And this operator's typing reaches the others (throttled, so one keystroke burst is one hint).
  const before = stack.broadcasts.length;
  await page.getByLabel('Message', { exact: true }).pressSequentially('Let me check', { delay: 20 });
  await expect
    .poll(() => stack.broadcasts.slice(before).filter((broadcast) => broadcast.event.endsWith('UserTyping') && JSON.stringify(broadcast.data).includes(`"id":${MOD.id}`)).length)
    .toBe(1);
});

test('a chat created while the desk is open appears in the list with its unread badge', async ({ page, stack }) => {
  await signIn(page, stack);
  await page.getByRole('tab', { name: /^Unassigned/ }).click();
  await stack.customerWrites(1, 'web-brand-new', 'Do you ship to Gdańsk?', 'Brand New Customer');
  const row = page.getByRole('listbox', { name: 'Chats' }).getByRole('option', { name: /Brand New Customer/ });
  await expect(row).toBeVisible();
  await expect(row).toContainText('Do you ship to Gdańsk?');
  await expect(row.getByLabel('1 unread message')).toBeVisible();
  // Opening it reads it.
  await row.click();
  await expect(row.getByLabel('1 unread message')).toHaveCount(0);
});
