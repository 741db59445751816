import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, Page } from '@playwright/test';
import { expect, frameOf, launcher, openWidget, test, visitorSends, widgetFrame } from './widget-fixtures';

// The widget on a strict site: what it does to the host page before and after the visitor asks for it.

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core inside a document (evaluated through the debugger protocol, so the page's CSP does not apply). */
async function seriousViolations(target: Page | Frame): Promise<string[]> {
  await target.evaluate(axeSource);
  const violations = await target.evaluate<AxeViolation[]>(`axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations)`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

test('before the visitor asks, the launcher is all there is: no frame, no cookie, no storage, no CSP violation', async ({ page, context, widget }) => {
  await page.goto(widget.shop.url);
  await expect(launcher(page)).toBeVisible();
  await expect(launcher(page)).toHaveAccessibleName('Otwórz czat');
  expect(await page.locator('iframe').count()).toBe(0);
  // The host page's own buttons work with the widget closed.
  await page.getByRole('button', { name: 'Add to cart' }).first().click();
  await expect(page.getByText('Cart: 1 item')).toBeVisible();
  expect(await context.cookies()).toEqual([]);
  expect(await page.evaluate('[localStorage.length, sessionStorage.length]')).toEqual([0, 0]);
  expect(await widget.violations(page)).toEqual([]);
  expect(widget.requests.some((url) => url.includes('/widget/frame'))).toBe(false);

  // Hovering loads the frame, but nothing covers the page until it is opened.
  await launcher(page).hover();
  await frameOf(page);
  await expect(page.locator('iframe[title="Czat"]')).toBeHidden();
  await page.getByRole('button', { name: 'Add to cart' }).nth(1).click();
  await expect(page.getByText('Cart: 2 items')).toBeVisible();

  await launcher(page).click();
  const frame = page.frameLocator('iframe[title="Czat"]');
  await expect(frame.getByRole('heading', { name: 'Pomoc' })).toBeVisible();
  await expect(frame.getByText('Dzień dobry! Napisz, w czym możemy pomóc.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Zamknij czat' })).toBeVisible();
  // The host page still holds nothing of the widget's.
  expect(await context.cookies()).toEqual([]);
  expect(await page.evaluate('[localStorage.length, sessionStorage.length]')).toEqual([0, 0]);
  expect(await widget.violations(page)).toEqual([]);

  // Escape closes it and gives the focus back to the launcher.
  await frame.getByRole('textbox', { name: 'Twoja wiadomość' }).press('Escape');
  await expect(page.locator('iframe[title="Czat"]')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Otwórz czat' })).toBeFocused();
});

test.describe('in English', () => {
  test.beforeEach(async ({ widget }) => {
    await widget.configure({ locale: 'en' });
  });

  test('a 375×667 screen gets the conversation full screen', async ({ page, widget }) => {
    await page.setViewportSize({ width: 375, height: 667 });
    const frame = await openWidget(page, widget);
    await expect(frame.getByRole('button', { name: 'Close chat' })).toBeVisible();
    const box = await page.locator('iframe[title="Chat"]').boundingBox();
    expect(box).toEqual({ x: 0, y: 0, width: 375, height: 667 });
    await expect(frame.getByLabel('Your message')).toBeInViewport();
  });

  test('the widget’s screens have no serious or critical accessibility violations, light and dark', async ({ page, widget }) => {
    await widget.configure({ theme: 'light', require_client_data: true, client_data_fields: ['name', 'email'] });
    await page.goto(widget.shop.url);
    await expect(launcher(page)).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await launcher(page).click();
    const frame = widgetFrame(page);
    await expect(frame.getByLabel('Name')).toBeVisible();
    const inside = await frameOf(page);
    expect(await seriousViolations(inside)).toEqual([]);
    await frame.getByLabel('Name').fill('Ala');
    await frame.getByLabel('E-mail').fill('ala@example.org');
    await visitorSends(page, frame, 'Is it accessible?');
    await expect(frame.getByRole('log').getByText('Sent')).toBeAttached();
    expect(await seriousViolations(inside)).toEqual([]);

    await widget.configure({ theme: 'dark' });
    // Another site: this browser refuses the frame storage, so the conversation lasted the page's lifetime.
    await page.reload();
    await launcher(page).click();
    await expect(frame.getByLabel('Name')).toBeVisible();
    const dark = await frameOf(page);
    await expect.poll(() => dark.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    expect(await seriousViolations(dark)).toEqual([]);
  });
});

test('keyboard only: Tab to the launcher, Enter opens it, the visitor writes and sends, Escape closes', async ({ page, widget }) => {
  await widget.configure({ locale: 'en' });
  await page.goto(widget.shop.url);
  await expect(launcher(page)).toBeVisible();
  // The shop's three buttons come first, then the launcher.
  for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Open chat' })).toBeFocused();
  await page.keyboard.press('Enter');
  const frame = widgetFrame(page);
  await expect(frame.getByLabel('Your message')).toBeFocused();
  await page.keyboard.type('Typed without a mouse');
  await page.keyboard.press('Enter');
  await expect(frame.getByRole('log').getByText('Typed without a mouse')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('iframe[title="Chat"]')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Open chat' })).toBeFocused();
  // Opened again: the focus goes straight back to the message.
  await page.keyboard.press('Enter');
  await expect(frame.getByLabel('Your message')).toBeFocused();
});

test('an inactive widget draws nothing on the page', async ({ page, widget }) => {
  await widget.configure({ active: false });
  const settings = page.waitForResponse((response) => response.url().includes('/chat/widget_data.json'));
  await page.goto(widget.shop.url);
  expect(await (await settings).json()).toMatchObject({ active: false });
  await page.waitForLoadState('networkidle');
  await expect(page.getByRole('button', { name: 'Add to cart' }).first()).toBeVisible();
  await expect(page.locator('[data-switchboard-widget]')).toHaveCount(0);
  expect(await page.locator('iframe').count()).toBe(0);
});

test('speaks Polish and Russian by the widget’s locale, launcher and conversation alike', async ({ page, widget }) => {
  for (const { locale, open, frame: frameTitle, label, send } of [
    { locale: 'pl', open: 'Otwórz czat', frame: 'Czat', label: 'Twoja wiadomość', send: 'Wyślij' },
    { locale: 'ru', open: 'Открыть чат', frame: 'Чат', label: 'Ваше сообщение', send: 'Отправить' },
  ]) {
    await widget.configure({ locale });
    await page.goto(widget.shop.url);
    await expect(launcher(page)).toHaveAccessibleName(open);
    await launcher(page).click();
    const frame = page.frameLocator(`iframe[title="${frameTitle}"]`);
    await expect(frame.getByLabel(label)).toBeVisible();
    await expect(frame.getByRole('button', { name: send })).toBeVisible();
  }
});
