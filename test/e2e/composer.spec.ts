import { expect, openChat, signIn, test, thread } from './fixtures';

/** A 2×2 PNG: small, but a real image the server's content check accepts. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

test('Enter sends, Shift+Enter starts a new line', async ({ page, stack }) => {
  const { chatId } = await stack.customerWrites(1, 'web-compose', 'Can you hear me?', 'Composer Test');
  await signIn(page, stack);
  await page.getByRole('tab', { name: /^All/ }).click();
  await openChat(page, /Composer Test/);

  const composer = page.getByLabel('Message', { exact: true });
  await composer.fill('Hello from the desk');
  await composer.press('Enter');
  await expect(composer).toHaveValue('');
  const sent = thread(page).locator('.msg-row', { hasText: 'Hello from the desk' });
  await expect(sent).toHaveAttribute('data-state', 'sent');

  await composer.pressSequentially('First line');
  await composer.press('Shift+Enter');
  await composer.pressSequentially('second line');
  await expect(composer).toHaveValue('First line\nsecond line');
  await composer.press('Enter');
  await expect(thread(page).locator('.msg-row', { hasText: 'second line' })).toHaveAttribute('data-state', 'sent');

  const texts = (await stack.messages(chatId)).map((message) => message.text);
  expect(texts.filter((text) => text === 'Hello from the desk')).toHaveLength(1);
  expect(texts).toContain('First line\nsecond line');
});

test('files attach by picker and by paste, show their progress, and arrive in the thread', async ({ page, stack }) => {
  const { chatId } = await stack.customerWrites(1, 'web-files', 'Please send me the invoice', 'File Test');
  await signIn(page, stack);
  await page.getByRole('tab', { name: /^All/ }).click();
  await openChat(page, /File Test/);

  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Attach files' }).click();
  await (await chooser).setFiles([
    { name: 'invoice-notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Invoice 2026-114: 3 seats, paid.\n') },
    { name: 'receipt.png', mimeType: 'image/png', buffer: PNG },
  ]);
  const tray = page.getByRole('list', { name: 'Files to send' });
  await expect(tray.getByText('invoice-notes.txt')).toBeVisible();
  await expect(tray.getByText('receipt.png')).toBeVisible();
  await expect(tray.getByText('Ready')).toHaveCount(2);

  const composer = page.getByLabel('Message', { exact: true });
  await composer.fill('Here you are');
  await composer.press('Enter');
  await expect(tray).toHaveCount(0);
  const message = thread(page).locator('.msg-row', { hasText: 'Here you are' });
  await expect(message).toHaveAttribute('data-state', 'sent');
  await expect(message.getByRole('link', { name: 'Open invoice-notes.txt' })).toBeVisible();
  await expect(message.getByRole('img', { name: 'receipt.png' })).toBeVisible();
  // The image is really served (from the desk's cache of the attachment), not a broken picture.
  await expect.poll(() => message.getByRole('img', { name: 'receipt.png' }).evaluate((image) => image.naturalWidth)).toBe(2);

  // Paste a file into the composer.
  await composer.focus();
  await composer.evaluate((textarea) => {
    // In the page: the browser's own DataTransfer, File and ClipboardEvent, as a real paste makes them.
    const view = textarea.ownerDocument.defaultView;
    const data = new view.DataTransfer();
    data.items.add(new view.File(['pasted text'], 'pasted.txt', { type: 'text/plain' }));
    textarea.dispatchEvent(new view.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await expect(tray.getByText('pasted.txt')).toBeVisible();
  await composer.press('Enter');
  await expect(thread(page).getByRole('link', { name: 'Open pasted.txt' })).toBeVisible();

  // Drag a file from the desktop onto the chat.
  const view = page.getByRole('region', { name: 'File Test' });
  const drag = await page.evaluateHandle(`(() => {
    const data = new DataTransfer();
    data.items.add(new File(['dropped text'], 'dropped.txt', { type: 'text/plain' }));
    return data;
  })()`);
  await view.dispatchEvent('dragenter', { dataTransfer: drag });
  await expect(page.getByText('Drop files to attach them')).toBeVisible();
  await view.dispatchEvent('drop', { dataTransfer: drag });
  await expect(page.getByText('Drop files to attach them')).toHaveCount(0);
  await expect(tray.getByText('dropped.txt')).toBeVisible();
  await composer.press('Enter');
  await expect(thread(page).getByRole('link', { name: 'Open dropped.txt' })).toBeVisible();

  const messages = await stack.messages(chatId);
  const withFiles = messages.find((item) => item.text === 'Here you are');
  expect(withFiles?.attachments.map((attachment) => attachment.name).sort()).toEqual(['invoice-notes.txt', 'receipt.png']);
  expect(messages.some((item) => item.attachments.some((attachment) => attachment.name === 'pasted.txt'))).toBe(true);
});

test('a file the server refuses shows why and is not sent', async ({ page, stack }) => {
  await stack.customerWrites(1, 'web-bad-file', 'Send me a script', 'Bad File Test');
  await signIn(page, stack);
  await page.getByRole('tab', { name: /^All/ }).click();
  await openChat(page, /Bad File Test/);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Attach files' }).click();
  await (await chooser).setFiles([{ name: 'page.html', mimeType: 'text/html', buffer: Buffer.from('<html><script>alert(1)</script></html>') }]);
  const tray = page.getByRole('list', { name: 'Files to send' });
  await expect(tray.getByText(/Refused:/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send' })).toBeDisabled();
  await page.getByRole('button', { name: 'Remove page.html' }).click();
  await expect(tray).toHaveCount(0);
});

test('/ opens canned responses, searchable, and Enter inserts one', async ({ page, stack }) => {
  const { chatId } = await stack.customerWrites(1, 'web-canned', 'Thanks, that was all', 'Canned Test');
  await signIn(page, stack);
  await page.getByRole('tab', { name: /^All/ }).click();
  await openChat(page, /Canned Test/);

  const composer = page.getByLabel('Message', { exact: true });
  await composer.pressSequentially('/');
  const picker = page.getByRole('dialog', { name: 'Canned responses' });
  await expect(picker.getByRole('option')).not.toHaveCount(0);
  // Website chats see the all-sources responses and the Website one, not Telegram's or VK's.
  await expect(picker.getByRole('option', { name: /Godziny pracy/ })).toBeVisible();
  await expect(picker.getByRole('option', { name: /Please wait/ })).toHaveCount(0);
  await composer.pressSequentially('thank');
  await expect(picker.getByRole('option')).toHaveCount(1);
  await expect(picker.getByRole('option', { name: /Thank you/ })).toHaveAttribute('aria-selected', 'true');
  await composer.press('Enter');
  await expect(picker).toHaveCount(0);
  await expect(composer).toHaveValue('Thank you for contacting us! Is there anything else I can help with?');
  await composer.press('Enter');
  await expect(thread(page).locator('.msg-row', { hasText: 'Thank you for contacting us!' })).toHaveAttribute('data-state', 'sent');
  expect((await stack.messages(chatId)).some((message) => message.text === 'Thank you for contacting us! Is there anything else I can help with?')).toBe(true);

  // Esc closes the picker and keeps what was typed.
  await composer.pressSequentially('/gre');
  await expect(picker).toBeVisible();
  await composer.press('Escape');
  await expect(picker).toHaveCount(0);
  await expect(composer).toHaveValue('/gre');
});
