import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startServer, type TestServer } from '../helpers/server';

const run = promisify(execFile);

// `npm run simulate`: the script a person trying the desk runs to see chats arrive.
describe('scripts/simulate.ts', () => {
  let s: TestServer;
  const simulate = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/simulate.ts', '--url', s.url, '--interval', '10', ...args], { timeout: 30_000 });
  const simulated = () => s.server.store.testing.messagesByExternalIdPrefix('sim-');

  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('posts --count signed customer messages and prints each one', async () => {
    const { stdout } = await simulate('--count', '6');
    const lines = stdout.split('\n').filter((line) => line.startsWith('['));
    assert.equal(lines.length, 6, stdout);
    assert.ok(lines.every((line) => line.endsWith('→ stored')), stdout);
    assert.match(stdout, /stopped after 6 messages/);
    const rows = await simulated();
    assert.equal(rows.length, 6);
    assert.ok(rows.every((row) => row.sender_type === 'client' && [1, 2, 3].includes(row.source_id)));
    assert.ok(rows.every((row) => (row.text ?? '').length > 0));
  });

  it('keeps to one source with --source, and reports a wrong secret without storing anything', async () => {
    const before = (await simulated()).length;
    await simulate('--count', '4', '--source', '3');
    const rows = (await simulated()).slice(before);
    assert.equal(rows.length, 4);
    assert.ok(rows.every((row) => row.source_id === 3));

    const { stdout } = await simulate('--count', '2', '--secret', 'not-the-secret');
    assert.equal(stdout.split('\n').filter((line) => line.includes('refused: bad signature')).length, 2, stdout);
    assert.equal((await simulated()).length, before + 4);
  });

  it('refuses bad arguments with the usage', async () => {
    await assert.rejects(simulate('--count', 'many'), (error: Error & { code?: number; stderr?: string }) => {
      assert.equal(error.code, 2);
      assert.match(error.stderr ?? '', /--count must be a positive whole number/);
      assert.match(error.stderr ?? '', /Usage: npm run simulate/);
      return true;
    });
  });
});
