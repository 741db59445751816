import { expect, openChat, signIn, test } from './fixtures';

test('the browser desk shows a web notification for a message in another chat, not in the one being read', async ({ page, stack, context }) => {
  // The OS notification itself is outside the page: record what the page asks the browser to show.
  await context.grantPermissions(['notifications']);
  await page.addInitScript(`{
    const shown = [];
    const Real = window.Notification;
    class Recorded extends Real {
      constructor(title, options) {
        super(title, options);
        shown.push({ title, body: (options && options.body) || '' });
      }
    }
    Object.defineProperty(window, 'Notification', { value: Recorded });
    Object.defineProperty(window, 'shownNotifications', { value: shown });
  }`);
  await stack.customerWrites(1, 'web-notify-a', 'First customer', 'Customer Alpha');
  await signIn(page, stack);
  await page.getByRole('tab', { name: /^All/ }).click();
  await openChat(page, /Customer Alpha/);

  // Another chat gets a message while this one is open: that is worth a notification.
  await stack.customerWrites(2, 'tg-notify-b', 'Is my refund on its way?', 'Customer Beta');
  await expect
    .poll(() => page.evaluate('JSON.stringify(window.shownNotifications)'))
    .toContain('"title":"Customer Beta","body":"Is my refund on its way?"');
  // A message in the chat being read does not notify.
  await stack.customerWrites(1, 'web-notify-a', 'Still here', 'Customer Alpha');
  await expect(page.getByRole('log', { name: 'Messages' }).getByText('Still here')).toBeVisible();
  expect(String(await page.evaluate('JSON.stringify(window.shownNotifications)'))).not.toContain('Still here');
});

test('"Not now" hides the notification prompt for good', async ({ page, stack }) => {
  await page.goto(stack.desk.url);
  await page.getByLabel('Email').fill('mod@example.com');
  await page.getByLabel('Password').fill('password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const prompt = page.getByRole('region', { name: 'Browser notifications' });
  await expect(prompt).toContainText('Get a notification when a customer writes');
  await prompt.getByRole('button', { name: 'Not now' }).click();
  await expect(prompt).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('listbox', { name: 'Chats' })).toBeVisible();
  await expect(prompt).toHaveCount(0);
});
