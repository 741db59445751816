// The README's pictures of the website widget on the demo shop, light and dark, with a short real
// conversation. `SCREENSHOTS=docs npx playwright test widget-screenshots` writes them to
// docs/screenshots/; a normal run writes them under test-results/ and still checks what they show.
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { VisitorSpaceCreated } from '../../common/visitor-api';
import { expect, openWidget, test, visitorSends } from './widget-fixtures';

const OUT = process.env.SCREENSHOTS === 'docs' ? join('docs', 'screenshots') : join('test-results', 'screenshots');

test.use({ shopHost: '127.0.0.1', viewport: { width: 1100, height: 760 } });

async function shoot(page: Page, name: string): Promise<void> {
  await page.locator('body').evaluate((body) => {
    const view = body.ownerDocument.defaultView;
    return body.ownerDocument.fonts.ready.then(() => new Promise((resolve) => view?.requestAnimationFrame(() => view.requestAnimationFrame(resolve))));
  });
  await page.screenshot({ path: join(OUT, `${name}.png`) });
}

test('screenshots of the widget, light and dark', async ({ page, widget }) => {
  await widget.configure({ locale: 'en', theme: 'light', welcome_message: 'Hi! Ask us anything — we usually answer within minutes.' });
  const frame = await openWidget(page, widget);
  const started = page.waitForResponse((response) => response.url().includes('/chat/widget/spaces.json') && response.status() === 201);
  await visitorSends(page, frame, 'Hello! Do you ship to Gdańsk?');
  const space: VisitorSpaceCreated = await (await started).json();
  expect((await widget.operator('POST', `/api/v1/chats/${space.space_id}/send`, { text: 'Hello! Yes, we deliver across Poland in two working days.' })).status).toBe(201);
  const log = frame.getByRole('log', { name: 'Messages' });
  await expect(log.getByText('Hello! Yes, we deliver across Poland in two working days.')).toBeVisible();
  await shoot(page, 'widget-light');

  await widget.configure({ theme: 'dark' });
  await page.reload();
  const again = await openWidget(page, widget);
  await expect(again.getByRole('log', { name: 'Messages' }).getByText('Hello! Yes, we deliver across Poland in two working days.')).toBeVisible();
  await shoot(page, 'widget-dark');
});
