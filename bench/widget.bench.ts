// Widget benchmark (DESIGN §9): the gzip sizes of a fresh build beside their budgets, and the time
// from a click on the launcher to the visitor's composer on screen, in Debian's Chromium, on the
// demo shop (another origin than the server, strict CSP):
// - cold: a new browser context each time (empty HTTP cache, no storage);
// - warm: the same context after a reload (cache warm).
// The baseline, measured in the same run: a click that inserts an iframe whose own document holds
// the same input (no network, no script) — what any frame at all costs this browser on this machine.
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoShop } from '../scripts/demo-shop';
import { createServer } from '../server/app';
import { DEMO_WIDGET_TOKEN } from '../server/demo/seed';
import { quietLogger } from '../server/logger';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../test/e2e/chromium';
import { APP_BUDGET, buildWidget, gzipSizes, LOADER_BUDGET } from '../widget/build';

const RUNS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Milliseconds from the launcher click to the composer being visible in the frame. */
async function clickToComposer(page: Page, shopUrl: string): Promise<number> {
  await page.goto(shopUrl);
  const launcher = page.locator('[data-switchboard-widget]').getByRole('button');
  await launcher.waitFor();
  const started = performance.now();
  await launcher.click();
  // The composer's textarea, whatever the widget's language.
  await page.frameLocator('iframe[src*="/widget/frame"]').locator('textarea').waitFor({ state: 'visible' });
  return performance.now() - started;
}

async function baseline(context: BrowserContext): Promise<number> {
  const page = await context.newPage();
  // The page's own script adds the frame, as the loader's does (no DOM types on this side).
  await page.setContent(`<button id="open">Open</button><script>
    document.getElementById('open').addEventListener('click', () => {
      const frame = document.createElement('iframe');
      frame.title = 'Baseline';
      frame.srcdoc = '<label>Your message <textarea></textarea></label>';
      document.body.append(frame);
    });
  </script>`);
  const started = performance.now();
  await page.click('#open');
  await page.frameLocator('iframe[title="Baseline"]').getByLabel('Your message').waitFor({ state: 'visible' });
  const ms = performance.now() - started;
  await page.close();
  return ms;
}

async function main(): Promise<void> {
  const dist = mkdtempSync(join(tmpdir(), 'switchboard-widget-bench-'));
  const sizes = gzipSizes(await buildWidget(dist), dist);
  rmSync(dist, { recursive: true, force: true });
  console.log(`loader: ${sizes.loader} B gzip (budget ${LOADER_BUDGET} B, ${((100 * sizes.loader) / LOADER_BUDGET).toFixed(0)}%)`);
  console.log(`visitor app initial chunk: ${sizes.app + sizes.style} B gzip (JS ${sizes.app} + CSS ${sizes.style}; budget ${APP_BUDGET} B, ${((100 * (sizes.app + sizes.style)) / APP_BUDGET).toFixed(0)}%)`);

  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-widget-bench-data-'));
  const server = await createServer({ dataDir, demo: true, logger: quietLogger() });
  const { url } = await server.listen(0, '127.0.0.1');
  const shop = await startDemoShop({ serverUrl: url, widgetToken: DEMO_WIDGET_TOKEN, hostname: '127.0.0.1' });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, args: CHROMIUM_ARGS });
    const cold: number[] = [];
    const warm: number[] = [];
    const base: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      cold.push(await clickToComposer(page, shop.url));
      warm.push(await clickToComposer(page, shop.url));
      base.push(await baseline(context));
      await context.close();
    }
    const floor = median(base);
    const line = (name: string, values: number[]) =>
      console.log(`click to composer, ${name}: median ${median(values).toFixed(0)} ms over ${RUNS} (${(median(values) / floor).toFixed(1)}× the baseline)`);
    line('cold', cold);
    line('warm', warm);
    console.log(`baseline (an iframe with the same input, no network): median ${floor.toFixed(0)} ms`);
  } finally {
    await browser?.close();
    await shop.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
