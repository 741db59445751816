// A message's length is counted in characters (code points) by the composer, the engine and the
// server alike: 3,000 emoji are 3,000 characters (6,000 UTF-16 units), within the 4,000 allowed.
import { MESSAGE_MAX_LENGTH } from '../../common/api';
import { expect, openChat, signIn, test, thread } from './fixtures';

test('the composer counts emoji as characters: 3,000 are sent, 4,001 are refused before sending', async ({ page, stack }) => {
  const { chatId } = await stack.customerWrites(1, 'web-emoji', 'Send me lots of emoji', 'Emoji Fan');
  await signIn(page, stack);
  await page.getByRole('tab', { name: /^All/ }).click();
  await openChat(page, /Emoji Fan/);

  const composer = page.getByLabel('Message', { exact: true });
  const send = page.getByRole('button', { name: 'Send' });
  const tooMany = '😀'.repeat(MESSAGE_MAX_LENGTH + 1);
  await composer.fill(tooMany);
  await expect(page.getByRole('alert').filter({ hasText: String(MESSAGE_MAX_LENGTH + 1) })).toBeVisible();
  await expect(send).toBeDisabled();

  // Near the limit the counter shows characters, not UTF-16 units (which would be over it).
  await composer.fill('😀'.repeat(3600));
  await expect(page.getByText(`3600/${MESSAGE_MAX_LENGTH}`)).toBeVisible();
  await expect(send).toBeEnabled();

  const many = '😀'.repeat(3000);
  await composer.fill(many);
  await expect(send).toBeEnabled();
  await send.click();
  await expect(composer).toHaveValue('');
  await expect(thread(page).locator('.msg-row[data-state="sent"]', { hasText: '😀😀😀' })).toHaveCount(1);
  const texts = (await stack.messages(chatId)).map((message) => message.text);
  expect(texts).toContain(many);
});
