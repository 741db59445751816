import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isLoopbackHost } from '../../server/demo/public-demo';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..', '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `npm run server -- …` as a person runs it. `stopAfter`: stop it (SIGTERM) once its output matches.
 * The environment is the test's minus the server's own variables, so only what the test passes counts.
 */
function cli(args: string[], env: Record<string, string> = {}, stopAfter?: RegExp): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(SWITCHBOARD_|REVERB_|HOST$|PORT$|DATA_DIR$)/.test(key)));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stopAfter?.test(stdout)) child.kill('SIGTERM');
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

describe('server CLI', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'switchboard-cli-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses demo mode beyond loopback with exit code 2 and says why, creating nothing', async () => {
    for (const [args, env] of [
      [['--demo', '--host', '0.0.0.0', '--port', '0', '--data-dir', dataDir], {}],
      [['--demo', '--host', '::', '--port', '0', '--data-dir', dataDir], {}],
      [['--port', '0'], { SWITCHBOARD_DEMO: '1', HOST: '0.0.0.0', DATA_DIR: dataDir }],
    ] as const) {
      const run = await cli([...args], env);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /Refusing to listen on (0\.0\.0\.0|::) in demo mode: the demo's passwords and secrets are published/);
      assert.match(run.stderr, /--allow-public-demo \(SWITCHBOARD_ALLOW_PUBLIC_DEMO=1\)/);
      assert.doesNotMatch(run.stdout, /listening on/);
    }
    assert.deepEqual(readdirSync(dataDir), [], 'no database was created or seeded');
  });

  it('lets demo mode past that check when told explicitly', async () => {
    // 192.0.2.1 (TEST-NET-1) is no address of this machine: the server gets past the check, then
    // cannot bind, so nothing is ever exposed by the test.
    for (const [args, env] of [
      [['--demo', '--allow-public-demo', '--host', '192.0.2.1', '--port', '0', '--data-dir', join(dataDir, 'flag')], {}],
      [['--demo', '--host', '192.0.2.1', '--port', '0', '--data-dir', join(dataDir, 'env')], { SWITCHBOARD_ALLOW_PUBLIC_DEMO: '1' }],
    ] as const) {
      const run = await cli([...args], env);
      assert.match(run.stderr, /warning: demo mode on 192\.0\.2\.1, with the published demo passwords and secrets/);
      assert.doesNotMatch(run.stderr, /Refusing/);
      assert.equal(run.code, 1, 'the bind itself fails');
      assert.match(run.stderr, /EADDRNOTAVAIL/);
    }
  });

  it('starts the demo on loopback as before', async () => {
    const run = await cli(['--demo', '--host', '127.0.0.1', '--port', '0', '--data-dir', join(dataDir, 'loopback')], {}, /demo data: .*\n/);
    assert.match(run.stdout, /listening on http:\/\/127\.0\.0\.1:\d+/);
    assert.match(run.stdout, /demo data: admin@example.com \/ password/);
    assert.equal(run.code, 0, run.stderr);
  });

  it('counts only loopback names and addresses as loopback', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1']) assert.equal(isLoopbackHost(host), true, host);
    for (const host of ['0.0.0.0', '::', '', '10.0.0.5', '192.168.1.2', 'example.com', '127.0.0.1.example.com', '::ffff:10.0.0.1']) assert.equal(isLoopbackHost(host), false, host);
  });
});
