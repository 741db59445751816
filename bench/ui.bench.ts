// UI benchmark, measured in Chromium (playwright-core driving /usr/bin/chromium):
//   1. time from desk start (the web desk: engine + HTTP + bridge) to an interactive chat list with
//      10,000 cached chats, beside the same with the demo's ~20 chats in the same run;
//   2. frame times (requestAnimationFrame deltas inside the page) while scrolling a 10,000-message
//      thread, up (paging older history in from the cache) and down (all of it loaded), beside idle
//      frames of the same page.
// The chat server runs in a child process (this file again, as `server`), so it does not share the
// desk's event loop.
//
//   npm run bench -- ui        (UI_BENCH_CHATS, UI_BENCH_MESSAGES, UI_BENCH_RUNS to change the defaults)

import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { ensureRendererBuilt } from '../main/web/build-renderer';
import { startWebDesk, type WebDesk } from '../main/web/desk';
import { createServer } from '../server/app';
import { quietLogger } from '../server/logger';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../test/e2e/chromium';

const CHATS = Number(process.env.UI_BENCH_CHATS ?? 10_000);
const MESSAGES = Number(process.env.UI_BENCH_MESSAGES ?? 10_000);
const RUNS = Number(process.env.UI_BENCH_RUNS ?? 3);
/** Wheel distance per frame: a fast fling (72,000 px/s at 60 Hz), so the whole thread passes in seconds. */
const STEP = Number(process.env.UI_BENCH_STEP ?? 1200);
const LONG_THREAD_NAME = 'Long Thread Customer';

// ---- the child: a server with demo data, optionally 10,000 more chats and one 10,000-message thread ------

interface Ready {
  type: 'ready';
  url: string;
  seconds: number;
}

function isReady(value: unknown): value is Ready {
  return typeof value === 'object' && value !== null && 'type' in value && value.type === 'ready' && 'url' in value && typeof value.url === 'string';
}

const SENTENCES = [
  'Hello, I have a question about my order.',
  'The parcel still says “in transit” after five days — is that normal?',
  'Dzień dobry, czy mogę zmienić adres dostawy?',
  'Здравствуйте! Не приходит письмо с подтверждением.',
  'Thanks, that helped.\nOne more thing: can I get an invoice for the company?',
  'ok',
  'I tried again and it works now. Have a nice day!',
];

async function runServer(big: boolean): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-ui-bench-server-'));
  const server = await createServer({ dataDir, demo: true, sendPerMinute: 1_000_000_000, logger: quietLogger() });
  const started = performance.now();
  if (big) {
    const receive = (externalUserId: string, name: string, text: string) =>
      server.deps.chats.receive({ sourceId: 1 + (externalUserId.length % 2), externalUserId, userMetadata: { name }, text, attachments: [], externalMessageId: null });
    for (let i = 0; i < CHATS; i++) await receive(`bench-${i}`, `Customer ${i}`, SENTENCES[i % SENTENCES.length] ?? 'hi');
    for (let i = 0; i < MESSAGES; i++) await receive('bench-long-thread', LONG_THREAD_NAME, `#${i + 1} ${SENTENCES[i % SENTENCES.length] ?? ''}`);
  }
  const { url } = await server.listen(0, '127.0.0.1');
  process.send?.({ type: 'ready', url, seconds: (performance.now() - started) / 1000 } satisfies Ready);
  process.on('disconnect', () =>
    void server.close().then(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }),
  );
}

