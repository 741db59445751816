// The desktop app end to end with Playwright's `_electron`: launch the built desk, sign in to a
// local demo server, receive a customer's message. It runs wherever an Electron binary is
// installed and a display exists; elsewhere (as on the project's build machines, where the
// binary cannot be downloaded) it is reported as skipped, with the reason.
import { _electron as electron } from '@playwright/test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildElectronDesk } from '../../scripts/build-electron';
import { electronStatus } from '../../scripts/desk-launch';
import { postWebhook } from '../engine/helpers';
import { startServer } from '../helpers/server';

const require = createRequire(import.meta.url);
const status = electronStatus({ platform: process.platform, env: process.env, resolveBinary: () => String(require('electron')), exists: existsSync });
if (!status.usable) console.log(`electron smoke test NOT RUN: ${status.reason}`);

describe('the Electron desk (Playwright _electron)', () => {
  it('launches, signs in to a local demo server and receives a message', { skip: status.usable ? false : `not run: ${status.reason}`, timeout: 300_000 }, async () => {
    if (!status.usable) return;
    const { outDir } = await buildElectronDesk();
    const server = await startServer();
    const userData = mkdtempSync(join(tmpdir(), 'switchboard-electron-'));
    const app = await electron.launch({
      executablePath: status.binary,
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), join(outDir, 'main.cjs')],
      env: { ...process.env, SWITCHBOARD_USER_DATA: userData, SWITCHBOARD_SERVER: server.url },
    });
    try {
      const page = await app.firstWindow();
      assert.equal(new URL(page.url()).origin, 'app://desk');
      // The page has the bridge and nothing of Node.
      assert.deepEqual(await page.evaluate(() => {
        const page: { switchboard?: unknown; require?: unknown; process?: unknown } = globalThis;
        return [typeof page.switchboard, typeof page.require, typeof page.process];
      }), ['object', 'undefined', 'undefined']);

      await page.getByLabel(/server/i).fill(server.url);
      await page.getByLabel(/e-?mail/i).fill('mod@example.com');
      await page.getByLabel(/password/i).fill('password');
      await page.getByRole('button', { name: /sign in|log in/i }).click();

      await postWebhook(server, 1, { external_user_id: 'electron-smoke', text: 'Hello from the Electron smoke test', user_metadata: { name: 'Smoke Visitor' } });
      await page.getByText('Smoke Visitor').first().click();
      await page.getByText('Hello from the Electron smoke test').first().waitFor();
    } finally {
      await app.close();
      await server.close();
      rmSync(userData, { recursive: true, force: true });
    }
  });
});
