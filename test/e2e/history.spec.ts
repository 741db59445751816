import type { Page } from '@playwright/test';
import { expect, openChat, signIn, test, thread } from './fixtures';

const LINES = 130;
const line = (n: number) => `Line ${n} of a long conversation`;

/** The number of the topmost message visible in the thread (null while none is). */
function topmostLine(page: Page): Promise<number | null> {
  return thread(page).evaluate((log) => {
    const top = log.getBoundingClientRect().top;
    const rows = [...log.querySelectorAll('.msg-row')].filter((row) => row.getBoundingClientRect().bottom > top + 4);
    rows.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
    const match = /Line (\d+) of/.exec(rows[0]?.textContent ?? '');
    return match ? Number(match[1]) : null;
  });
}

/** Two animation frames of the page: what a scroll changed has been laid out and painted. */
function nextFrame(page: Page): Promise<void> {
  return thread(page).evaluate(
    (log) =>
      new Promise<void>((resolve) => {
        const view = log.ownerDocument.defaultView;
        view.requestAnimationFrame(() => view.requestAnimationFrame(() => resolve()));
      }),
  );
}

test('scrolling up pages in older history without losing the reader’s place', async ({ page, stack }) => {
  for (let n = 1; n <= LINES; n++) await stack.customerWrites(1, 'web-long-talk', line(n), 'Long Talker');
  await signIn(page, stack);
  await page.getByRole('tab', { name: /^All/ }).click();
  await openChat(page, /Long Talker/);

  const log = thread(page);
  await expect(log.getByText(line(LINES), { exact: true })).toBeVisible();
  await expect(log.getByText(line(1), { exact: true })).toHaveCount(0);

  // Scroll up a little at a time. Each step may only reveal the next few older messages: if a
  // prepended page pushed the view (a jump), the topmost message would leap by a page at once.
  await log.hover();
  let previous = await topmostLine(page);
  expect(previous).not.toBeNull();
  let steps = 0;
  while (!(await log.getByText(line(1), { exact: true }).isVisible())) {
    expect(steps++, 'reached the first message').toBeLessThan(400);
    await page.mouse.wheel(0, -300);
    await nextFrame(page);
    const current = await topmostLine(page);
    if (current === null || previous === null) continue;
    expect(current, `after step ${steps} the view moved from line ${previous} to ${current}`).toBeLessThanOrEqual(previous);
    expect(previous - current, `after step ${steps} the view jumped from line ${previous} to ${current}`).toBeLessThanOrEqual(12);
    previous = current;
  }
  await expect(log.getByText('This is the beginning of the conversation.')).toBeVisible();
  // Every message is there once.
  await expect(log.getByText(line(2), { exact: true })).toHaveCount(1);
});