function startServerProcess(big: boolean): Promise<{ child: ChildProcess; url: string; seconds: number }> {
  const child = fork(fileURLToPath(import.meta.url), ['server', big ? 'big' : 'demo'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the server process exited with ${code}`)));
    child.on('message', (message) => {
      if (isReady(message)) resolve({ child, url: message.url, seconds: message.seconds });
    });
  });
}

// ---- figures ----------------------------------------------------------------------------------------------

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

interface FrameStats {
  frames: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  dropped: number;
  seconds: number;
}

/** Frames longer than 1.5 display intervals missed at least one vsync. */
function frameStats(deltas: readonly number[], interval: number): FrameStats {
  const sorted = [...deltas].sort((a, b) => a - b);
  return {
    frames: deltas.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    dropped: deltas.filter((delta) => delta > interval * 1.5).length,
    seconds: deltas.reduce((sum, delta) => sum + delta, 0) / 1000,
  };
}

function describe(stats: FrameStats): string {
  const percent = stats.frames > 0 ? ((stats.dropped / stats.frames) * 100).toFixed(1) : '0';
  return `${stats.frames} frames in ${stats.seconds.toFixed(1)} s, p50 ${stats.p50.toFixed(1)} ms, p95 ${stats.p95.toFixed(1)} ms, p99 ${stats.p99.toFixed(1)} ms, max ${stats.max.toFixed(1)} ms, dropped ${stats.dropped} (${percent}%)`;
}

// ---- the desk -------------------------------------------------------------------------------------------

/** Signs a desk in against a server and lets it sync everything into its cache; returns its data dir. */
async function syncedDeskData(serverUrl: string, fullThread: boolean): Promise<{ dataDir: string; seconds: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-ui-bench-desk-'));
  const desk = await startWebDesk({ dataDir, port: 0 });
  const started = performance.now();
  await desk.engine.handlers['session.login']({ serverUrl, email: 'admin@example.com', password: 'password' });
  await desk.engine.settled();
  if (fullThread) {
    const { rows } = await desk.engine.handlers['chats.list']({ tab: 'all', search: LONG_THREAD_NAME, limit: 5 });
    const chatId = rows.find((row) => row.title === LONG_THREAD_NAME)?.id;
    if (chatId === undefined) throw new Error('the long thread is not in the cache');
    let { messages, hasOlder } = await desk.engine.handlers['chat.open']({ chatId, limit: 200 });
    await desk.engine.settled();
    while (hasOlder) {
      const oldest = messages.find((message) => message.id > 0)?.id;
      if (oldest === undefined) break;
      ({ messages, hasOlder } = await desk.engine.handlers['chat.loadOlder']({ chatId, beforeId: oldest, limit: 100 }));
    }
    await desk.engine.handlers['chat.leave']({ chatId });
  }
  const seconds = (performance.now() - started) / 1000;
  await desk.close();
  return { dataDir, seconds };
}

interface StartTiming {
  listening: number;
  /** The page and its scripts are loaded (the load event). */
  pageLoaded: number;
  firstRows: number;
  interactive: number;
}

/** Desk start → the page shows chats and answers the keyboard (j selects the first chat). */
async function timeDeskStart(browser: Browser, dataDir: string): Promise<{ timing: StartTiming; desk: WebDesk; page: Page }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const started = performance.now();
  const desk = await startWebDesk({ dataDir, port: 0 });
  const listening = performance.now() - started;
  await page.goto(desk.url);
  const pageLoaded = performance.now() - started;
  const list = page.getByRole('listbox', { name: 'Chats' });
  await list.getByRole('option').first().waitFor();
  const firstRows = performance.now() - started;
  await page.getByRole('tab', { name: /^All/ }).click();
  await page.keyboard.press('j');
  await list.locator('[role=option][aria-current=true]').first().waitFor();
  const interactive = performance.now() - started;
  return { timing: { listening, pageLoaded, firstRows, interactive }, desk, page };
}

async function deskStartFigures(browser: Browser, dataDir: string, label: string): Promise<number> {
  const runs: StartTiming[] = [];
  for (let run = 0; run < RUNS; run++) {
    const { timing, desk, page } = await timeDeskStart(browser, dataDir);
    runs.push(timing);
    await page.close();
    await desk.close();
  }
  const interactive = median(runs.map((run) => run.interactive));
  console.log(
    `ui: desk start → interactive chat list, ${label}: median ${interactive.toFixed(0)} ms ` +
      `(runs ${runs.map((run) => run.interactive.toFixed(0)).join(', ')} ms; listening ${median(runs.map((run) => run.listening)).toFixed(0)} ms, ` +
      `page loaded ${median(runs.map((run) => run.pageLoaded)).toFixed(0)} ms, ` +
      `first rows ${median(runs.map((run) => run.firstRows)).toFixed(0)} ms)`,
  );
  return interactive;
}

// In-page code is plain JavaScript text: tsx (esbuild) would wrap named functions in a helper
// that does not exist inside the page.

/** Starts recording the duration of every frame (requestAnimationFrame to requestAnimationFrame). */
const RECORD_START = `(() => {
  window.__frames = [];
  window.__recording = true;
  let last = performance.now();
  const frame = (now) => {
    window.__frames.push(now - last);
    last = now;
    if (window.__recording) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  return [];
})`;

const RECORD_STOP = `(() => {
  window.__recording = false;
  return window.__frames.slice(1);
})`;

/** After the next frame: [at the end we scroll towards (1/0), sitting at the very top while older pages are still coming (1/0)]. */
const SCROLL_STATE = `((direction) => new Promise((resolve) => requestAnimationFrame(() => {
  const log = document.querySelector('[role=log][aria-label="Messages"]');
  const atStart = log.scrollTop <= 0 && log.textContent.includes('This is the beginning of the conversation.');
  const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 2;
  resolve([(direction === 'up' ? atStart : atEnd) ? 1 : 0, direction === 'up' && log.scrollTop <= 0 && !atStart ? 1 : 0]);
})))`;

/** Frame durations of the page doing nothing. */
const IDLE_SCRIPT = `(async (frames) => {
  const deltas = [];
  let last = await new Promise((resolve) => requestAnimationFrame(resolve));
  while (deltas.length < frames) {
    const now = await new Promise((resolve) => requestAnimationFrame(resolve));
    deltas.push(now - last);
    last = now;
  }
  return deltas;
})`;

function isNumbers(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number');
}

async function inPage(page: Page, script: string, argument: unknown): Promise<number[]> {
  const result: unknown = await page.evaluate(`${script}(${JSON.stringify(argument)})`);
  if (!isNumbers(result)) throw new Error('the page did not return numbers');
  return result;
}

/**
 * Scrolls the thread with real mouse-wheel input, `step` px a frame (one wheel event per frame),
 * until its start (up: older pages are paged in on the way) or its end, recording every frame.
 * Also counts the frames spent at the top waiting for an older page.
 */
async function scrollThread(page: Page, direction: 'up' | 'down', step: number, maxFrames: number): Promise<{ deltas: number[]; stalled: number }> {
  await page.getByRole('log', { name: 'Messages' }).hover();
  await inPage(page, RECORD_START, null);
  let stalled = 0;
  for (let frame = 0; frame < maxFrames; frame++) {
    await page.mouse.wheel(0, direction === 'up' ? -step : step);
    const [done = 1, waiting = 0] = await inPage(page, SCROLL_STATE, direction);
    stalled += waiting;
    if (done === 1) break;
  }
  return { deltas: await inPage(page, RECORD_STOP, null), stalled };
}

function idleFrames(page: Page, frames: number): Promise<number[]> {
  return inPage(page, IDLE_SCRIPT, frames);
}

async function main(): Promise<void> {
  console.log(`ui bench: ${CHATS} chats, a ${MESSAGES}-message thread, ${RUNS} runs; ${cpus().length} CPUs, load ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
  await ensureRendererBuilt((message) => console.log(message));
  const big = await startServerProcess(true);
  const small = await startServerProcess(false);
  const dirs: string[] = [];
  const browser = await chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, args: CHROMIUM_ARGS });
  try {
    console.log(`setup: server seeded ${CHATS} chats and ${MESSAGES} messages in ${big.seconds.toFixed(1)} s`);
    const bigDesk = await syncedDeskData(big.url, true);
    dirs.push(bigDesk.dataDir);
    console.log(`setup: the desk synced them into its cache (all chats, the whole long thread) in ${bigDesk.seconds.toFixed(1)} s`);
    const smallDesk = await syncedDeskData(small.url, false);
    dirs.push(smallDesk.dataDir);

    const withSmall = await deskStartFigures(browser, smallDesk.dataDir, 'demo data (~20 chats, baseline)');
    const withBig = await deskStartFigures(browser, bigDesk.dataDir, `${CHATS.toLocaleString('en')} cached chats`);
    console.log(`ui: desk start ratio ${CHATS.toLocaleString('en')} chats / demo: ${(withBig / withSmall).toFixed(2)}×`);

    const { desk, page } = await timeDeskStart(browser, bigDesk.dataDir);
    const idle = await idleFrames(page, 120);
    const interval = median(idle);
    await page.getByRole('listbox', { name: 'Chats' }).getByRole('option', { name: new RegExp(LONG_THREAD_NAME) }).click();
    const log = page.getByRole('log', { name: 'Messages' });
    await log.getByText(`#${MESSAGES} `, { exact: false }).first().waitFor();
    const upward = await scrollThread(page, 'up', STEP, 20_000);
    const up = frameStats(upward.deltas, interval);
    const loaded = Number(await page.evaluate(`document.querySelector('[role=log]').scrollHeight`));
    const down = frameStats((await scrollThread(page, 'down', STEP, 20_000)).deltas, interval);
    const idleStats = frameStats(idle, interval);
    console.log(`ui: idle frames (baseline): ${describe(idleStats)}`);
    console.log(`ui: scroll up through the ${MESSAGES.toLocaleString('en')}-message thread, paging history in from the cache (mouse wheel, ${STEP} px a frame): ${describe(up)}; ${upward.stalled} frames (${((upward.stalled * interval) / 1000).toFixed(1)} s) spent at the top waiting for older pages`);
    console.log(`ui: scroll down through all ${MESSAGES.toLocaleString('en')} messages loaded (${(loaded / 1000).toFixed(0)}k px, mouse wheel, ${STEP} px a frame): ${describe(down)}`);
    console.log(`ui: frame p95 ratio scrolling / idle: up ${(up.p95 / idleStats.p95).toFixed(2)}×, down ${(down.p95 / idleStats.p95).toFixed(2)}×`);
    await page.close();
    await desk.close();
  } finally {
    await browser.close();
    big.child.disconnect();
    small.child.disconnect();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'server') {
  void runServer(process.argv[3] === 'big');
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
