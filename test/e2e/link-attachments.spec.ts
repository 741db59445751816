import { createServer, type IncomingHttpHeaders } from 'node:http';
import { expect, openChat, signIn, test, thread } from './fixtures';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

test("a customer's link shows as a link with its host, is not fetched by the desk, and opens only when clicked", async ({ page, stack }) => {
  // Another origin (another port) that counts whoever asks it for anything.
  const requests: { url: string; headers: IncomingHttpHeaders }[] = [];
  const bystander = createServer((request, response) => {
    requests.push({ url: request.url ?? '', headers: request.headers });
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end('<title>intranet</title>');
  });
  await new Promise<void>((resolve) => bystander.listen(0, '127.0.0.1', resolve));
  const address = bystander.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const host = `127.0.0.1:${address.port}`;
  const linkUrl = `http://${host}/internal-admin?action=reboot`;
  try {
    await stack.customerWrites(2, 'tg-link', 'Here is my screenshot', 'Link Customer', [
      // An image type: shown inline, it would be fetched without anyone clicking.
      { url: linkUrl, name: 'screenshot.png', mime_type: 'image/png' },
      { name: 'receipt.png', mime_type: 'image/png', content_base64: PNG.toString('base64') },
    ]);
    await signIn(page, stack);
    await page.getByRole('tab', { name: /^All/ }).click();
    await openChat(page, /Link Customer/);
    const message = thread(page).locator('.msg-row', { hasText: 'Here is my screenshot' });

    const link = message.getByRole('link', { name: `Open the link screenshot.png on ${host} in your browser` });
    await expect(link).toBeVisible();
    await expect(link).toContainText(host);
    await expect(link).toHaveAttribute('href', linkUrl);
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    await expect(link).not.toHaveAttribute('download', /.*/);
    await expect(message.getByRole('img', { name: 'screenshot.png' })).toHaveCount(0);
    // The server's own file beside it is still a picture from the desk's cache.
    await expect.poll(() => message.getByRole('img', { name: 'receipt.png' }).evaluate((image) => image.naturalWidth)).toBe(1);
    expect(requests, 'neither the desk nor the page fetched the link').toEqual([]);

    // Opened on purpose: a new tab, without telling the other site where the operator came from.
    const popup = page.waitForEvent('popup');
    await link.click();
    await (await popup).waitForLoadState();
    // (The new tab may also ask for /favicon.ico.)
    await expect.poll(() => requests.map((request) => request.url)).toContain('/internal-admin?action=reboot');
    const opened = requests.find((request) => request.url === '/internal-admin?action=reboot');
    expect(opened?.headers.referer).toBeUndefined();
  } finally {
    await new Promise<void>((resolve) => bystander.close(() => resolve()));
  }
});
