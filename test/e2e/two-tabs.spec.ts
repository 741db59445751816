// Two tabs of the same web desk are two windows: each has its own open chat and its own focus.
// A customer's message notifies unless a focused tab shows its chat, however the tabs' focus
// reports arrive (one tab's blur used to silence or unsilence the other's open chat).
import type { BrowserContext, Page } from '@playwright/test';
import { chatOption, expect, openChat, signIn, test, thread } from './fixtures';

/**
 * The OS focus and notifications are outside the page: each page reads its focus from a flag the
 * test sets, and records what it asks the browser to show.
 */
async function instrument(context: BrowserContext): Promise<void> {
  await context.grantPermissions(['notifications']);
  await context.addInitScript(`{
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
    window.deskFocused = true;
    Document.prototype.hasFocus = function () { return window.deskFocused; };
    Object.defineProperty(Document.prototype, 'visibilityState', { get: () => 'visible' });
  }`);
}

/** The bridge's `desk.focus` requests a page sent, and the ids the desk answered. */
interface FocusLog {
  sent: { id: number; focused: boolean }[];
  answered: Set<number>;
}

function watchFocusReports(page: Page): FocusLog {
  const log: FocusLog = { sent: [], answered: new Set() };
  page.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => {
      const frame: unknown = JSON.parse(String(payload));
      if (typeof frame === 'object' && frame !== null && 'name' in frame && frame.name === 'desk.focus' && 'id' in frame && typeof frame.id === 'number' && 'args' in frame) {
        const args = frame.args;
        log.sent.push({ id: frame.id, focused: typeof args === 'object' && args !== null && 'focused' in args && args.focused === true });
      }
    });
    socket.on('framereceived', ({ payload }) => {
      const frame: unknown = JSON.parse(String(payload));
      if (typeof frame === 'object' && frame !== null && 'type' in frame && frame.type === 'reply' && 'id' in frame && typeof frame.id === 'number') log.answered.add(frame.id);
    });
  });
  return log;
}

/** The operator moves to (or away from) this tab; returns once the desk has taken the page's report. */
async function setFocus(page: Page, log: FocusLog, focused: boolean): Promise<void> {
  const before = log.sent.length;
  await page.evaluate(`window.deskFocused = ${focused}; window.dispatchEvent(new Event('${focused ? 'focus' : 'blur'}'));`);
  await expect.poll(() => log.sent.slice(before).some((report) => report.focused === focused && log.answered.has(report.id))).toBe(true);
}

async function shown(page: Page): Promise<string> {
  return String(await page.evaluate('JSON.stringify(window.shownNotifications)'));
}

test('two tabs, each with its own open chat and focus, get notifications only for what no focused tab shows', async ({ context, stack }) => {
  await instrument(context);
  await stack.customerWrites(1, 'tabs-alpha', 'Hello from Alpha', 'Customer Alpha');
  await stack.customerWrites(2, 'tabs-beta', 'Hello from Beta', 'Customer Beta');
  await stack.customerWrites(1, 'tabs-gamma', 'Hello from Gamma', 'Customer Gamma');

  const first = await context.newPage();
  const firstFocus = watchFocusReports(first);
  await signIn(first, stack);
  await first.getByRole('tab', { name: /^All/ }).click();
  await openChat(first, /Customer Alpha/);

  // The second tab of the same desk: already signed in.
  const second = await context.newPage();
  const secondFocus = watchFocusReports(second);
  await second.goto(stack.desk.url);
  await second.getByRole('tab', { name: /^All/ }).click();
  await expect(chatOption(second, /Customer Beta/)).toBeVisible();
  await openChat(second, /Customer Beta/);

  // The operator reads Alpha in the first tab; the second tab loses the focus last.
  await setFocus(first, firstFocus, true);
  await setFocus(second, secondFocus, false);

  await stack.customerWrites(1, 'tabs-alpha', 'Alpha while read', 'Customer Alpha');
  await expect(thread(first).getByText('Alpha while read')).toBeVisible();
  await stack.customerWrites(2, 'tabs-beta', 'Beta in the background', 'Customer Beta');
  // Beta is open only in the unfocused tab: both tabs hear of it (the browser shows one, by tag).
  for (const page of [first, second]) await expect.poll(() => shown(page)).toContain('"title":"Customer Beta","body":"Beta in the background"');
  // Gamma is in no tab: it notifies too, and by now Alpha's message would have.
  await stack.customerWrites(1, 'tabs-gamma', 'Gamma anywhere', 'Customer Gamma');
  for (const page of [first, second]) await expect.poll(() => shown(page)).toContain('Gamma anywhere');
  for (const page of [first, second]) expect(await shown(page)).not.toContain('Alpha while read');

  // The operator switches to the second tab: now Beta is being read and Alpha is not.
  await setFocus(first, firstFocus, false);
  await setFocus(second, secondFocus, true);
  await stack.customerWrites(2, 'tabs-beta', 'Beta while read', 'Customer Beta');
  await expect(thread(second).getByText('Beta while read')).toBeVisible();
  await stack.customerWrites(1, 'tabs-alpha', 'Alpha in the background', 'Customer Alpha');
  for (const page of [first, second]) await expect.poll(() => shown(page)).toContain('"title":"Customer Alpha","body":"Alpha in the background"');
  for (const page of [first, second]) expect(await shown(page)).not.toContain('Beta while read');

  // A tab that goes away takes its open chat with it: Beta notifies again, the first tab is focused on Alpha.
  await second.close();
  await setFocus(first, firstFocus, true);
  await expect.poll(() => stack.desk.connections()).toBe(1);
  await stack.customerWrites(2, 'tabs-beta', 'Beta after the tab closed', 'Customer Beta');
  await expect.poll(() => shown(first)).toContain('Beta after the tab closed');
  await stack.customerWrites(1, 'tabs-alpha', 'Alpha read again', 'Customer Alpha');
  await expect(thread(first).getByText('Alpha read again')).toBeVisible();
  await stack.customerWrites(1, 'tabs-gamma', 'Gamma last', 'Customer Gamma');
  await expect.poll(() => shown(first)).toContain('Gamma last');
  expect(await shown(first)).not.toContain('Alpha read again');
});
