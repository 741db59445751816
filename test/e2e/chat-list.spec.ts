import { chatList, chatOption, expect, openChat, signIn, tabCount, test } from './fixtures';

async function countOf(locator: ReturnType<typeof tabCount>): Promise<number> {
  return Number(await locator.textContent());
}

test('tabs and their counts follow assignments', async ({ page, stack }) => {
  await signIn(page, stack);
  await expect(tabCount(page, 'Unassigned')).not.toHaveText('0');
  const mine = await countOf(tabCount(page, 'Mine'));
  const unassigned = await countOf(tabCount(page, 'Unassigned'));

  await page.getByRole('tab', { name: /^Unassigned/ }).click();
  await expect(chatOption(page, /Noah Brown/)).toBeVisible();
  await expect(chatList(page).getByRole('option')).toHaveCount(unassigned);
  await openChat(page, /Noah Brown/);
  await page.getByRole('button', { name: 'Assign to me' }).click();

  await expect(tabCount(page, 'Mine')).toHaveText(String(mine + 1));
  await expect(tabCount(page, 'Unassigned')).toHaveText(String(unassigned - 1));
  await expect(chatOption(page, /Noah Brown/)).toHaveCount(0);
  await page.getByRole('tab', { name: /^Mine/ }).click();
  await expect(chatOption(page, /Noah Brown/)).toBeVisible();

  // Another operator takes a chat: the counts change without anyone touching this desk.
  const { chatId } = await stack.customerWrites(1, 'web-new-customer', 'Hello, I need help with an invoice', 'Zofia Nowicka');
  await expect(tabCount(page, 'Unassigned')).toHaveText(String(unassigned));
  const taken = await stack.api('admin@example.com', 'POST', `/api/v1/chats/${chatId}/assign-me`);
  expect(taken.status).toBe(200);
  await expect(tabCount(page, 'Unassigned')).toHaveText(String(unassigned - 1));
});

test('filters and search narrow the list', async ({ page, stack }) => {
  await signIn(page, stack);
  await page.getByRole('tab', { name: /^All/ }).click();
  const options = chatList(page).getByRole('option');
  await expect(chatOption(page, /Noah Brown/)).toBeVisible();
  const all = await options.count();

  await page.getByLabel('Source').selectOption({ label: 'Telegram' });
  await expect(chatOption(page, /Agnieszka/)).toHaveCount(0);
  await expect(chatOption(page, /Noah Brown/)).toBeVisible();
  const telegram = await options.count();
  expect(telegram).toBeLessThan(all);
  for (const text of await options.allTextContents()) expect(text).toContain('TG');

  await page.getByLabel('Status').selectOption({ label: 'Closed' });
  await expect(chatOption(page, /Oliver Smith/)).toBeVisible();
  await expect(chatOption(page, /Noah Brown/)).toHaveCount(0);
  await page.getByLabel('Status').selectOption({ label: 'Open' });
  await page.getByLabel('Source').selectOption({ label: 'All sources' });

  await page.getByLabel('Department').selectOption({ label: 'Sales' });
  await expect(chatOption(page, /Tomasz Nowak/)).toBeVisible();
  await expect(chatOption(page, /Alexey|Алексей/)).toHaveCount(0);
  await page.getByLabel('Department').selectOption({ label: 'All departments' });
  await expect(options).toHaveCount(all);

  // Search matches names and message text.
  await page.getByRole('searchbox', { name: 'Search chats' }).fill('nowak');
  await expect(options).toHaveCount(1);
  await expect(chatOption(page, /Tomasz Nowak/)).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search chats' }).fill('order status');
  await expect(chatOption(page, /Visitor 9999/)).toBeVisible();
  await expect(options).toHaveCount(1);
  await page.getByRole('searchbox', { name: 'Search chats' }).fill('zzzz-nothing');
  await expect(page.getByText('No chats match these filters.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(options).toHaveCount(all);
});

test('the keyboard moves through chats, opens them, and acts on them', async ({ page, stack }) => {
  await signIn(page, stack);
  await page.keyboard.press('3');
  await expect(page.getByRole('tab', { name: /^All/ })).toHaveAttribute('aria-selected', 'true');
  await expect(chatOption(page, /Noah Brown/)).toBeVisible();

  // A new list puts the keyboard's place on its first chat.
  await expect(chatList(page).getByRole('option').first()).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('j');
  const second = chatList(page).getByRole('option').nth(1);
  await expect(second).toHaveAttribute('aria-current', 'true');
  const name = (await second.locator('.chat-row-title').textContent()) ?? '';
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
  await page.keyboard.press('k');
  await expect(chatList(page).getByRole('option').first()).toHaveAttribute('aria-current', 'true');

  await page.keyboard.press('Control+k');
  await expect(page.getByRole('searchbox', { name: 'Search chats' })).toBeFocused();
  await page.keyboard.type('Noah');
  // The search narrows the list as it answers; Enter on the list opens its first chat once it has.
  await expect(chatList(page).getByRole('option').first()).toContainText('Noah Brown');
  await page.keyboard.press('Enter');
  await expect(chatList(page)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Noah Brown' })).toBeVisible();

  await page.keyboard.press('a');
  await expect(page.getByText('Assigned to you', { exact: true }).first()).toBeVisible();
  await page.keyboard.press('r');
  await expect(page.getByLabel('Message', { exact: true })).toBeFocused();
  await page.keyboard.press('Escape');
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);
});
