import { expect, signIn, test } from './fixtures';

test('language and theme switch at once and are remembered', async ({ page, stack }) => {
  await signIn(page, stack);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.getByRole('tab', { name: /^Mine/ })).toBeVisible();

  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByLabel('Language').selectOption('pl');
  await expect(page.getByRole('tab', { name: /^Moje/ })).toBeVisible();
  await expect(page.getByRole('dialog', { name: 'Ustawienia' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'pl');

  await page.getByRole('dialog', { name: 'Ustawienia' }).getByLabel('Motyw').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const background = await page.locator('body').evaluate((body) => body.ownerDocument.defaultView.getComputedStyle(body).backgroundColor);
  expect(background).toBe('rgb(14, 16, 20)');

  await page.getByRole('dialog', { name: 'Ustawienia' }).getByLabel('Język').selectOption('ru');
  await expect(page.getByRole('tab', { name: /^Мои/ })).toBeVisible();
  await page.getByRole('dialog', { name: 'Настройки' }).getByRole('button', { name: 'Закрыть' }).first().click();
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // The engine keeps preferences: a new page starts in Russian and dark.
  await page.reload();
  await expect(page.getByRole('tab', { name: /^Мои/ })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('the first language comes from the browser', async ({ browser, stack }) => {
  const context = await browser.newContext({ locale: 'pl-PL' });
  const page = await context.newPage();
  await page.goto(stack.desk.url);
  await expect(page.getByRole('button', { name: 'Zaloguj się' })).toBeVisible();
  await expect(page.getByLabel('Adres serwera')).toHaveValue(stack.server.url);
  await context.close();
});
