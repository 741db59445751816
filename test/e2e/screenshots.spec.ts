// The README's pictures of the main screens, taken from the real desk with a real server.
// `SCREENSHOTS=docs npx playwright test screenshots` writes them to docs/screenshots/; a normal
// run writes them under test-results/ (so `npm test` leaves the tree clean) and still checks
// that each screen shows what the picture is meant to show.
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ADMIN, expect, MOD, openChat, signIn, test, thread, type Stack } from './fixtures';

const OUT = process.env.SCREENSHOTS === 'docs' ? join('docs', 'screenshots') : join('test-results', 'screenshots');

/** A small but real PDF (the server checks content, not names). */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

async function shoot(page: Page, name: string): Promise<void> {
  // Let fonts, images and the virtualised lists settle before the picture.
  await page.locator('body').evaluate((body) => {
    const view = body.ownerDocument.defaultView;
    return body.ownerDocument.fonts.ready.then(() => new Promise((resolve) => view.requestAnimationFrame(() => view.requestAnimationFrame(resolve))));
  });
  await page.screenshot({ path: join(OUT, `${name}.png`) });
}

async function conversation(stack: Stack): Promise<number> {
  const customer = (text: string) => stack.customerWrites(1, 'web-kasia', text, 'Katarzyna Wiśniewska');
  const reply = (chatId: number, text: string) => stack.api(MOD.email, 'POST', `/api/v1/chats/${chatId}/send`, { text });
  const { chatId } = await customer('Dzień dobry! Po zmianie hasła nie mogę zalogować się do panelu klienta.');
  expect((await stack.api(MOD.email, 'POST', `/api/v1/chats/${chatId}/assign-me`)).status).toBe(200);
  await reply(chatId, 'Dzień dobry, Pani Katarzyno! Już sprawdzam. Czy pojawia się jakiś komunikat o błędzie?');
  await customer('Tak: „Nieprawidłowy token sesji”. Przesyłam też fakturę, której dotyczy konto.');
  const raw = JSON.stringify({
    external_user_id: 'web-kasia',
    attachments: [{ name: 'faktura-2026-114.pdf', mime_type: 'application/pdf', content_base64: PDF.toString('base64') }],
  });
  const { webhookHeaders } = await import('../../server/dialects/v1/webhook-signature');
  const response = await fetch(`${stack.server.url}/api/v1/webhooks/sources/1`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...webhookHeaders('demo-webhook-secret', raw, stack.server.clock.now()) },
    body: raw,
  });
  expect(response.status).toBeLessThan(300);
  await reply(chatId, 'Dziękuję. Zresetowałam sesje na Pani koncie — proszę zalogować się ponownie.');
  await customer('Działa, dziękuję! A czy mogę jeszcze zmienić adres do faktur?');
  return chatId;
}

test('screenshots of the main screens', async ({ page, stack }) => {
  await page.goto(stack.desk.url);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Email').fill(MOD.email);
  await shoot(page, 'login');

  const chatId = await conversation(stack);
  await signIn(page, stack);
  await openChat(page, /Katarzyna Wiśniewska/);
  await expect(thread(page).getByText('A czy mogę jeszcze zmienić adres do faktur?')).toBeVisible();
  await expect(thread(page).getByRole('link', { name: 'Open faktura-2026-114.pdf' })).toBeVisible();
  await stack.api(ADMIN.email, 'POST', `/api/v1/chats/${chatId}/typing`, { typing: true });
  await expect(page.getByText('Admin is typing…')).toBeVisible();
  await page.getByLabel('Message', { exact: true }).fill('Oczywiście! Proszę podać nowy adres');
  await shoot(page, 'desk-light');

  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('dialog', { name: 'Settings' }).getByLabel('Theme').selectOption('dark');
  await page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Close' }).last().click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await stack.api(ADMIN.email, 'POST', `/api/v1/chats/${chatId}/typing`, { typing: true });
  await expect(page.getByText('Admin is typing…')).toBeVisible();
  await shoot(page, 'desk-dark');

  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('dialog', { name: 'Settings' }).getByLabel('Theme').selectOption('light');
  await page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Close' }).last().click();
  await stack.server.stop();
  await expect(page.getByRole('alert', { name: 'Offline' })).toBeVisible();
  const composer = page.getByLabel('Message', { exact: true });
  await composer.fill('Oczywiście! Proszę podać nowy adres, zmienię go od razu.');
  await composer.press('Enter');
  await expect(thread(page).locator('.msg-row', { hasText: 'zmienię go od razu' })).toHaveAttribute('data-state', 'pending');
  await shoot(page, 'offline');
});
